package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks"
)

// logout audits the end of the session and clears the session cookie (a POST with the CSRF token: GET never
// changes state).
func (h *handlers) logout(e *core.RequestEvent) error {
	if err := hooks.AuditLogout(e.App, sess(e).user, e); err != nil {
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
