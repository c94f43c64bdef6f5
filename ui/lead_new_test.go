package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var outcomeRe = regexp.MustCompile(`data-outcome="([a-z]+)"`)

// callForm is a phone-call form.
func callForm(company, pc, score string) url.Values {
	return url.Values{"company": {company}, "postal_code": {pc}, "city": {"Rennes"}, "segment": {"business"}, "score": {score},
		"first_name": {"Gaël"}, "last_name": {"Morvan"}, "phone": {"02 99 00 11 22"}, "interest": {"Hangar de 400 m², devis"}, "consent": {"1"}}
}

// TestLeadFromACallIsOfferedHeldOrPooled: a teleoperator's lead from a
// call goes through the API's intake: at the score threshold it is
// offered at once and the page names the partner; a duplicate of an open
// lead is held; without a score it waits in the pool.
func TestLeadFromACallIsOfferedHeldOrPooled(t *testing.T) {
	e := newEnv(t)
	pc := e.servedPoolLead().GetString("postal_code") // a territory an active partner serves
	b := e.signedIn("teleop@demo.test")
	require.Equal(t, http.StatusOK, b.get("/leads/new").Status)

	r := b.post("/leads/new", callForm("GAEC du Menez Appel", pc, "90"))
	require.Equal(t, http.StatusCreated, r.Status, r.Body)
	lead := e.leadWhere(dbx.HashExp{"company": "GAEC du Menez Appel"}, "")
	assert.Equal(t, "offered", lead.GetString("status"))
	assert.Equal(t, "phone", lead.GetString("source"))
	assert.Equal(t, e.user("teleop@demo.test").Id, lead.GetString("created_by"))
	m := outcomeRe.FindStringSubmatch(r.Body)
	require.NotNil(t, m)
	assert.Equal(t, "offered", m[1])
	partner, err := e.app.FindRecordById("partners", lead.GetString("partner"))
	require.NoError(t, err)
	has(t, r.Body, "proposé à "+esc(partner.GetString("name")))
	contact, err := e.app.FindFirstRecordByData("lead_contacts", "lead", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, "+33299001122", contact.GetString("phone"), "the phone in E.164 like the API's")

	// the same customer again: held for the channel manager
	r = b.post("/leads/new", callForm("GAEC du Menez Appel", pc, "90"))
	require.Equal(t, http.StatusCreated, r.Status, r.Body)
	assert.Equal(t, "held", outcomeRe.FindStringSubmatch(r.Body)[1])
	n, err := e.app.CountRecords("leads", dbx.HashExp{"company": "GAEC du Menez Appel", "held": true})
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)

	// no score: in the pool, to qualify
	f := callForm("Scierie Appel Sans Score", pc, "")
	f.Set("phone", "02 99 00 33 44") // another customer
	r = b.post("/leads/new", f)
	require.Equal(t, http.StatusCreated, r.Status, r.Body)
	assert.Equal(t, "pool", outcomeRe.FindStringSubmatch(r.Body)[1])
	has(t, r.Body, `href="/leads/`+e.leadWhere(dbx.HashExp{"company": "Scierie Appel Sans Score"}, "").Id+`"`, "a pool lead stays open to the prospecting team")

	// the intake's checks, on the form's fields
	r = b.post("/leads/new", url.Values{"company": {"X"}, "postal_code": {"00000"}, "first_name": {"A"}, "email": {"pas-un-mail"}})
	require.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, `data-field="postal_code"`)
	assert.Zero(t, countWhere(t, e, dbx.HashExp{"company": "X", "source": "phone"}))
}

// TestLeadFromACallRoles: sales creates leads from calls too; partner
// roles and integrations have no such page.
func TestLeadFromACallRoles(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("sales@demo.test")
	require.Equal(t, http.StatusOK, b.get("/leads/new").Status)
	r := b.post("/leads/new", callForm("Menuiserie Appel Sales", "35000", ""))
	require.Equal(t, http.StatusCreated, r.Status, r.Body)
	assert.Equal(t, e.user("sales@demo.test").Id, e.leadWhere(dbx.HashExp{"company": "Menuiserie Appel Sales"}, "").GetString("created_by"))
	for _, email := range []string{"installer001@demo.test", "installer001.sales@demo.test", "api@demo.test"} {
		p := e.signedIn(email)
		assert.Equal(t, http.StatusNotFound, p.get("/leads/new").Status, email)
		assert.Equal(t, http.StatusNotFound, p.post("/leads/new", callForm("Intrus Appel", "35000", "90")).Status, email)
	}
	assert.Zero(t, countWhere(t, e, dbx.HashExp{"company": "Intrus Appel"}))
}

func countWhere(t *testing.T, e *env, where dbx.Expression) int64 {
	t.Helper()
	n, err := e.app.CountRecords("leads", where)
	require.NoError(t, err)
	return n
}
