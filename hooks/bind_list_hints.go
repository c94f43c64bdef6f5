package hooks

import (
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/access"
)

// ListHintMiddlewareID identifies the middleware.
const ListHintMiddlewareID = "relaisListHints"

// listPath matches the collection list route and captures the collection.
var listPath = regexp.MustCompile(`^/api/collections/([a-z_]+)/records/?$`)

// bindListHints installs the middleware on the REST list routes.
func bindListHints(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:       ListHintMiddlewareID,
			Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 3,
			Func: func(e *core.RequestEvent) error {
				if e.Request.Method != http.MethodGet || e.Auth == nil || e.Auth.IsSuperuser() {
					return e.Next()
				}
				mm := listPath.FindStringSubmatch(e.Request.URL.Path)
				if mm == nil {
					return e.Next()
				}
				if hint := access.ListHint(e.App, e.Auth, mm[1], time.Now()); hint != "" {
					q := e.Request.URL.Query()
					if f := strings.TrimSpace(q.Get("filter")); f != "" {
						q.Set("filter", "("+hint+") && ("+f+")")
					} else {
						q.Set("filter", hint)
					}
					e.Request.URL.RawQuery = q.Encode()
				}
				return e.Next()
			},
		})
		return se.Next()
	})
}
