package hooks

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
)

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
				if r := access.AccountBlock(e.App, e.Record, time.Now()); r != "" {
					reason = r
				}
			}
			// the actor is the unauthenticated caller; the record is the
			// account that was tried, when it exists
			a := audit.ActorOf(e.RequestEvent)
			record := ""
			if e.Record != nil {
				record = e.Record.Id
			}
			if aerr := audit.LoginFailed(e.App, a, e.Collection.Name, record, e.Identity, reason); aerr != nil {
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
				action = audit.ActionLogin
			case strings.Contains(e.Request.URL.Path, "/impersonate/"):
				action = audit.ActionImpersonate
			}
			if action == "" { // token refresh: not a new session
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
			if action == audit.ActionLogin && e.Collection.Name == "users" && !e.Record.GetDateTime("inactive_flagged_at").IsZero() {
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
