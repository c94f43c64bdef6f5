package ui

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/notify"
)

var unreadRe = regexp.MustCompile(`id="unread-count"[^>]*data-count="(\d+)"`)

// unreadIn is the header's unread count in a page or fragment (-1: none).
func unreadIn(t *testing.T, body string) int {
	t.Helper()
	m := unreadRe.FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}

// Every page shows the user's unread count; the header's poll answers the
// new count when a notification arrives (never another user's), the menu
// lists the latest, and marking one read there updates the count.
func TestUnreadCountInTheHeader(t *testing.T) {
	e := newEnv(t)
	const email = "installer007.sales@demo.test"
	u := e.user(email)
	b := e.signedIn(email)
	var want int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM notifications WHERE user = {:u} AND read = 0").Bind(dbx.Params{"u": u.Id}).Row(&want))
	for _, path := range []string{"/inbox", "/leads", "/documents", "/profile"} {
		r := b.get(path)
		require.Equal(t, http.StatusOK, r.Status, path)
		assert.Equal(t, want, unreadIn(t, r.Body), path)
	}
	r := b.get("/notifications/unread", hx)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, want, unreadIn(t, r.Body))

	require.NoError(t, notify.Send(e.app, u.Id, "offer", "", notify.Msg("back_to_pool", "lead", "Offre test du badge", "city", "corps")))
	require.NoError(t, notify.Send(e.app, e.user("installer008.sales@demo.test").Id, "offer", "", notify.Msg("back_to_pool", "lead", "Offre d'un autre", "city", "corps")))
	r = b.get("/notifications/unread", hx)
	assert.Equal(t, want+1, unreadIn(t, r.Body), "the new notification counts, another user's does not")

	r = b.get("/notifications/latest", hx)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "Offre test du badge")
	lacks(t, r.Body, "Offre d'un autre")
	n, err := e.app.FindFirstRecordByFilter("notifications", "title ~ {:t}", dbx.Params{"t": "Offre test du badge"})
	require.NoError(t, err)
	r = b.post("/notifications/"+n.Id+"/read?in=menu", nil, hx)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `hx-swap-oob="true"`)
	assert.Equal(t, want, unreadIn(t, r.Body), "marked read in the menu")
	r = b.post("/notifications/all/read?in=menu", nil, hx)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, 0, unreadIn(t, r.Body), "all marked read")
	assert.Equal(t, 0, unreadIn(t, b.get("/inbox").Body))
}

// The header's poll does not count as a use of the session: a tab left
// open goes idle like any other.
func TestUnreadPollDoesNotKeepTheSessionAlive(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer007.sales@demo.test")
	id := sessionID(t, b.jar[sessionCookie].Value)
	old := time.Now().Add(-2 * time.Hour).Unix()
	_, err := e.app.DB().Update("relais_sessions", dbx.Params{"last_seen": old}, dbx.HashExp{"id": id}).Execute()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, b.get("/notifications/unread", hx).Status)
	var seen int64
	require.NoError(t, e.app.DB().NewQuery("SELECT last_seen FROM relais_sessions WHERE id = {:id}").Bind(dbx.Params{"id": id}).Row(&seen))
	assert.Equal(t, old, seen, "the poll is not a use")
	require.Equal(t, http.StatusOK, b.get("/inbox").Status)
	require.NoError(t, e.app.DB().NewQuery("SELECT last_seen FROM relais_sessions WHERE id = {:id}").Bind(dbx.Params{"id": id}).Row(&seen))
	assert.Greater(t, seen, old, "a page is")
}

// A notification about a lead opens through its link in the header's menu
// too (marked read, then the lead), like on the notifications page: the
// menu used to write the lead flag into the address ("/leads/true").
func TestNotesMenuLinksALeadNotificationThroughItsOpenLink(t *testing.T) {
	e := newEnv(t)
	const email = "installer007.sales@demo.test"
	u := e.user(email)
	b := e.signedIn(email)
	var lead string
	require.NoError(t, e.app.DB().NewQuery("SELECT id FROM leads WHERE assignee = {:u} LIMIT 1").Bind(dbx.Params{"u": u.Id}).Row(&lead))
	require.NoError(t, notify.Send(e.app, u.Id, "offer", lead, notify.Msg("back_to_pool", "lead", "Lien du menu", "city", "corps")))
	n, err := e.app.FindFirstRecordByFilter("notifications", "title ~ {:t}", dbx.Params{"t": "Lien du menu"})
	require.NoError(t, err)
	r := b.get("/notifications/latest", hx)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `href="`+notify.Link(n.Id)+`"`)
	lacks(t, r.Body, `href="/leads/true"`)
	r = b.get(notify.Link(n.Id))
	assert.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/leads/"+lead, r.Header.Get("Location"))
}
