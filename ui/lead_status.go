package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/roles"
	"github.com/relais/relais/hooks/writepath"
)

// statusForm moves a lead to another status (won needs an amount, lost a
// reason).
type statusForm struct {
	Status, Amount, Reason string
	Errors                 map[string]string
}

// statusFields are the status form's fields by the lead field they write.
var statusFields = map[string]string{"status": "status", "won_amount": "amount", "lost_reason": "reason"}

// changeStatus moves a lead along the allowed transitions of the user's
// role (the same checks as the REST API run in writepath.UpdateFor).
func (h *handlers) changeStatus(e *core.RequestEvent) error {
	s := sess(e)
	id := e.Request.PathValue("id")
	p, err := h.leadPage(e, id)
	if err != nil {
		return err
	}
	f := statusForm{Status: e.Request.FormValue("status"), Amount: strings.TrimSpace(e.Request.FormValue("amount")),
		Reason: strings.TrimSpace(e.Request.FormValue("reason")), Errors: map[string]string{}}
	body := map[string]any{"status": f.Status}
	amount := 0.0
	if f.Amount != "" {
		var msg string
		if amount, msg = amountField(p.locale, f.Amount); msg != "" {
			f.Errors["amount"] = msg
		}
	}
	switch {
	case !p.CanUpdate:
		return errNotFound
	case lifecycle.CanTransition(s.role, roles.Kind(s.kind), p.Lead.Status, f.Status) != nil:
		f.Errors["status"] = p.T("status.not_allowed")
	case f.Status == lifecycle.StatusWon:
		// an amount that does not read keeps its own message
		if f.Errors["amount"] == "" && lifecycle.RequireOutcome(f.Status, amount, "") != nil {
			f.Errors["amount"] = p.T("status.won_needs_amount")
		}
		body["won_amount"] = amount
	case f.Status == lifecycle.StatusLost:
		if lifecycle.RequireOutcome(f.Status, 0, f.Reason) != nil {
			f.Errors["reason"] = p.T("status.lost_needs_reason")
		}
		body["lost_reason"] = f.Reason
	}
	if len(f.Errors) == 0 {
		if _, err := writepath.UpdateFor(e.App, access.ByRequest(e), "leads", id, body); err != nil {
			var de *domain.Error
			if !errors.As(err, &de) {
				return err
			}
			f.Errors[formField(de, statusFields, "status")] = p.Err(de)
		}
	}
	if len(f.Errors) > 0 {
		p.StatusForm = f
		return h.render(e, htmlStatusInvalid, "lead", p)
	}
	if !isHX(e) {
		return e.Redirect(http.StatusSeeOther, "/leads/"+id)
	}
	msg, err := h.readyMessage(e, p.page, id, p.Lead.Status, f.Status)
	if err != nil {
		return err
	}
	if p, err = h.leadPage(e, id); err != nil {
		// after a move the lead may leave the user's sight (e.g. recycled)
		if errors.Is(err, domain.ErrNotVisible) {
			e.Response.Header().Set("HX-Redirect", "/leads")
			return e.NoContent(http.StatusNoContent)
		}
		return err
	}
	p.Flash = p.T("status.saved")
	if msg != "" {
		p.Flash = msg
	}
	return h.render(e, http.StatusOK, "lead", p)
}
