package api

import (
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
)

// ListHintMiddlewareID identifies the middleware.
const ListHintMiddlewareID = "relaisListHints"

// listPath matches the collection list route and captures the collection.
var listPath = regexp.MustCompile(`^/api/collections/([a-z_]+)/records/?$`)

// addListHint ANDs the caller's list hint (access.ListHint) to the filter
// of a REST list request: the same rows, found through an index.
func addListHint(e *core.RequestEvent) error {
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
}
