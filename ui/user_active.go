package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/writepath"
)

// setUserActive deactivates (or reactivates) an account in one click, after
// the browser's confirmation (hx-confirm). Deactivation rotates the token
// key (account hooks): the user's open sessions fail on their next click.
func (h *handlers) setUserActive(e *core.RequestEvent) error {
	s := sess(e)
	id := e.Request.PathValue("id")
	if id == s.user.Id {
		return errForbidden
	}
	active, err := formBool(e, "active") // never a typo read as "deactivate"
	if err != nil {
		return err
	}
	var de *domain.Error
	_, err = writepath.UpdateFor(e.App, access.ByRequest(e), "users", id, map[string]any{"active": active})
	if err != nil && !errors.As(err, &de) {
		return err
	}
	if !isHX(e) {
		if de != nil {
			return de
		}
		return e.Redirect(http.StatusSeeOther, "/users")
	}
	rec, err := access.ViewFor(e.App, s.user, "users", id)
	if err != nil {
		return err
	}
	rows, err := h.userRows(s, []*core.Record{rec})
	if err != nil {
		return err
	}
	p := h.page(e, "users", "")
	row, status := rows[0], http.StatusOK
	if de != nil {
		row.Error, status = p.Err(de), api.HTTPStatus(de)
	}
	return h.fragment(e, status, "users", "user_row", pair{P: p, V: row})
}
