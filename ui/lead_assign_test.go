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

func TestManagerAssignsAReadyLead(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("manager.ouest@demo.test")
	board := b.get("/board").Body
	id := assignRe.FindStringSubmatch(board)[1]
	// the partner the picker offers first for this lead
	picks := b.get("/board/partners?lead="+id, hx)
	require.Equal(t, http.StatusOK, picks.Status)
	partner := regexp.MustCompile(`<input type="radio" name="partner" value="([a-z0-9]{15})"`).FindStringSubmatch(picks.Body)[1]

	r := b.post("/leads/"+id+"/assign", url.Values{"partner": {""}}, hx)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	has(t, r.Body, "Choisissez un partenaire")

	r = b.post("/leads/"+id+"/assign", url.Values{"partner": {partner}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	assert.Regexp(t, `(?s)id="pending".*data-lead-id="`+id+`"`, r.Body, "now among the pending offers")
	l, err := e.app.FindRecordById("leads", id)
	require.NoError(t, err)
	assert.Equal(t, "offered", l.GetString("status"))
	assert.Equal(t, partner, l.GetString("partner"))
}

func TestManagerCannotAssignOutsideTheirTerritories(t *testing.T) {
	e := newEnv(t)
	var west []any
	for _, id := range e.user("manager.ouest@demo.test").GetStringSlice("territories") {
		west = append(west, id)
	}
	east := e.leadWhere(dbx.And(dbx.HashExp{"status": "ready", "partner": ""}, dbx.NotIn("territory", west...)), "")
	p := e.user("installer001@demo.test").GetString("partner")
	r := e.signedIn("manager.ouest@demo.test").post("/leads/"+east.Id+"/assign", url.Values{"partner": {p}})
	assert.Equal(t, http.StatusNotFound, r.Status)
	l, err := e.app.FindRecordById("leads", east.Id)
	require.NoError(t, err)
	assert.Equal(t, "ready", l.GetString("status"))
}
