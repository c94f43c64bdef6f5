package api

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks"
)

// ReadGateMiddlewareID is the id of the read gate on the router.
const ReadGateMiddlewareID = "relaisReadGate"

// ReadSlots bounds the reads (GET and HEAD, REST and UI) that run at
// once: twice the read pool (hooks.ReadPoolOpen), so that the pool stays
// busy while some reads render or wait for the writer. A read over the
// bound waits in line, without a time limit (never a 503), until its
// client gives up; one whose client has gone is not started. Without the
// gate every request started at once and waited for a pool connection
// inside its handler: at 1M leads, with slow report and list queries, a
// load the server could not carry kept hundreds of requests in flight,
// each with its memory, and went on running those its clients had
// abandoned for minutes after the load.
var ReadSlots = 2 * hooks.ReadPoolOpen

// ungatedRoutes are the routes whose reads stay out of the gate, by the
// path of the pattern the router matched them with: the health check, the
// embedded static assets (CSS, JS, icons: no database), the realtime
// stream (held open for the session) and downloads (files, backups),
// which stream for as long as the client reads. Every other read waits
// for a slot, among them every page and API read that queries the
// database.
var ungatedRoutes = []string{"/api/health", "/static/", "/api/realtime", "/api/files/", "/api/backups"}

// gatedRead reports whether request r goes through the read gate. It
// decides on r.Pattern, the route the router (net/http's ServeMux)
// matched, not on the raw URL path: the mux matches the escaped, cleaned
// path segment by segment, so an URL whose decoded path merely begins
// like an exempt route (/static%2F..%2Fleads) is judged by the route that
// actually serves it. A request without a pattern is gated.
func gatedRead(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	route := r.Pattern // "[METHOD ]/path/{wildcards}"
	if i := strings.IndexByte(route, ' '); i >= 0 {
		route = route[i+1:]
	}
	for _, p := range ungatedRoutes {
		if strings.HasPrefix(route, p) {
			return false
		}
	}
	return true
}

// gateReads admits at most slots gated reads at once (gatedRead); the
// others wait for a slot in arrival order of the runtime's channel, and
// one whose request context ends (the client closed the connection)
// returns at once without running.
func gateReads(slots int) func(e *core.RequestEvent) error {
	ch := make(chan struct{}, slots)
	return func(e *core.RequestEvent) error {
		if !gatedRead(e.Request) {
			return e.Next()
		}
		ctx := e.Request.Context()
		select {
		case ch <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-ch }()
		if err := ctx.Err(); err != nil {
			return err // the client left while a slot freed: not started
		}
		return e.Next()
	}
}
