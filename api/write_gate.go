package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"modernc.org/sqlite"
)

// WriteGateMiddlewareID is the id of the write gate on the router.
const WriteGateMiddlewareID = "relaisWriteGate"

// WriteLimits bound the requests that may change data (every method but
// GET, HEAD and OPTIONS): at most Slots run at once; a request waits at
// most Wait for a slot, then gets 503 with Retry-After instead of queueing
// behind the database's one writer for as long as the queue is.
type WriteLimits struct {
	Slots int
	Wait  time.Duration
}

// DefaultWriteLimits: 16 writes at once (a write takes milliseconds; 16
// queued ones clear in well under a second), 3 s of wait at most.
var DefaultWriteLimits = WriteLimits{Slots: 16, Wait: 3 * time.Second}

// writeRetryAfter is the Retry-After of a 503, in seconds.
const writeRetryAfter = 2

const writeLimitsKey = "relais.writeLimits"

// SetWriteLimits sets the write limits of the app's next router (tests,
// an operator's tuning); DefaultWriteLimits otherwise.
func SetWriteLimits(app core.App, l WriteLimits) { app.Store().Set(writeLimitsKey, l) }

func writeLimitsOf(app core.App) WriteLimits {
	if l, ok := app.Store().Get(writeLimitsKey).(WriteLimits); ok && l.Slots > 0 {
		return l
	}
	return DefaultWriteLimits
}

// gateWrites admits at most Slots data-changing requests at once, each
// after a bounded wait, and answers 503 with Retry-After when the wait
// runs out or when the database stayed locked by another process (a
// `relais import`) for its whole busy timeout: the client retries later
// rather than getting a 500.
func gateWrites(l WriteLimits) func(e *core.RequestEvent) error {
	slots := make(chan struct{}, l.Slots)
	return func(e *core.RequestEvent) error {
		switch e.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return e.Next()
		}
		timer := time.NewTimer(l.Wait)
		defer timer.Stop()
		select {
		case slots <- struct{}{}:
		case <-timer.C:
			return overloaded(e, errors.New("no write slot within "+l.Wait.String()))
		case <-e.Request.Context().Done():
			return e.Request.Context().Err()
		}
		defer func() { <-slots }()
		err := e.Next()
		if isDatabaseBusy(err) {
			return overloaded(e, err)
		}
		return err
	}
}

// overloaded answers 503 with Retry-After.
func overloaded(e *core.RequestEvent, cause error) error {
	e.Response.Header().Set("Retry-After", strconv.Itoa(writeRetryAfter))
	return router.NewApiError(http.StatusServiceUnavailable,
		"The server is busy: retry in a moment. / Le serveur est occupé : réessayez dans un instant.", cause)
}

// SQLite's primary result codes of a database another connection holds.
const (
	sqliteBusy   = 5
	sqliteLocked = 6
)

// isDatabaseBusy reports whether err (or the cause of an API error) is
// SQLite's "database is locked".
func isDatabaseBusy(err error) bool {
	if err == nil {
		return false
	}
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		if cause, ok := apiErr.RawData().(error); ok {
			err = cause
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff
		return code == sqliteBusy || code == sqliteLocked
	}
	return false
}
