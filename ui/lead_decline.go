package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/reasons"
)

// declineLead declines an offer with a reason code (the form's choice;
// none is "other") and the details as note; htmx swaps the card for a
// short "declined" note.
func (h *handlers) declineLead(e *core.RequestEvent) error {
	s := sess(e)
	id := e.Request.PathValue("id")
	code, note := reasons.ParseDecline(e.Request.FormValue("reason"))
	if details := strings.TrimSpace(e.Request.FormValue("details")); details != "" {
		if code == "" {
			code = reasons.Other
		}
		if note != "" {
			note += ": "
		}
		note += details
	}
	// keep the lead's company for the note: after the decline the lead is
	// no longer visible to this partner
	before, err := access.ViewFor(e.App, s.user, "leads", id)
	if err != nil {
		return err
	}
	if err := distribution.Decline(e.App, access.ByRequest(e), id, code, note); err != nil {
		var de *domain.Error
		if errors.As(err, &de) && isHX(e) {
			return h.offerError(e, s, id, de)
		}
		return err
	}
	if !isHX(e) {
		return e.Redirect(http.StatusSeeOther, "/inbox")
	}
	card := offerCard{page: h.page(e, "inbox", ""), Lead: newLeadView(s, before), State: "declined"}
	return h.fragment(e, http.StatusOK, "inbox", "offer", &card)
}
