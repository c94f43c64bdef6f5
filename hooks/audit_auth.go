package hooks

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// Audit actions of authentication.
const (
	ActionLogin       = "auth.login"
	ActionLoginFailed = "auth.login_failed"
	ActionLogout      = "auth.logout"
	ActionImpersonate = "auth.impersonate"
)

// maxIdentityLen bounds the identity recorded for a failed login (it is
// client input).
const maxIdentityLen = 254

// bindAuthAudit records every login (success and failure, any auth
// collection, superusers included) and impersonation. The entry of a
// successful login is written before the token is sent: a login whose entry
// cannot be written fails. Passwords are never recorded; the identity
// (e-mail) is.
func bindAuthAudit(app core.App) {
	// Runs before the account checks of bindAccounts so that a refused
	// login of a blocked account is recorded too.
	app.OnRecordAuthWithPasswordRequest().Bind(&hook.Handler[*core.RecordAuthWithPasswordRequestEvent]{
		Id:       "relaisAuditLoginFailure",
		Priority: -100,
		Func: func(e *core.RecordAuthWithPasswordRequestEvent) error {
			err := e.Next()
			if err == nil && e.Status() < http.StatusBadRequest {
				return nil
			}
			reason := "invalid_credentials"
			if err == nil && e.Record != nil {
				// answered by bindAccounts: right password, blocked account
				reason = "refused"
				if r := AccountBlock(e.App, e.Record, time.Now()); r != "" {
					reason = r
				}
			}
			// the actor is the unauthenticated caller; the record is the
			// account that was tried, when it exists
			a := ActorOf(e.RequestEvent)
			record := ""
			if e.Record != nil {
				record = e.Record.Id
			}
			identity := e.Identity
			if len(identity) > maxIdentityLen {
				identity = identity[:maxIdentityLen]
			}
			if aerr := Audit(e.App, a, ActionLoginFailed, e.Collection.Name, record,
				map[string]any{"email": identity, "reason": reason}); aerr != nil {
				e.App.Logger().Error("audit: failed login not recorded", "error", aerr)
			}
			return err
		},
	})
	app.OnRecordAuthRequest().Bind(&hook.Handler[*core.RecordAuthRequestEvent]{
		Id:       "relaisAuditLogin",
		Priority: -100,
		Func: func(e *core.RecordAuthRequestEvent) error {
			action := ""
			switch {
			case e.AuthMethod != "":
				action = ActionLogin
			case strings.Contains(e.Request.URL.Path, "/impersonate/"):
				action = ActionImpersonate
			}
			if action == "" { // token refresh: not a new session
				return e.Next()
			}
			a := ActorOf(e.RequestEvent)
			changes := map[string]any{"method": e.AuthMethod, "email": e.Record.Email()}
			if action == ActionLogin {
				a.ID, a.Role, a.Partner = actorFields(e.Record)
			} else {
				changes["method"] = "impersonate"
			}
			if err := Audit(e.App, a, action, e.Collection.Name, e.Record.Id, changes); err != nil {
				return e.InternalServerError("", err)
			}
			if action == ActionLogin && e.Collection.Name == "users" && !e.Record.GetDateTime("inactive_flagged_at").IsZero() {
				// a login ends the inactivity flag (direct update: not a change of the account)
				if _, err := e.App.DB().NewQuery("UPDATE users SET inactive_flagged_at = '' WHERE id = {:id}").
					Bind(map[string]any{"id": e.Record.Id}).Execute(); err != nil {
					return err
				}
			}
			return e.Next()
		},
	})
}

// actorFields returns id, role and partner of an auth record.
func actorFields(r *core.Record) (id, role, partner string) {
	if r.IsSuperuser() {
		return r.Id, "superuser", ""
	}
	return r.Id, r.GetString("role"), r.GetString("partner")
}

// AuditLogout records that user ended their session. PocketBase tokens are
// stateless, so there is no logout endpoint to hook: the web UI calls this
// from its logout handler (before clearing the session cookie), passing the
// request for the IP and request id (e may be nil outside a request). It
// writes one auth.logout entry.
func AuditLogout(app core.App, user *core.Record, e *core.RequestEvent) error {
	var a Actor
	if e != nil {
		a = ActorOf(e)
	}
	a.ID, a.Role, a.Partner = actorFields(user)
	return Audit(app, a, ActionLogout, user.Collection().Name, user.Id, map[string]any{"email": user.Email()})
}
