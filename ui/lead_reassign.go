package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/roles"
)

// reassignForm is the reassignment form of the lead page: to another
// partner (channel managers, admins: Partners) or to another salesperson
// of the company (a partner manager: Colleagues).
type reassignForm struct {
	Partners   []option
	Colleagues []option
	Partner    string
	Assignee   string
	Reason     string
	Error      string
}

// reassignFormFor returns the form a user may use on a lead (nil: none):
// a distributing internal role (the board's users) that may update the
// lead, while it is not closed; a partner manager while his company works
// it.
func (h *handlers) reassignFormFor(s *session, lead leadView, canUpdate bool) (*reassignForm, error) {
	switch {
	case s.kind == string(roles.Internal) && s.caps.Board && canUpdate && !lifecycle.Closed(lead.Status):
		partners, err := h.reassignPartners(s, lead.PartnerID)
		if err != nil || len(partners) == 0 {
			return nil, err
		}
		return &reassignForm{Partners: partners}, nil
	case s.role == roles.PartnerManager && lifecycle.Entrusted(lead.Status):
		colleagues, err := h.colleagues(s)
		if err != nil {
			return nil, err
		}
		return &reassignForm{Colleagues: colleagues, Assignee: lead.AssigneeID}, nil
	}
	return nil, nil
}

// reassignPartners lists the active partners the user may see, except the
// lead's current one.
func (h *handlers) reassignPartners(s *session, current string) ([]option, error) {
	recs, _, err := access.ListFor(h.app, s.user, "partners", access.ListQuery{Where: dbx.HashExp{"partners.status": "active"}, Sort: "name", PerPage: access.MaxPerPage})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(recs))
	for _, r := range recs {
		s.memo.setName("partners", r.Id, r.GetString("name")) // read through the read path: names() may reuse it
		if r.Id != current {
			out = append(out, option{Value: r.Id, Label: r.GetString("name")})
		}
	}
	return out, nil
}

// reassignLead reassigns a lead from its page or from the list of leads to
// reassign (distribution.Reassign for internal roles, with the mandatory
// reason; distribution.Redispatch for a partner manager). A plain form
// post is redirected (to the list when it came from there); htmx and
// refusals re-render the lead page with the message.
func (h *handlers) reassignLead(e *core.RequestEvent) error {
	s := sess(e)
	id := e.Request.PathValue("id")
	partner, assignee := e.Request.FormValue("partner"), e.Request.FormValue("assignee")
	reason := strings.TrimSpace(e.Request.FormValue("reason"))
	var err error
	flash := "reassign.done"
	if s.kind == string(roles.Partner) {
		_, err = distribution.Redispatch(e.App, access.ByRequest(e), id, assignee, reason)
		flash = "reassign.dispatched"
	} else {
		_, err = distribution.Reassign(e.App, access.ByRequest(e), id, partner, reason)
	}
	var de *domain.Error
	if err != nil && !errors.As(err, &de) {
		return err
	}
	if de == nil && !isHX(e) {
		back := "/leads/" + id
		if e.Request.FormValue("back") == "list" {
			back = "/reassign"
		}
		return e.Redirect(http.StatusSeeOther, back)
	}
	p, perr := h.leadPage(e, id)
	if perr != nil {
		return perr
	}
	status := http.StatusOK
	if de != nil {
		status = api.HTTPStatus(de)
		if p.Reassign != nil {
			p.Reassign.Error, p.Reassign.Partner, p.Reassign.Assignee, p.Reassign.Reason = p.Err(de), partner, assignee, reason
		}
	} else {
		p.Flash = p.T(flash)
	}
	return h.render(e, status, "lead", p)
}
