package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/domain"
)

// acceptLead accepts an offer (a partner manager may dispatch it to a
// colleague at the same time). htmx swaps the card for the accepted one,
// which now shows the contact (the read path lets it through only now).
func (h *handlers) acceptLead(e *core.RequestEvent) error {
	s := sess(e)
	id := e.Request.PathValue("id")
	lead, err := distribution.Accept(e.App, access.ByRequest(e), id, e.Request.FormValue("dispatch_to"))
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) && isHX(e) {
			return h.offerError(e, s, id, de)
		}
		return err
	}
	if !isHX(e) {
		return e.Redirect(http.StatusSeeOther, "/leads/"+lead.Id)
	}
	views, err := h.leadViews(s, []*core.Record{lead})
	if err != nil {
		return err
	}
	card := offerCard{page: h.page(e, "inbox", ""), Lead: views[0], State: "accepted"}
	if card.Contact, err = h.contactOf(s, lead.Id); err != nil {
		return err
	}
	return h.fragment(e, http.StatusOK, "inbox", "offer", &card)
}

// offerError re-renders an offer card with the refusal (expired, taken…),
// or a closed card when the lead is no longer visible.
func (h *handlers) offerError(e *core.RequestEvent, s *session, id string, de *domain.Error) error {
	p := h.page(e, "inbox", "")
	card := offerCard{page: p, State: "closed", Error: p.Err(de), Reasons: declineReasons(p)}
	if rec, err := access.ViewFor(e.App, s.user, "leads", id); err == nil {
		views, err := h.leadViews(s, []*core.Record{rec})
		if err != nil {
			return err
		}
		card.Lead = views[0]
		if card.Lead.Status == "offered" {
			card.State = "open"
			if card.Colleagues, err = h.colleagues(s); err != nil {
				return err
			}
		}
	} else if !errors.Is(err, domain.ErrNotVisible) {
		return err
	} else {
		card.Lead.ID = id
	}
	status := api.HTTPStatus(de)
	if status == 0 {
		status = http.StatusConflict
	}
	return h.fragment(e, status, "inbox", "offer", &card)
}
