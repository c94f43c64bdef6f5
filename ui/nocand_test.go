package ui

import (
	"html"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/internal/testapp"
)

// The grouped alert of the leads no partner can take, on demo data: the
// channel manager of the territory sees one notification counting them in
// the header's menu and on the notifications page, in French and in
// English; its link opens the board's waiting leads of that territory,
// which lists them; the unread badge counts it once; a partner and
// another channel manager opening it end on their own notifications page.
func TestNoCandidateAlertRendersAndOpensTheBoard(t *testing.T) {
	e := newEnv(t)
	tr := testapp.UncoveredTerritory(t, e.app, []string{"manager.ouest@demo.test"}, 3)
	cm := e.user("manager.ouest@demo.test")
	_, err := distribution.DistributePending(e.app, time.Now())
	require.NoError(t, err)
	n, err := e.app.FindFirstRecordByFilter("notifications", "user = {:u} && message ~ {:m}", dbx.Params{"u": cm.Id, "m": `"msg":"` + distribution.NoCandidateGroupMsg + `"`})
	require.NoError(t, err)

	b := e.signedIn("manager.ouest@demo.test")
	for lang, title := range map[string]string{"fr": "3 leads qu'aucun partenaire ne peut prendre (territoire Corse)", "en": "3 leads cannot be taken by any partner in Corse"} {
		b.post("/lang", map[string][]string{"lang": {lang}})
		r := b.get("/notifications")
		require.Equal(t, http.StatusOK, r.Status, r.Body)
		has(t, html.UnescapeString(r.Body), `<a href="/notifications/`+n.Id+`/open">`+title+`</a>`, lang)
		r = b.get("/notifications/latest", hx)
		require.Equal(t, http.StatusOK, r.Status)
		has(t, html.UnescapeString(r.Body), `<a href="/notifications/`+n.Id+`/open">`+title+`</a>`, lang)
	}
	unread, err := e.app.CountRecords("notifications", dbx.HashExp{"user": cm.Id, "read": false, "kind": distribution.NotifyNoCandidate})
	require.NoError(t, err)
	assert.EqualValues(t, 1, unread, "one unread notification for the three leads")

	r := b.get("/notifications/" + n.Id + "/open")
	require.Equal(t, http.StatusSeeOther, r.Status)
	loc := r.Header.Get("Location")
	assert.Equal(t, "/board?territory="+tr.Id+"#no-partner", loc)
	r = b.get("/board?territory=" + tr.Id)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "Corse Lead 2", "the board lists the waiting leads")

	for _, who := range []string{"installer001@demo.test", "manager@demo.test"} {
		r := e.signedIn(who).get("/notifications/" + n.Id + "/open")
		require.Equal(t, http.StatusSeeOther, r.Status, who)
		assert.Equal(t, "/notifications", r.Header.Get("Location"), who)
	}
}
