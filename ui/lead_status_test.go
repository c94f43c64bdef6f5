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
