package api

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/idle"
)

// IdleCountMiddlewareID counts every request (idle.Requests) for the idle
// watcher of package hooks, which gives the memory back once the requests
// stop.
const IdleCountMiddlewareID = "relaisIdleCount"

// countRequests is the middleware of IdleCountMiddlewareID.
func countRequests(requests *idle.Requests) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		requests.Add()
		return e.Next()
	}
}
