package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/intake"
)

// heldDuplicate sends again, through the intake as the telemarketing
// platform would, the customer of a lead installer001 works (same e-mail):
// the new lead is held for the channel manager. It returns the held lead
// and the lead it matched.
func heldDuplicate(t *testing.T, e *env, ref string, skip ...string) (held, own *core.Record) {
	t.Helper()
	p1 := e.user("installer001@demo.test").GetString("partner")
	excl := dbx.Not(dbx.In("leads.id", anySlice(skip)...))
	if len(skip) == 0 {
		excl = dbx.NewExp("1=1")
	}
	own = e.leadWhere(dbx.And(dbx.HashExp{"partner": p1}, dbx.In("status", "accepted", "contacted", "meeting"), excl,
		dbx.NewExp("id IN (SELECT lead FROM lead_contacts WHERE email != '')")), "id")
	contact, err := e.app.FindFirstRecordByData("lead_contacts", "lead", own.Id)
	require.NoError(t, err)
	it, err := intake.NewIntake(e.app)
	require.NoError(t, err)
	api := e.user("api@demo.test")
	score := 90
	res, err := it.Ingest(e.app, audit.ActorOfUser(api), api, intake.IngestInput{Company: "Rappel " + ref, Segment: "residential", Country: "FR",
		PostalCode: own.GetString("postal_code"), City: own.GetString("city"), Source: "api", SourceRef: "UI-ARB-" + ref, Score: &score, Consent: true,
		Contact: &intake.ContactInput{FirstName: "Nolwenn", LastName: "Canary", Email: contact.GetString("email")}})
	require.NoError(t, err)
	require.True(t, res.Held)
	return res.Lead, own
}

func anySlice(ids []string) []any {
	out := make([]any, len(ids))
	for i, v := range ids {
		out[i] = v
	}
	return out
}

// Channel managers and admins see a held lead's conflict side by side on
// its page, and the Conflicts list; nobody else does, and a partner never
// sees the other side — neither the holder on its own lead nor another
// partner.
func TestArbitrationPageByRole(t *testing.T) {
	e := newEnv(t)
	held, own := heldDuplicate(t, e, "roles")
	holderName := e.user("installer001@demo.test").GetString("partner")
	p1, err := e.app.FindRecordById("partners", holderName)
	require.NoError(t, err)

	for _, email := range []string{"manager.ouest@demo.test", "manager@demo.test", "admin@demo.test"} {
		b := e.signedIn(email)
		r := b.get("/leads/" + held.Id)
		require.Equal(t, http.StatusOK, r.Status, email)
		has(t, r.Body, `id="conflict"`, email)
		has(t, r.Body, `data-record-id="`+own.Id+`"`, email)
		has(t, r.Body, `href="/leads/`+own.Id+`"`, email)
		has(t, r.Body, p1.GetString("name"), email)
		has(t, r.Body, `data-key-kind="email"`, email)
		for _, a := range []string{"assign_holder", "merge", "return_pool", "dismiss", "assign_other"} {
			has(t, r.Body, `value="`+a+`"`, email)
		}
		l := b.get("/conflicts")
		require.Equal(t, http.StatusOK, l.Status, email)
		has(t, l.Body, `data-lead-id="`+held.Id+`"`, email)
		has(t, l.Body, `href="/conflicts"`, email) // in the menu
	}
	// the teleoperator reads the pool lead, not the conflict
	tb := e.signedIn("teleop@demo.test")
	r := tb.get("/leads/" + held.Id)
	require.Equal(t, http.StatusOK, r.Status)
	assert.NotContains(t, r.Body, `id="conflict"`)
	assert.NotContains(t, r.Body, own.Id)
	assert.Equal(t, http.StatusNotFound, tb.get("/conflicts").Status)
	assert.Equal(t, http.StatusNotFound, tb.post("/leads/"+held.Id+"/arbitrate", url.Values{"action": {"dismiss"}, "reason": {"pas un doublon"}}).Status)
	// partners: not the held lead, not the list, and the holder's own lead
	// page says nothing of the duplicate
	for _, email := range []string{"installer001@demo.test", "installer001.sales@demo.test", "installer002@demo.test", "sales@demo.test"} {
		b := e.signedIn(email)
		r := b.get("/leads/" + held.Id)
		assert.Equal(t, http.StatusNotFound, r.Status, email)
		assert.NotContains(t, r.Body, "Rappel roles", email)
		assert.Equal(t, http.StatusNotFound, b.get("/conflicts").Status, email)
		ownPage := b.get("/leads/" + own.Id)
		for _, leak := range []string{held.Id, `id="conflict"`, "Rappel roles", "Nolwenn"} {
			assert.NotContains(t, ownPage.Body, leak, email)
		}
	}
	assert.True(t, mustLead(t, e, held.Id).GetBool("held"), "still held")
}

func mustLead(t *testing.T, e *env, id string) *core.Record {
	t.Helper()
	r, err := e.app.FindRecordById("leads", id)
	require.NoError(t, err)
	return r
}

// The decisions from the lead page: a missing reason is refused in the
// page's language; a merge closes the lead into the existing one; a
// dismissal releases it, and it is offered.
func TestArbitrationFromTheLeadPage(t *testing.T) {
	e := newEnv(t)
	held, own := heldDuplicate(t, e, "merge")
	other, _ := heldDuplicate(t, e, "dismiss", own.Id)
	b := e.signedIn("manager.ouest@demo.test")
	b.get("/leads/" + held.Id)

	r := b.post("/leads/"+held.Id+"/arbitrate", url.Values{"action": {"merge"}, "reason": {" "}}, hx)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	has(t, r.Body, "Indiquez un motif")
	assert.True(t, mustLead(t, e, held.Id).GetBool("held"))

	r = b.post("/leads/"+held.Id+"/arbitrate", url.Values{"action": {"merge"}, "reason": {"Même projet, déjà suivi"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	rec := mustLead(t, e, held.Id)
	assert.Equal(t, "lost", rec.GetString("status"))
	assert.Equal(t, "merged", rec.GetString("lost_reason"))
	page := b.get("/leads/" + held.Id)
	has(t, page.Body, "Fusionné dans un lead existant")
	assert.NotContains(t, page.Body, `id="conflict"`)

	b.get("/leads/" + other.Id)
	r = b.post("/leads/"+other.Id+"/arbitrate", url.Values{"action": {"dismiss"}, "reason": {"Autre site du client"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, "Le conflit est écarté")
	rec = mustLead(t, e, other.Id)
	assert.False(t, rec.GetBool("held"))
	assert.Equal(t, "offered", rec.GetString("status"))
	assert.True(t, strings.Contains(r.Body, "st-offered"), "the page shows it offered")
	n, err := e.app.CountRecords("audit_log", dbx.HashExp{"action": "lead.arbitrate"}, dbx.In("record", held.Id, other.Id))
	require.NoError(t, err)
	assert.EqualValues(t, 2, n)
}
