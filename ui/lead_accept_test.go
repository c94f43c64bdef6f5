package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAcceptSwapsTheCardAndShowsTheContact(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	id := offerRe.FindStringSubmatch(b.get("/inbox").Body)[1]
	c, err := e.app.FindFirstRecordByData("lead_contacts", "lead", id)
	require.NoError(t, err)
	r := b.post("/leads/"+id+"/accept", nil, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, `state-accepted`)
	has(t, r.Body, c.GetString("email"))
	lacks(t, r.Body, "<html", "a fragment for the swap")
	l, err := e.app.FindRecordById("leads", id)
	require.NoError(t, err)
	assert.Equal(t, "accepted", l.GetString("status"))

	again := b.post("/leads/"+id+"/accept", nil, hx)
	assert.Equal(t, http.StatusConflict, again.Status)
	has(t, again.Body, "plus ouverte")
}

func TestAcceptWithoutJavaScriptRedirectsToTheLead(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	id := offerRe.FindStringSubmatch(b.get("/inbox").Body)[1]
	r := b.post("/leads/"+id+"/accept", nil)
	assert.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/leads/"+id, r.Header.Get("Location"))
}

func TestPartnerManagerDispatchesOnAccept(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001@demo.test")
	id := offerRe.FindStringSubmatch(b.get("/inbox").Body)[1]
	colleague := e.user("installer001.sales@demo.test")
	r := b.post("/leads/"+id+"/accept", url.Values{"dispatch_to": {colleague.Id}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	l, err := e.app.FindRecordById("leads", id)
	require.NoError(t, err)
	assert.Equal(t, colleague.Id, l.GetString("assignee"))
}

func TestAcceptingAnotherPartnersOfferIsA404(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	b.get("/inbox")
	foreign := e.leadWhere(dbx.HashExp{"status": "offered", "partner": e.user("installer002.sales@demo.test").GetString("partner")}, "")
	r := b.post("/leads/"+foreign.Id+"/accept", nil)
	assert.Equal(t, http.StatusNotFound, r.Status)
	lacks(t, r.Body, esc(foreign.GetString("company")))
	l, err := e.app.FindRecordById("leads", foreign.Id)
	require.NoError(t, err)
	assert.Equal(t, "offered", l.GetString("status"))
}
