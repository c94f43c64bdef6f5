package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"

	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
)

// forgotPage is the data of the "forgotten password" view.
type forgotPage struct {
	*page
	Email string
	Error string
	Sent  bool
}

// showForgot renders the form that asks for a reset link.
func (h *handlers) showForgot(e *core.RequestEvent) error {
	p := &forgotPage{page: h.page(e, "", "forgot.title")}
	return h.render(e, http.StatusOK, "forgot_password", p)
}

// forgot asks for a reset link. The answer is the same whether the
// address has an account or not, and as fast: the e-mail is looked up and
// sent in the background (account.RequestReset: accounts that may log in,
// one e-mail per account every two minutes). Requests are rate limited
// per IP and per address.
func (h *handlers) forgot(e *core.RequestEvent) error {
	email := strings.TrimSpace(strings.ToLower(e.Request.FormValue("email")))
	p := &forgotPage{page: h.page(e, "", "forgot.title"), Email: email}
	if e.App.Settings().RateLimits.Enabled && (!h.allowed("reset-ip:"+e.RealIP(), 5, 15*time.Minute) || !h.allowed("reset-email:"+email, 3, time.Hour)) {
		p.Error = p.T("forgot.too_many")
		return h.render(e, http.StatusTooManyRequests, "forgot_password", p)
	}
	if email == "" {
		p.Error = p.T("err.required")
		return h.render(e, htmlStatusInvalid, "forgot_password", p)
	}
	app, now := e.App, h.now()
	routine.FireAndForget(func() {
		if _, err := account.RequestReset(app, email, now); err != nil {
			app.Logger().Error("password reset e-mail not sent", "error", err)
		}
	})
	p.Sent = true
	return h.render(e, http.StatusOK, "forgot_password", p)
}

// resetPage is the data of the view that sets a new password.
type resetPage struct {
	*page
	Token   string
	Email   string
	Error   string
	Invalid bool
}

// showReset renders the new-password form of a reset link (or says that
// the link is no longer valid).
func (h *handlers) showReset(e *core.RequestEvent) error {
	token := e.Request.PathValue("token")
	u, err := account.ResetAccount(e.App, token, h.now())
	if err == nil {
		// the page, and the login after it, in the account's language
		rememberLang(e, u.GetString("locale"))
	}
	p := &resetPage{page: h.page(e, "", "reset.title"), Token: token}
	if err != nil {
		return h.resetError(e, p, err)
	}
	p.Email = u.Email()
	return h.render(e, http.StatusOK, "reset_password", p)
}

// reset sets the new password of a reset link (account.ConfirmReset: the
// link then stops working and every session of the account ends) and
// sends the user to the login page.
func (h *handlers) reset(e *core.RequestEvent) error {
	p := &resetPage{page: h.page(e, "", "reset.title"), Token: e.Request.PathValue("token")}
	pw, confirm := e.Request.FormValue("password"), e.Request.FormValue("passwordConfirm")
	if _, err := account.ConfirmReset(e.App, p.Token, pw, confirm, audit.ActorOf(e), h.now()); err != nil {
		if u, verr := account.ResetAccount(e.App, p.Token, h.now()); verr == nil {
			p.Email = u.Email()
		}
		return h.resetError(e, p, err)
	}
	// a signed-in browser's session ended with the others
	clearCookie(e, sessionCookie)
	setFlash(e, "flash.password_reset")
	return e.Redirect(http.StatusSeeOther, "/login")
}

// resetError renders the reset view with a domain error: an invalid link
// replaces the form, a refused password is shown above it.
func (h *handlers) resetError(e *core.RequestEvent, p *resetPage, err error) error {
	if err := h.resetErrorData(p, err, account.ErrResetLink); err != nil {
		return err
	}
	status := htmlStatusInvalid
	if p.Invalid {
		status = http.StatusBadRequest
	}
	return h.render(e, status, "reset_password", p)
}

// resetErrorData sets the error of a reset or welcome view from a domain
// error (invalid: the link's error); any other error is returned.
func (h *handlers) resetErrorData(p *resetPage, err, invalid error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	p.Error = p.Err(de)
	p.Invalid = errors.Is(err, invalid)
	return nil
}
