package hooks

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// SessionGuardMiddlewareID identifies the middleware that rejects revoked
// sessions.
const SessionGuardMiddlewareID = "relaisSessionGuard"

// bindSessions makes a revoked session fail loudly: PocketBase treats an
// invalid token as a guest (200 with an empty list), which hides from the
// client that it must log in again. A request that presents a token which
// no longer authenticates, or that belongs to an account that is blocked
// right now (deactivated, expired, partner suspended), gets 401.
func bindSessions(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       SessionGuardMiddlewareID,
			Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 1,
			Func: func(e *core.RequestEvent) error {
				if !strings.HasPrefix(e.Request.URL.Path, "/api/") || e.Request.Header.Get("Authorization") == "" {
					return e.Next()
				}
				if e.Auth == nil {
					return e.JSON(http.StatusUnauthorized, sessionError("session_revoked"))
				}
				if e.Auth.Collection().Name == "users" {
					if reason := AccountBlock(e.App, e.Auth, time.Now()); reason != "" {
						return e.JSON(http.StatusUnauthorized, sessionError(reason))
					}
				}
				return e.Next()
			},
		})
		return se.Next()
	})
}

func sessionError(code string) map[string]any {
	msg := blockMessages[code]
	if msg == "" {
		msg = "This session is no longer valid; please log in again. / Cette session n'est plus valide ; reconnectez-vous."
	}
	return map[string]any{"status": http.StatusUnauthorized, "message": msg, "code": code, "data": map[string]any{}}
}
