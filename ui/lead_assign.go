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

// assignLead offers a lead to the chosen partner by hand (channel managers
// in their territories, admins anywhere; arbitration of a held lead too).
// htmx re-renders the board, where the lead now waits among the pending
// offers; a refusal is shown next to the lead.
func (h *handlers) assignLead(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	_, err := distribution.Assign(e.App, access.ByRequest(e), id, e.Request.FormValue("partner"))
	var de *domain.Error
	if err != nil && !errors.As(err, &de) {
		return err
	}
	if !isHX(e) && err == nil {
		return e.Redirect(http.StatusSeeOther, "/board")
	}
	p, perr := h.boardPage(e)
	if perr != nil {
		return perr
	}
	status := http.StatusOK
	if de != nil {
		p.AssignError, p.AssignLead, status = p.Err(de), id, api.HTTPStatus(de)
	} else {
		p.Flash = p.T("board.assigned")
	}
	return h.render(e, status, "board", p)
}
