package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/audit"
)

// showWelcome renders the page of an invitation e-mail's link: the new
// account chooses its password (or learns that the link is no longer
// valid).
func (h *handlers) showWelcome(e *core.RequestEvent) error {
	token := e.Request.PathValue("token")
	u, err := account.WelcomeAccount(e.App, token, h.now())
	if err == nil {
		// the page, and the login after it, in the account's language
		rememberLang(e, u.GetString("locale"))
	}
	p := &resetPage{page: h.page(e, "", "welcome.title"), Token: token}
	if err != nil {
		return h.welcomeError(e, p, err)
	}
	p.Email = u.Email()
	return h.render(e, http.StatusOK, "welcome", p)
}

// welcome sets the invited account's password (account.ConfirmWelcome:
// the link then stops working) and sends the user to the login page.
func (h *handlers) welcome(e *core.RequestEvent) error {
	p := &resetPage{page: h.page(e, "", "welcome.title"), Token: e.Request.PathValue("token")}
	pw, confirm := e.Request.FormValue("password"), e.Request.FormValue("passwordConfirm")
	if _, err := account.ConfirmWelcome(e.App, p.Token, pw, confirm, audit.ActorOf(e), h.now()); err != nil {
		if u, verr := account.WelcomeAccount(e.App, p.Token, h.now()); verr == nil {
			p.Email = u.Email()
		}
		return h.welcomeError(e, p, err)
	}
	clearCookie(e, sessionCookie)
	setFlash(e, "flash.welcome")
	return e.Redirect(http.StatusSeeOther, "/login")
}

// welcomeError renders the welcome view with a domain error (an invalid
// link replaces the form).
func (h *handlers) welcomeError(e *core.RequestEvent, p *resetPage, err error) error {
	if err := h.resetErrorData(p, err, account.ErrWelcomeLink); err != nil {
		return err
	}
	status := htmlStatusInvalid
	if p.Invalid {
		status = http.StatusBadRequest
	}
	return h.render(e, status, "welcome", p)
}
