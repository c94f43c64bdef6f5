package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/apikeys"
	"github.com/relais/relais/hooks/audit"
)

// loginCodePage is the data of the second step of a login: the code
// e-mailed after the right password of an account with a second factor.
type loginCodePage struct {
	*page
	Next    string
	Step    account.Step
	Email   string // masked
	Minutes int
	Error   string
	Resent  bool
}

// maskEmail shows enough of an address for its owner to recognize it.
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return "…"
	}
	return local[:1] + "…@" + domain
}

func (h *handlers) codePage(e *core.RequestEvent, u *core.Record, step account.Step, next string) *loginCodePage {
	return &loginCodePage{page: h.page(e, "", "login.code.title"), Next: next, Step: step, Email: maskEmail(u.Email()),
		Minutes: int(u.Collection().OTP.Duration / 60)}
}

// startCodeStep answers the right password of an account that needs the
// second factor: no session yet; a code is e-mailed (PocketBase's MFA
// session and OTP, account.StartCode) and the code form is shown.
// Audited as a step, not as a login.
func (h *handlers) startCodeStep(e *core.RequestEvent, user *core.Record, p *loginPage) error {
	step, err := account.StartCode(e.App, user)
	if err != nil {
		return err
	}
	a := audit.ActorOfUser(user)
	a.IP, a.RequestID = e.RealIP(), e.Request.Header.Get("X-Request-Id")
	if err := audit.Append(e.App, a, account.ActionSecondStep, "users", user.Id, map[string]any{"method": "password", "email": user.Email(), "via": "ui"}); err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "login_code", h.codePage(e, user, step, p.Next))
}

// loginCode checks the code of the second step (account.CheckCode: the
// code of this step's account only, CodeTries wrong codes at most, within
// its validity) and then signs the user in as a password login does. A
// wrong code shows the form again; an expired or exhausted step sends
// back to the password.
func (h *handlers) loginCode(e *core.RequestEvent) error {
	next := safeNext(e.Request.FormValue("next"))
	step := account.Step{MFA: e.Request.FormValue("mfa"), OTP: e.Request.FormValue("otp")}
	back := func(status int, msgID string) error {
		p := &loginPage{page: h.page(e, "", "login.title"), Next: next}
		p.Error = p.T(msgID)
		return h.render(e, status, "login", p)
	}
	if ok, retry := h.logins.Allow("ip:"+e.RealIP(), loginFloodMax, time.Minute, h.now()); e.App.Settings().RateLimits.Enabled && !ok {
		p := &loginPage{page: h.page(e, "", "login.title"), Next: next}
		return h.tooManyLogins(e, func(status int, msgID string, args ...any) error {
			p.Error = p.T(msgID, args...)
			return h.render(e, status, "login", p)
		}, retry)
	}
	code := strings.Join(strings.Fields(e.Request.FormValue("code")), "") // "1234 5678" as typed from the e-mail
	user, err := account.CheckCode(e.App, step, code, h.now())
	if user != nil && err != nil && (errors.Is(err, account.ErrCodeWrong) || errors.Is(err, account.ErrCodeGone)) {
		if aerr := audit.Append(e.App, audit.ActorOf(e), audit.ActionLoginFailed, "users", user.Id, map[string]any{"email": user.Email(), "reason": "invalid_code", "via": "ui"}); aerr != nil {
			return aerr
		}
	}
	switch {
	case errors.Is(err, account.ErrCodeWrong):
		p := h.codePage(e, user, step, next)
		p.Error = p.T("login.code.wrong")
		return h.render(e, http.StatusUnauthorized, "login_code", p)
	case errors.Is(err, account.ErrCodeGone):
		return back(http.StatusUnauthorized, "login.code.expired")
	case err != nil:
		return err
	}
	// the account may have been blocked between the two steps
	if reason := access.AccountBlock(e.App, user, h.now()); reason != "" {
		return back(http.StatusForbidden, "login.blocked."+reason)
	}
	if off, err := apikeys.PasswordLoginRefused(e.App, user); err != nil || off {
		if err != nil {
			return err
		}
		return back(http.StatusForbidden, "login.blocked."+apikeys.PasswordLoginOff)
	}
	return h.openSession(e, user, "password+code", next)
}

// resendCode e-mails a new code for the same step (account.Resend: a few
// times at most).
func (h *handlers) resendCode(e *core.RequestEvent) error {
	next := safeNext(e.Request.FormValue("next"))
	step, u, err := account.Resend(e.App, e.Request.FormValue("mfa"), h.now())
	if errors.Is(err, account.ErrCodeGone) {
		p := &loginPage{page: h.page(e, "", "login.title"), Next: next}
		p.Error = p.T("login.code.expired")
		return h.render(e, http.StatusUnauthorized, "login", p)
	}
	if err != nil {
		return err
	}
	p := h.codePage(e, u, step, next)
	p.Resent = true
	return h.render(e, http.StatusOK, "login_code", p)
}
