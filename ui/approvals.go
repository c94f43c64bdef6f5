package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/governance"
)

// approvalsPage lists the pending access requests the user may decide
// (governance.PendingAccessRequests: admins every request, channel
// managers the territory requests on their territories, nobody their
// own), each with who asks and the approve (duration) / reject (reason)
// forms.
type approvalsPage struct {
	*page
	Items []approvalView
	Days  string
}

// approvalView is one pending request as its decider sees it.
type approvalView struct {
	ID, Kind, What, Resource, Details, Justification string
	Requester                                        governance.Requester
	Created                                          types.DateTime
	Error, Days, Reason                              string
}

// approvals renders the page.
func (h *handlers) approvals(e *core.RequestEvent) error {
	p, err := h.approvalsPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "approvals", p)
}

func (h *handlers) approvalsPage(e *core.RequestEvent) (*approvalsPage, error) {
	s := sess(e)
	recs, err := governance.PendingAccessRequests(e.App, s.user)
	if err != nil {
		return nil, err
	}
	who, err := governance.RequestersOf(e.App, s.user, recs)
	if err != nil {
		return nil, err
	}
	terr, err := h.territoryNames(s)
	if err != nil {
		return nil, err
	}
	p := &approvalsPage{page: h.page(e, "approvals", "gov.approvals.title"), Days: grantDaysDefault}
	for _, r := range recs {
		v := approvalView{ID: r.Id, Kind: r.GetString("kind"), Resource: r.GetString("resource"), Details: r.GetString("details"),
			Justification: r.GetString("justification"), Requester: who[r.GetString("requester")], Created: r.GetDateTime("created"), Days: p.Days}
		v.What = whatOf(p.page, v.Kind, terr[r.GetString("territory")], v.Resource)
		p.Items = append(p.Items, v)
	}
	return p, nil
}

// approveRequest approves a request for a number of days
// (governance.ApproveAccessRequest: the grant, the decision, the
// requester's notification, the audit entry).
func (h *handlers) approveRequest(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	daysIn, reason := e.Request.FormValue("days"), strings.TrimSpace(e.Request.FormValue("reason"))
	err := func() error {
		days, err := grantDays(daysIn)
		if err != nil {
			return err
		}
		now := h.now()
		_, err = governance.ApproveAccessRequest(e.App, e.Auth, access.ByRequest(e).Actor, id, now.Add(time.Duration(days)*24*time.Hour), reason, now)
		return err
	}()
	return h.decided(e, id, err, "gov.approvals.approved", daysIn, reason)
}

// rejectRequest rejects a request with a reason
// (governance.RejectAccessRequest).
func (h *handlers) rejectRequest(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	reason := strings.TrimSpace(e.Request.FormValue("reason"))
	err := governance.RejectAccessRequest(e.App, e.Auth, access.ByRequest(e).Actor, id, reason, h.now())
	return h.decided(e, id, err, "gov.approvals.rejected", "", reason)
}

// decided answers a decision: a plain post is redirected to the page; an
// htmx one, or a refusal, re-renders it with the message (on the
// request's row for a refusal).
func (h *handlers) decided(e *core.RequestEvent, id string, err error, flash, days, reason string) error {
	de, done, rerr := writeOutcome(e, err, "/approvals")
	if done {
		return rerr
	}
	p, perr := h.approvalsPage(e)
	if perr != nil {
		return perr
	}
	if de == nil {
		p.Flash = p.T(flash)
		return h.render(e, http.StatusOK, "approvals", p)
	}
	msg := p.Err(de)
	shown := false
	for i := range p.Items {
		if p.Items[i].ID == id {
			p.Items[i].Error, p.Items[i].Reason, shown = msg, reason, true
			if days != "" {
				p.Items[i].Days = days
			}
		}
	}
	if !shown {
		p.Flash = msg // decided meanwhile: the row is gone, the message stays
	}
	return h.render(e, api.HTTPStatus(de), "approvals", p)
}
