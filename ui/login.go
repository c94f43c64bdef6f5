package ui

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/apikeys"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/sessions"
)

// loginPage is the data of the login view.
type loginPage struct {
	*page
	Email string
	Next  string
	Error string
}

// showLogin renders the login form (a signed-in user goes home).
func (h *handlers) showLogin(e *core.RequestEvent) error {
	if sess(e) != nil {
		return e.Redirect(http.StatusSeeOther, "/")
	}
	p := &loginPage{page: h.page(e, "", "login.title"), Next: safeNext(e.Request.URL.Query().Get("next"))}
	return h.render(e, http.StatusOK, "login", p)
}

// login checks e-mail and password against the users collection and sets
// the session cookie. Unknown e-mail and wrong password get the same
// message and cost one bcrypt comparison each (sessions.CheckPassword); a
// blocked account with the right password is told why, as the REST API
// does. Attempts are audited and, while the rate limits are on, throttled
// (sessions.LoginWait): the failures of an account from one address or
// one known browser (the device cookie) and those of an address slow the
// next attempts, without ever locking the account.
func (h *handlers) login(e *core.RequestEvent) error {
	email := strings.TrimSpace(strings.ToLower(e.Request.FormValue("email")))
	password := e.Request.FormValue("password")
	p := &loginPage{page: h.page(e, "", "login.title"), Email: email, Next: safeNext(e.Request.FormValue("next"))}
	fail := func(status int, msgID string, args ...any) error {
		p.Error = p.T(msgID, args...)
		return h.render(e, status, "login", p)
	}
	limited := e.App.Settings().RateLimits.Enabled
	if ok, retry := h.logins.Allow("ip:"+e.RealIP(), loginFloodMax, time.Minute, h.now()); limited && !ok {
		return h.tooManyLogins(e, fail, retry)
	}
	if email == "" || password == "" || len(email) > 254 { // no e-mail address is longer
		return fail(http.StatusUnprocessableEntity, "login.failed")
	}
	user, err := e.App.FindAuthRecordByEmail("users", email)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		// a database error is not a wrong password: mwErrors logs it and
		// answers 500
		return fmt.Errorf("login: reading the account: %w", err)
	}
	if err != nil {
		user = nil // unknown e-mail: CheckPassword compares with a dummy hash
	}
	attempt := sessions.LoginAttempt{Collection: "users", Identity: email, IP: e.RealIP(), Device: deviceOf(e, user)}
	if wait := sessions.LoginWait(e.App, attempt, h.now()); limited && wait > 0 {
		return h.tooManyLogins(e, fail, wait)
	}
	if !sessions.CheckPassword(e.App, "users", user, password) {
		sessions.LoginFailed(e.App, attempt, h.now())
		a := audit.ActorOf(e)
		var rec string
		if user != nil {
			rec = user.Id
		}
		if aerr := audit.Append(e.App, a, audit.ActionLoginFailed, "users", rec, map[string]any{"email": email, "reason": "invalid_credentials", "via": "ui"}); aerr != nil {
			return aerr
		}
		return fail(http.StatusUnauthorized, "login.failed")
	}
	sessions.LoginSucceeded(e.App, attempt)
	if reason := access.AccountBlock(e.App, user, h.now()); reason != "" {
		if aerr := audit.Append(e.App, audit.ActorOf(e), audit.ActionLoginFailed, "users", user.Id, map[string]any{"email": email, "reason": reason, "via": "ui"}); aerr != nil {
			return aerr
		}
		return fail(http.StatusForbidden, "login.blocked."+reason)
	}
	if off, err := apikeys.PasswordLoginRefused(e.App, user); err != nil || off {
		if err != nil {
			return err
		}
		if aerr := audit.Append(e.App, audit.ActorOf(e), audit.ActionLoginFailed, "users", user.Id, map[string]any{"email": email, "reason": apikeys.PasswordLoginOff, "via": "ui"}); aerr != nil {
			return aerr
		}
		return fail(http.StatusForbidden, "login.blocked."+apikeys.PasswordLoginOff)
	}
	required, err := account.SecondFactorRequired(e.App, user)
	if err != nil {
		return err
	}
	if required {
		return h.startCodeStep(e, user, p)
	}
	return h.openSession(e, user, "password", p.Next)
}

// openSession signs user in on this browser after a successful login
// (method: "password", or "password+code" after the second factor): a
// new session and its cookie, last_login, the login audit entry, the
// device cookie; then the next page.
func (h *handlers) openSession(e *core.RequestEvent, user *core.Record, method, next string) error {
	token, err := sessions.NewToken(e.App, user, sessions.ViaUI)
	if err != nil {
		return err
	}
	if err := sessions.SetDevice(e.App, token, e.Request.UserAgent(), e.RealIP()); err != nil {
		return err
	}
	now := types.NowDateTime()
	err = e.App.RunInTransaction(func(tx core.App) error {
		// a direct update, as for API logins: recording a login is not a change of the account
		if _, err := tx.DB().NewQuery("UPDATE users SET last_login = {:t} WHERE id = {:id}").
			Bind(map[string]any{"t": now.String(), "id": user.Id}).Execute(); err != nil {
			return err
		}
		a := audit.ActorOfUser(user)
		a.IP, a.RequestID = e.RealIP(), e.Request.Header.Get("X-Request-Id")
		return audit.Append(tx, a, audit.ActionLogin, "users", user.Id, map[string]any{"method": method, "email": user.Email(), "via": "ui"})
	})
	if err != nil {
		return err
	}
	// the cookie lives no longer than the session may
	limits, err := sessions.LoadLimits(e.App)
	if err != nil {
		return err
	}
	setSessionCookie(e, token, min(time.Duration(user.Collection().AuthToken.Duration)*time.Second, limits.Max))
	if err := setDeviceCookie(e, user); err != nil {
		return err
	}
	clearCookie(e, guestCSRF)
	return e.Redirect(http.StatusSeeOther, next)
}
