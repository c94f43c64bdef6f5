package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
)

// countdownData is the time-left fragment of an offer, polled every 30 s.
type countdownData struct {
	*page
	Lead leadView
}

// countdown re-renders the time left to accept an offer; once the offer is
// no longer open the fragment stops polling.
func (h *handlers) countdown(e *core.RequestEvent) error {
	s := sess(e)
	rec, err := access.ViewFor(e.App, s.user, "leads", e.Request.PathValue("id"))
	if errors.Is(err, domain.ErrNotVisible) {
		// the offer went to someone else: stop polling quietly
		return h.fragment(e, http.StatusOK, "inbox", "countdown", &countdownData{page: h.page(e, "inbox", ""), Lead: leadView{Status: "closed"}})
	}
	if err != nil {
		return err
	}
	return h.fragment(e, http.StatusOK, "inbox", "countdown", &countdownData{page: h.page(e, "inbox", ""), Lead: newLeadView(s, rec)})
}
