package hooks

import (
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/sessions"
)

// PasswordAuthPriority is the priority of the Relais handler of the users'
// auth-with-password requests. It is the innermost handler and ends the
// chain: it answers with PocketBase's own auth response
// (apis.RecordAuthResponse: MFA, auth rule, enrich hooks, the token), so
// PocketBase's default action, which would compare the password again, never
// runs. Handlers bound with a lower priority (the audit of failed logins)
// still wrap it.
const PasswordAuthPriority = 1000

// bindPasswordAuth answers the users' auth-with-password requests with one
// password comparison (see PasswordAuthPriority): a wrong password or an
// unknown identity gets PocketBase's generic 400, a blocked account with
// the right password a 403 saying why, a usable account PocketBase's auth
// response.
func bindPasswordAuth(app core.App) {
	app.OnRecordAuthWithPasswordRequest("users").Bind(&hook.Handler[*core.RecordAuthWithPasswordRequestEvent]{
		Id:       "relaisPasswordAuth",
		Priority: PasswordAuthPriority,
		Func: func(e *core.RecordAuthWithPasswordRequestEvent) error {
			if !sessions.CheckPassword(e.App, e.Collection.Name, e.Record, e.Password) {
				// PocketBase's own answer (apis/record_auth_with_password.go)
				return e.BadRequestError("Failed to authenticate.", errors.New("invalid login credentials"))
			}
			if reason := access.AccountBlock(e.App, e.Record, time.Now()); reason != "" {
				return e.JSON(http.StatusForbidden, map[string]any{"status": http.StatusForbidden, "message": blockMessages[reason], "code": reason, "data": map[string]any{}})
			}
			return apis.RecordAuthResponse(e.RequestEvent, e.Record, core.MFAMethodPassword, nil)
		},
	})
}
