package ui

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/notify"
)

// latestNotes is how many notifications the header's menu shows.
const latestNotes = 6

// notesMenu is the data of the header's notification menu: the unread
// count (every page shows it, polled every 30 s) and the latest
// notifications (loaded when the menu opens).
type notesMenu struct {
	*page
	Latest []notificationView
	OOB    bool // also refresh the header's count (after a mark-read)
}

// unreadCount counts the user's unread notifications through the read
// path (the notifications rules: one's own only); one indexed COUNT
// (idx_notifications_user: user, read, created).
func unreadCount(app core.App, user *core.Record) (int, error) {
	// one COUNT statement (access.CountFor), not a page of one record and
	// its COUNT (ListFor with Count)
	return access.CountFor(app, user, "notifications", dbx.HashExp{"notifications.user": user.Id, "notifications.read": false}, 0)
}

// withUnread fills the page's unread count for a signed-in user who has
// notifications; a failed count is logged and shows no badge (the page
// itself does not depend on it).
func (h *handlers) withUnread(e *core.RequestEvent, p *page) {
	s := sess(e)
	if s == nil || !s.caps.Notifications {
		return
	}
	n, err := unreadCount(e.App, s.user)
	if err != nil {
		e.App.Logger().Error("unread notifications count", "user", s.user.Id, "error", err)
		return
	}
	p.Unread = n
}

// unreadBadge answers the header's poll with the count.
func (h *handlers) unreadBadge(e *core.RequestEvent) error {
	p := h.page(e, "", "")
	return h.fragment(e, http.StatusOK, "notifications", "unread_badge", p)
}

// latestNotifications answers the header's menu with the latest
// notifications (oob: with the refreshed count, after a mark-read).
func (h *handlers) latestNotifications(e *core.RequestEvent, oob bool) error {
	s := sess(e)
	m := &notesMenu{page: h.page(e, "", ""), OOB: oob}
	recs, _, err := access.ListFor(e.App, s.user, "notifications", access.ListQuery{Where: dbx.HashExp{"notifications.user": s.user.Id}, Sort: "-created", PerPage: latestNotes})
	if err != nil {
		return err
	}
	for _, r := range recs {
		// written in the reader's language (the stored text for older ones)
		title, _ := notify.Text(r, m.Lang)
		m.Latest = append(m.Latest, notificationView{ID: r.Id, Kind: r.GetString("kind"), Title: title,
			Link: notify.Link(r.Id), Lead: r.GetString("lead") != "", Read: r.GetBool("read"), Created: r.GetDateTime("created")})
	}
	return h.fragment(e, http.StatusOK, "notifications", "notes_latest", m)
}

// showLatestNotifications is the GET of the header's menu.
func (h *handlers) showLatestNotifications(e *core.RequestEvent) error {
	return h.latestNotifications(e, false)
}

// unreadPath is the header's poll of the unread count.
const unreadPath = "/notifications/unread"

// isPoll reports the header's background poll of the unread count: it
// reads the session without counting as a use of it.
func isPoll(e *core.RequestEvent) bool {
	return e.Request.Method == http.MethodGet && e.Request.URL.Path == unreadPath && isHX(e)
}
