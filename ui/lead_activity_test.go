package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLogAMeeting(t *testing.T) {
	e := newEnv(t)
	me := e.user("installer001.sales@demo.test")
	lead := e.leadWhere(dbx.HashExp{"status": "contacted", "assignee": me.Id}, "")
	b := e.signedIn("installer001.sales@demo.test")
	b.get("/leads/" + lead.Id)

	r := b.post("/leads/"+lead.Id+"/activities", url.Values{"kind": {"meeting"}, "summary": {"RDV"}}, hx)
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, "Un rendez-vous demande sa date")

	r = b.post("/leads/"+lead.Id+"/activities", url.Values{"kind": {"meeting"}, "summary": {"Visite toiture avec le gérant"}, "at": {"2030-03-04T10:30"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, "Visite toiture avec le gérant")
	has(t, r.Body, `id="activities"`)
	lacks(t, r.Body, "<html")
	acts, err := e.app.FindAllRecords("activities", dbx.HashExp{"lead": lead.Id, "summary": "Visite toiture avec le gérant"})
	require.NoError(t, err)
	require.Len(t, acts, 1)
	assert.Equal(t, "meeting", acts[0].GetString("kind"))
	assert.Equal(t, me.Id, acts[0].GetString("author"))
	assert.False(t, acts[0].GetBool("internal"))
	assert.Equal(t, "2030-03-04 09:30:00.000Z", acts[0].GetDateTime("at").String(), "entered in Paris time")
}

func TestPartnersCannotLogOnOthersLeads(t *testing.T) {
	e := newEnv(t)
	foreign := e.leadWhere(dbx.HashExp{"status": "contacted", "partner": e.user("installer002.sales@demo.test").GetString("partner")}, "")
	b := e.signedIn("installer001.sales@demo.test")
	r := b.post("/leads/"+foreign.Id+"/activities", url.Values{"kind": {"note"}, "summary": {"intrusion"}})
	assert.Equal(t, http.StatusNotFound, r.Status)
	n, err := e.app.CountRecords("activities", dbx.HashExp{"summary": "intrusion"})
	require.NoError(t, err)
	assert.Zero(t, n)
}
