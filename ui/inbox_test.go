package ui

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var offerRe = regexp.MustCompile(`id="offer-([a-z0-9]+)"`)

func TestInboxShowsOpenOffersWithoutContacts(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	r := b.get("/inbox")
	require.Equal(t, http.StatusOK, r.Status)
	ids := offerRe.FindAllStringSubmatch(r.Body, -1)
	require.NotEmpty(t, ids, "the demo gives installer001 offers")
	me := e.user("installer001.sales@demo.test")
	for _, m := range ids {
		l, err := e.app.FindRecordById("leads", m[1])
		require.NoError(t, err)
		assert.Equal(t, "offered", l.GetString("status"))
		assert.Equal(t, me.Id, l.GetString("assignee"))
		has(t, r.Body, esc(l.GetString("company")))
		has(t, r.Body, esc(l.GetString("city")))
		c, err := e.app.FindFirstRecordByData("lead_contacts", "lead", l.Id)
		require.NoError(t, err)
		lacks(t, r.Body, c.GetString("email"), "no contact e-mail in an offer")
		lacks(t, r.Body, c.GetString("phone"), "no contact phone in an offer")
		lacks(t, r.Body, esc(c.GetString("first_name")+" "+c.GetString("last_name")), "no contact name in an offer")
		lacks(t, r.Body, l.GetString("source_ref"), "no internal field")
	}
	has(t, r.Body, `hx-trigger="every 30s"`, "the countdown refreshes")
	has(t, r.Body, "dans ", "time left in French")
	// another partner's offers never show
	other := e.leadWhere(dbx.HashExp{"status": "offered", "partner": e.user("installer002.sales@demo.test").GetString("partner")}, "")
	lacks(t, r.Body, other.Id)
}

func TestInboxOfAPartnerManagerOffersDispatch(t *testing.T) {
	e := newEnv(t)
	r := e.signedIn("installer001@demo.test").get("/inbox")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `name="dispatch_to"`)
	has(t, r.Body, e.user("installer001.sales@demo.test").GetString("name"))
}

func TestInboxIsForPartnersOnly(t *testing.T) {
	e := newEnv(t)
	assert.Equal(t, http.StatusNotFound, e.signedIn("manager@demo.test").get("/inbox").Status)
	assert.NotContains(t, e.signedIn("manager@demo.test").get("/board").Body, `href="/inbox"`, "not in the menu")
}

func TestCountdownFragment(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	id := offerRe.FindStringSubmatch(b.get("/inbox").Body)[1]
	r := b.get("/inbox/"+id+"/countdown", hx)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `class="countdown`)
	has(t, r.Body, "<time datetime=")
	lacks(t, r.Body, "<html")
	foreign := e.leadWhere(dbx.HashExp{"status": "offered", "partner": e.user("installer002.sales@demo.test").GetString("partner")}, "")
	r = b.get("/inbox/"+foreign.Id+"/countdown", hx)
	assert.Equal(t, http.StatusOK, r.Status)
	lacks(t, r.Body, "hx-trigger", "stops polling")
	lacks(t, r.Body, esc(foreign.GetString("company")))
}
