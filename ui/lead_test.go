package ui

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLeadPageOfAnotherPartnersLeadIsA404(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	foreign := e.leadWhere(dbx.HashExp{"partner": e.user("installer002.sales@demo.test").GetString("partner")}, "")
	for _, r := range []resp{b.get("/leads/" + foreign.Id), b.get("/leads/"+foreign.Id, hx)} {
		assert.Equal(t, http.StatusNotFound, r.Status)
		lacks(t, r.Body, esc(foreign.GetString("company")))
		lacks(t, r.Body, esc(foreign.GetString("interest")))
	}
	assert.Equal(t, http.StatusNotFound, b.get("/leads/doesnotexist123").Status)
}

func TestLeadPageHidesTheContactUntilAcceptance(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	me := e.user("installer001.sales@demo.test")
	offered := e.leadWhere(dbx.HashExp{"status": "offered", "assignee": me.Id}, "")
	c, err := e.app.FindFirstRecordByData("lead_contacts", "lead", offered.Id)
	require.NoError(t, err)
	r := b.get("/leads/" + offered.Id)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, esc(offered.GetString("company")))
	has(t, r.Body, `id="contact-hidden"`)
	for _, v := range []string{c.GetString("email"), c.GetString("phone"), c.GetString("mobile")} {
		lacks(t, r.Body, v)
	}

	accepted := e.leadWhere(dbx.HashExp{"status": "contacted", "assignee": me.Id}, "")
	c2, err := e.app.FindFirstRecordByData("lead_contacts", "lead", accepted.Id)
	require.NoError(t, err)
	r = b.get("/leads/" + accepted.Id)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, c2.GetString("email"))
	has(t, r.Body, "activity-form")
	has(t, r.Body, `id="status-form"`)
}

func TestLeadPageNeverShowsInternalDataToPartners(t *testing.T) {
	e := newEnv(t)
	pm := e.user("installer001@demo.test")
	b := e.signedIn("installer001@demo.test")
	var leads []*struct {
		ID string `db:"id"`
	}
	require.NoError(t, e.app.DB().Select("id").From("leads").Where(dbx.HashExp{"partner": pm.GetString("partner")}).All(&leads))
	require.NotEmpty(t, leads)
	for _, l := range leads {
		rec, err := e.app.FindRecordById("leads", l.ID)
		require.NoError(t, err)
		r := b.get("/leads/" + l.ID)
		require.Equal(t, http.StatusOK, r.Status)
		lacks(t, r.Body, rec.GetString("source_ref"))
		lacks(t, r.Body, "Qualification: besoin confirmé", "internal call reports stay internal")
		terms, _ := e.app.FindAllRecords("deal_terms", dbx.HashExp{"lead": l.ID})
		for _, dt := range terms {
			lacks(t, r.Body, dt.GetString("conditions"), "no deal terms for partners")
		}
	}
}

func TestLeadPageForInternalRolesShowsOrigin(t *testing.T) {
	e := newEnv(t)
	lead := e.leadWhere(dbx.NewExp("status = 'won' AND id IN (SELECT lead FROM deal_terms)"), "")
	r := e.signedIn("admin@demo.test").get("/leads/" + lead.Id)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, lead.GetString("source_ref"))
	has(t, r.Body, "Conditions commerciales")
}
