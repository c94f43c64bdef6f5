package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/writepath"
)

// setLang switches the UI language: saved on the user's own `locale` when
// signed in (through the rule-checked update), in a cookie for guests.
func (h *handlers) setLang(e *core.RequestEvent) error {
	lang := e.Request.FormValue("lang")
	if lang != "fr" && lang != "en" {
		return &uiError{status: http.StatusBadRequest, msg: "error.request"}
	}
	if s := sess(e); s != nil {
		if _, err := writepath.UpdateFor(e.App, access.ByRequest(e), "users", s.user.Id, map[string]any{"locale": lang}); err != nil {
			return err
		}
	} else {
		e.SetCookie(&http.Cookie{Name: langCookie, Value: lang, Path: "/", HttpOnly: true, Secure: e.IsTLS(), SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	}
	back := safeNext(e.Request.FormValue("back"))
	if e.Request.FormValue("back") == "/login" {
		back = "/login"
	}
	return e.Redirect(http.StatusSeeOther, back)
}
