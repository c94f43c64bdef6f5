package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/apikeys"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/sessions"
)

// blockMessages are the login refusals shown to a user who typed the right
// password on a blocked account (access.AccountBlock), and the messages of
// a session refused for the same reasons.
var blockMessages = map[string]string{
	"account_inactive":       "This account is deactivated. Ask your Relais administrator. / Ce compte est désactivé. Contactez votre administrateur Relais.",
	"account_expired":        "This account has expired. Ask your Relais administrator. / Ce compte a expiré. Contactez votre administrateur Relais.",
	"partner_inactive":       "Your company's partner access is suspended. / L'accès partenaire de votre société est suspendu.",
	apikeys.PasswordLoginOff: "Integration accounts log in with an API key, not a password. / Les comptes d'intégration s'authentifient par clé d'API, pas par mot de passe.",
}

// passwordAuth answers the users' auth-with-password requests with one
// password comparison (sessions.CheckPassword; see passwordAuthPriority):
// a wrong password or an unknown identity gets PocketBase's generic 400, a
// blocked account with the right password a 403 saying why, a usable
// account PocketBase's auth response (apis.RecordAuthResponse: MFA, auth
// rule, enrich hooks, the token), so that PocketBase's default action,
// which would compare the password again, never runs.
func passwordAuth(e *core.RecordAuthWithPasswordRequestEvent) error {
	if !sessions.CheckPassword(e.App, e.Collection.Name, e.Record, e.Password) {
		// PocketBase's own answer (apis/record_auth_with_password.go)
		return e.BadRequestError("Failed to authenticate.", errors.New("invalid login credentials"))
	}
	if reason := access.AccountBlock(e.App, e.Record, time.Now()); reason != "" {
		return e.JSON(http.StatusForbidden, map[string]any{"status": http.StatusForbidden, "message": blockMessages[reason], "code": reason, "data": map[string]any{}})
	}
	if off, err := apikeys.PasswordLoginRefused(e.App, e.Record); err != nil || off {
		if err != nil {
			return e.InternalServerError("", err)
		}
		return e.JSON(http.StatusForbidden, map[string]any{"status": http.StatusForbidden, "message": blockMessages[apikeys.PasswordLoginOff], "code": apikeys.PasswordLoginOff, "data": map[string]any{}})
	}
	return apis.RecordAuthResponse(e.RequestEvent, e.Record, core.MFAMethodPassword, nil)
}

// auditLoginFailure records every refused password login (any auth
// collection, superusers included): it wraps passwordAuth, so that a
// refused login of a blocked account is recorded too. The actor is the
// unauthenticated caller; the record the account that was tried, when it
// exists. Passwords are never recorded; the identity (e-mail) is.
func auditLoginFailure(e *core.RecordAuthWithPasswordRequestEvent) error {
	err := e.Next()
	if (err == nil && e.Status() < http.StatusBadRequest) || errors.Is(err, apis.ErrMFA) {
		return err // signed in, or the right password of a second-factor account (mfa.go)
	}
	reason := "invalid_credentials"
	if err == nil && e.Record != nil {
		// answered by passwordAuth: right password, blocked account
		reason = "refused"
		if r := access.AccountBlock(e.App, e.Record, time.Now()); r != "" {
			reason = r
		}
	}
	record := ""
	if e.Record != nil {
		record = e.Record.Id
	}
	if aerr := audit.LoginFailed(e.App, audit.ActorOf(e.RequestEvent), e.Collection.Name, record, e.Identity, reason); aerr != nil {
		e.App.Logger().Error("audit: failed login not recorded", "error", aerr)
	}
	return err
}

// auditLogin records every login (password, OTP, OAuth2; any auth
// collection) and impersonation before the token is sent: a login whose
// entry cannot be written fails. A login ends the user's inactivity flag.
// A token refresh is not a new session: nothing is recorded.
func auditLogin(e *core.RecordAuthRequestEvent) error {
	action := ""
	switch {
	case e.AuthMethod != "":
		action = audit.ActionLogin
	case strings.Contains(e.Request.URL.Path, "/impersonate/"):
		action = audit.ActionImpersonate
	}
	if action == "" {
		return e.Next()
	}
	a := audit.ActorOf(e.RequestEvent)
	changes := map[string]any{"method": e.AuthMethod, "email": e.Record.Email()}
	if action == audit.ActionLogin {
		a.ID, a.Role, a.Partner = audit.ActorFields(e.Record)
	} else {
		changes["method"] = "impersonate"
	}
	if err := audit.Append(e.App, a, action, e.Collection.Name, e.Record.Id, changes); err != nil {
		return e.InternalServerError("", err)
	}
	if action == audit.ActionLogin {
		if err := governance.ClearInactivityFlag(e.App, e.Record); err != nil {
			return err
		}
	}
	return e.Next()
}

// recordLastLogin stores the time of a user's password login (or of its
// second factor, the code, which ends it).
func recordLastLogin(e *core.RecordAuthRequestEvent) error {
	if e.AuthMethod == core.MFAMethodPassword || e.AuthMethod == core.MFAMethodOTP {
		if err := governance.RecordLastLogin(e.App, e.Record); err != nil {
			return err
		}
	}
	return e.Next()
}
