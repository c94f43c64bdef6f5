package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTeleoperatorQualifiesAPoolLead(t *testing.T) {
	e := newEnv(t)
	lead := e.leadWhere(dbx.And(dbx.In("status", "new", "qualifying", "recycled"), dbx.HashExp{"partner": ""}), "")
	b := e.signedIn("teleop@demo.test")
	page := b.get("/leads/" + lead.Id)
	require.Equal(t, http.StatusOK, page.Status)
	has(t, page.Body, `id="qualify"`)

	r := b.post("/leads/"+lead.Id+"/qualify", url.Values{"score": {"140"}, "status": {"new"}}, hx)
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, "Un score entre 0 et 100")

	r = b.post("/leads/"+lead.Id+"/qualify", url.Values{"score": {"45"}, "segment": {"farm"}, "company_size": {"2-9"},
		"interest": {"Hangar 100 kWc"}, "estimated_value": {"90000"}, "status": {"qualifying"}, "report": {"Appel: exploitant joint"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	got, err := e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, "qualifying", got.GetString("status"))
	assert.Equal(t, 45, got.GetInt("score"))
	assert.Equal(t, "farm", got.GetString("segment"))
	n, err := e.app.CountRecords("activities", dbx.HashExp{"lead": lead.Id, "summary": "Appel: exploitant joint", "internal": true})
	require.NoError(t, err)
	assert.EqualValues(t, 1, n, "the call report is an internal activity")
}

func TestQualifyIsForThePoolTeam(t *testing.T) {
	e := newEnv(t)
	lead := e.leadWhere(dbx.And(dbx.In("status", "new", "qualifying", "recycled"), dbx.HashExp{"partner": ""}), "")
	r := e.signedIn("sales@demo.test").post("/leads/"+lead.Id+"/qualify", url.Values{"score": {"90"}, "status": {"ready"}})
	assert.Equal(t, http.StatusNotFound, r.Status)
}

// The qualification form reads "14 500" (and every other amount format)
// with the same parser as the won form.
func TestQualifyReadsAmountsWithSpaces(t *testing.T) {
	e := newEnv(t)
	lead := e.leadWhere(dbx.And(dbx.In("status", "new", "qualifying", "recycled"), dbx.HashExp{"partner": ""}), "")
	b := e.signedIn("teleop@demo.test")
	b.get("/leads/" + lead.Id)
	r := b.post("/leads/"+lead.Id+"/qualify", url.Values{"score": {"45"}, "estimated_value": {"14 500"}, "status": {"qualifying"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	got, err := e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, 14500.0, got.GetFloat("estimated_value"))
	r = b.post("/leads/"+lead.Id+"/qualify", url.Values{"score": {"45"}, "estimated_value": {"quatorze"}, "status": {"qualifying"}}, hx)
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, "pas un montant")
}
