package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/roles"
)

func TestStatusChangeFollowsTheLifecycle(t *testing.T) {
	e := newEnv(t)
	me := e.user("installer001.sales@demo.test")
	lead := e.leadWhere(dbx.HashExp{"status": "meeting", "assignee": me.Id}, "")
	b := e.signedIn("installer001.sales@demo.test")
	page := b.get("/leads/" + lead.Id).Body
	for _, st := range lifecycle.Targets("partner_user", roles.Partner, "meeting") {
		has(t, page, `<option value="`+st+`"`)
	}
	lacks(t, page, `<option value="new"`, "a partner never sends a lead back to the pool")

	r := b.post("/leads/"+lead.Id+"/status", url.Values{"status": {"won"}}, hx)
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, "Un lead gagné demande un montant")

	r = b.post("/leads/"+lead.Id+"/status", url.Values{"status": {"new"}}, hx)
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, "pas permis")

	r = b.post("/leads/"+lead.Id+"/status", url.Values{"status": {"won"}, "amount": {"18 500"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, "Statut enregistré")
	got, err := e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, "won", got.GetString("status"))
	assert.Equal(t, 18500.0, got.GetFloat("won_amount"))
}

func TestLostNeedsAReason(t *testing.T) {
	e := newEnv(t)
	me := e.user("installer001.sales@demo.test")
	lead := e.leadWhere(dbx.HashExp{"status": "contacted", "assignee": me.Id}, "")
	b := e.signedIn("installer001.sales@demo.test")
	b.get("/leads/" + lead.Id)
	r := b.post("/leads/"+lead.Id+"/status", url.Values{"status": {"lost"}}, hx)
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	r = b.post("/leads/"+lead.Id+"/status", url.Values{"status": {"lost"}, "reason": {"Concurrent retenu"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	got, err := e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, "Concurrent retenu", got.GetString("lost_reason"))
}

// The won form reads every way people and the app itself write an amount
// (the app's own display "12 480,50 €" with narrow no-break spaces
// included), shows cents back, and a refused amount gets its own message,
// not "a won lead needs an amount".
func TestWonAmountReadsTheAppsOwnFormat(t *testing.T) {
	e := newEnv(t)
	me := e.user("installer001.sales@demo.test")
	b := e.signedIn("installer001.sales@demo.test")
	id := e.leadWhere(dbx.HashExp{"status": "meeting", "assignee": me.Id}, "").Id
	amounts := map[string]float64{
		"12\u202f480,50\u00a0€": 12480.5,
		"12 480,50 €":           12480.5,
		"12.480,50":             12480.5,
		"€12,480.50":            12480.5,
	}
	for in, want := range amounts {
		b.get("/leads/" + id)
		r := b.post("/leads/"+id+"/status", url.Values{"status": {"won"}, "amount": {in}}, hx)
		require.Equal(t, http.StatusOK, r.Status, "%q: %s", in, r.Body)
		got, err := e.app.FindRecordById("leads", id)
		require.NoError(t, err)
		assert.Equal(t, want, got.GetFloat("won_amount"), in)
		has(t, b.get("/leads/"+id).Body, "12\u00a0480,50\u00a0€", "the amount is shown with its cents")
		// back to a meeting for the next format
		_, err = e.app.DB().NewQuery("UPDATE leads SET status = 'meeting', won_amount = 0, closed_at = '' WHERE id = {:id}").Bind(dbx.Params{"id": id}).Execute()
		require.NoError(t, err)
	}
	b.get("/leads/" + id)
	for in, msg := range map[string]string{"douze mille": "pas un montant", "-5": "négatif", "1e17": "pas un montant", "2 000 000 000": "dépasser"} {
		r := b.post("/leads/"+id+"/status", url.Values{"status": {"won"}, "amount": {in}}, hx)
		assert.Equal(t, http.StatusUnprocessableEntity, r.Status, in)
		has(t, r.Body, msg, in)
		lacks(t, r.Body, "Un lead gagné demande un montant", in)
	}
}
