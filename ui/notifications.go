package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/writepath"
)

// notificationsPage lists the user's notifications, newest first.
type notificationsPage struct {
	*page
	Items  []notificationView
	Unread int
}

type notificationView struct {
	ID, Kind, Title, Body, Link string
	Lead                        bool // about a lead: the title links to it
	Read                        bool
	Created                     types.DateTime
}

// notifications shows the user's notifications (the notifications rules
// keep them to their recipient).
func (h *handlers) notifications(e *core.RequestEvent) error {
	p := &notificationsPage{page: h.page(e, "notifications", "notifications.title")}
	if err := h.loadNotifications(e, p); err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "notifications", p)
}

func (h *handlers) loadNotifications(e *core.RequestEvent, p *notificationsPage) error {
	s := sess(e)
	recs, _, err := access.ListFor(e.App, s.user, "notifications", access.ListQuery{Where: dbx.HashExp{"notifications.user": s.user.Id}, Sort: "-created", PerPage: 50})
	if err != nil {
		return err
	}
	p.Items, p.Unread = nil, 0
	for _, r := range recs {
		// written in the reader's language (the stored text for older ones)
		title, body := notify.Text(r, p.Lang)
		n := notificationView{ID: r.Id, Kind: r.GetString("kind"), Title: title, Body: body,
			Link: notify.Link(r.Id), Lead: r.GetString("lead") != "", Read: r.GetBool("read"), Created: r.GetDateTime("created")}
		if !n.Read {
			p.Unread++
		}
		p.Items = append(p.Items, n)
	}
	return nil
}

// readNotification marks one notification (or, with id "all", every
// unread one) as read through the rule-checked update.
func (h *handlers) readNotification(e *core.RequestEvent) error {
	s := sess(e)
	id := e.Request.PathValue("id")
	ids := []string{id}
	if id == "all" {
		recs, _, err := access.ListFor(e.App, s.user, "notifications", access.ListQuery{Where: dbx.HashExp{"notifications.user": s.user.Id, "notifications.read": false}, PerPage: access.MaxPerPage})
		if err != nil {
			return err
		}
		ids = ids[:0]
		for _, r := range recs {
			ids = append(ids, r.Id)
		}
	}
	for _, nid := range ids {
		if _, err := writepath.UpdateFor(e.App, access.ByRequest(e), "notifications", nid, map[string]any{"read": true}); err != nil {
			return err
		}
	}
	if !isHX(e) {
		return e.Redirect(http.StatusSeeOther, "/notifications")
	}
	if e.Request.URL.Query().Get("in") == "menu" {
		return h.latestNotifications(e, true)
	}
	return h.notifications(e)
}

// openNotification follows a notification's link (the e-mail's and the
// page's): to its lead's page while the reader may see the lead, else to
// the notifications page with a note that the lead is no longer theirs.
// Any id that is not the reader's notification, or whose lead they no
// longer see, gets the same answer: the link never ends on a 404 and
// tells nothing about records the reader may not see.
func (h *handlers) openNotification(e *core.RequestEvent) error {
	s := sess(e)
	n, err := access.ViewFor(e.App, s.user, "notifications", e.Request.PathValue("id"))
	if err == nil && n.GetString("lead") != "" {
		if _, err = access.ViewFor(e.App, s.user, "leads", n.GetString("lead")); err == nil {
			return e.Redirect(http.StatusSeeOther, "/leads/"+n.GetString("lead"))
		}
	}
	if err != nil && !errors.Is(err, domain.ErrNotVisible) {
		return err
	}
	if err != nil {
		setFlash(e, "flash.notification_gone")
	} else if path := notificationTarget(n, s.caps); path != "" && n.GetString("lead") == "" {
		return e.Redirect(http.StatusSeeOther, path)
	}
	return e.Redirect(http.StatusSeeOther, "/notifications")
}
