package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/sessions"
)

// logout ends the session on the server (every token of it: a copy of the
// cookie no longer works, on the UI or the API; the user's other sessions
// go on), audits it and clears the session cookie (a POST with the CSRF
// token: GET never changes state).
func (h *handlers) logout(e *core.RequestEvent) error {
	s := sess(e)
	err := e.App.RunInTransaction(func(tx core.App) error {
		if err := sessions.End(tx, s.user, s.token); err != nil {
			return err
		}
		return audit.Logout(tx, s.user, e)
	})
	if err != nil {
		return err
	}
	clearCookie(e, sessionCookie)
	setFlash(e, "flash.logged_out")
	if isHX(e) {
		e.Response.Header().Set("HX-Redirect", "/login")
		return e.NoContent(http.StatusNoContent)
	}
	return e.Redirect(http.StatusSeeOther, "/login")
}
