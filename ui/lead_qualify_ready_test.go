package ui

import (
	"html"
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// servedPoolLead is a pool lead (new or qualifying) of a territory that an
// active partner with an active user serves.
func (e *env) servedPoolLead() *core.Record {
	e.t.Helper()
	cond := "EXISTS (SELECT 1 FROM partners p, json_each(p.territories) t WHERE p.status = 'active' AND t.value = leads.territory " +
		"AND EXISTS (SELECT 1 FROM users u WHERE u.partner = p.id AND u.active = 1))"
	return e.leadWhere(dbx.And(dbx.In("status", "new", "qualifying"), dbx.HashExp{"partner": "", "held": false}, dbx.NewExp(cond)), "created")
}

// corseTerritory adds a territory no partner serves (Corse) to the demo.
func (e *env) corseTerritory() *core.Record {
	e.t.Helper()
	c, err := e.app.FindCollectionByNameOrId("territories")
	require.NoError(e.t, err)
	tr := core.NewRecord(c)
	tr.Load(map[string]any{"name": "Corse", "code": "TEST-CORSE", "kind": "region", "departments": []string{"2A", "2B"}})
	require.NoError(e.t, e.app.Save(tr))
	return tr
}

// unservedPoolLead is a pool lead moved to a territory no partner serves.
func (e *env) unservedPoolLead(territory *core.Record) *core.Record {
	e.t.Helper()
	lead := e.servedPoolLead()
	lead.Load(map[string]any{"territory": territory.Id, "department": "2A", "postal_code": "20000", "city": "Ajaccio"})
	require.NoError(e.t, e.app.Save(lead))
	return lead
}

// A teleoperator qualifies a pool lead to ready with a call report through
// the real UI route: the report, the qualification and the automatic offer
// all succeed, and the answer names the partner the lead went to. (The
// report used to be written after the lead had left the pool, where the
// teleoperator may no longer write: 422, nothing saved.)
func TestTeleoperatorQualifiesReadyWithAReport(t *testing.T) {
	e := newEnv(t)
	lead := e.servedPoolLead()
	b := e.signedIn("teleop@demo.test")
	require.Equal(t, http.StatusOK, b.get("/leads/"+lead.Id).Status)
	r := b.post("/leads/"+lead.Id+"/qualify", url.Values{"score": {"85"}, "segment": {"business"}, "status": {"ready"},
		"report": {"Appel : toiture 36 kWc, décideur joint"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)

	got, err := e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, "offered", got.GetString("status"), "offered right after the qualifying commit")
	partner, err := e.app.FindRecordById("partners", got.GetString("partner"))
	require.NoError(t, err)
	has(t, r.Body, "Lead prêt : proposé à "+html.EscapeString(partner.GetString("name")))
	assert.Equal(t, "/pool", r.Header.Get("HX-Push-Url"), "the lead left the pool: the pool is shown")
	n, err := e.app.CountRecords("activities", dbx.HashExp{"lead": lead.Id, "summary": "Appel : toiture 36 kWc, décideur joint", "internal": true})
	require.NoError(t, err)
	assert.EqualValues(t, 1, n, "the call report is saved with the qualification")

	// in English too
	teleop := e.user("teleop@demo.test")
	teleop.Set("locale", "en")
	require.NoError(t, e.app.Save(teleop))
	lead = e.servedPoolLead()
	b.get("/leads/"+lead.Id, header("Accept-Language", "en"))
	r = b.post("/leads/"+lead.Id+"/qualify", url.Values{"score": {"85"}, "segment": {"business"}, "status": {"ready"}, "report": {"Call: ok"}}, hx, header("Accept-Language", "en"))
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, "Lead ready: offered to ")
}

// A lead no partner can take is qualified all the same, with its report,
// and the teleoperator is told that no partner can take it.
func TestTeleoperatorQualifiesALeadNoPartnerCanTake(t *testing.T) {
	e := newEnv(t)
	lead := e.unservedPoolLead(e.corseTerritory())
	b := e.signedIn("teleop@demo.test")
	b.get("/leads/" + lead.Id)
	r := b.post("/leads/"+lead.Id+"/qualify", url.Values{"score": {"85"}, "status": {"ready"}, "report": {"Appel : Corse"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, "aucun partenaire ne peut le prendre")
	got, err := e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, "ready", got.GetString("status"))
	n, err := e.app.CountRecords("activities", dbx.HashExp{"lead": lead.Id, "summary": "Appel : Corse"})
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
}

// The other internal form that moves a lead to ready (a channel manager's
// status form) distributes it at once and says where it went.
func TestManagerStatusFormToReadyOffersAtOnce(t *testing.T) {
	e := newEnv(t)
	lead := e.servedPoolLead()
	lead.Load(map[string]any{"score": 80, "segment": "business"})
	require.NoError(t, e.app.Save(lead))
	b := e.signedIn("manager@demo.test")
	require.Equal(t, http.StatusOK, b.get("/leads/"+lead.Id).Status)
	r := b.post("/leads/"+lead.Id+"/status", url.Values{"status": {"ready"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	got, err := e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	require.Equal(t, "offered", got.GetString("status"))
	has(t, r.Body, "Lead prêt : proposé à ")
}
