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

// ungatedReads are the paths of reads that stay out of the gate: the
// health check, the realtime stream (held open for the session) and
// downloads (files, backups), which stream for as long as the client reads.
var ungatedReads = []string{"/api/health", "/api/realtime", "/api/files/", "/api/backups"}

// gatedRead reports whether request r goes through the read gate.
func gatedRead(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, p := range ungatedReads {
		if strings.HasPrefix(r.URL.Path, p) {
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
