package bench

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks"
	// the Relais schema, for Open on an empty data dir
	_ "github.com/relais/relais/migrations"
	"github.com/relais/relais/ui"
)

// Open opens a data dir the way `relais serve` does — Relais migrations
// applied, Relais hooks and web UI registered, the start-up step done
// (hooks.Reconcile), synchronous=FULL (hooks.DBConnect) —
// for the Go benchmarks. Close it with app.ClearBootstrap().
func Open(dir string) (*core.BaseApp, error) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir, DBConnect: hooks.DBConnect})
	if err := app.Bootstrap(); err != nil {
		return nil, err
	}
	if err := app.RunAllMigrations(); err != nil {
		_ = app.ClearBootstrap()
		return nil, err
	}
	hooks.Register(app)
	api.Register(app)
	ui.Register(app)
	if _, err := hooks.Reconcile(app); err != nil { // as serve does
		_ = app.ClearBootstrap()
		return nil, err
	}
	return app, nil
}

// Prepare makes an app with the Relais hooks fit for measuring, in memory
// only (nothing is saved): the rate limiter is switched off (the shipped
// limit of 600 requests per 10 s per IP on /api/ would otherwise cap the
// ingest figures at 60 requests/s, see BENCHMARKS.md) and offer e-mails are
// dropped instead of being handed to sendmail.
func Prepare(app core.App) {
	app.Settings().RateLimits.Enabled = false
	app.OnMailerSend().BindFunc(func(e *core.MailerEvent) error { return nil })
}

// Client sends requests through the app's real router (PocketBase routes,
// middlewares, rules, the Relais routes and hooks) in-process, without a
// network; it is safe for concurrent use.
type Client struct {
	mux http.Handler
}

// NewClients triggers the app's serve event once, like
// hooks/testapp.NewClient (which needs a testing.TB; a second trigger on
// the same app would register PocketBase's routes twice), and returns a
// client with every middleware, then one client per middleware id given,
// with that middleware unbound (to measure without it).
func NewClients(app core.App, unbind ...string) ([]*Client, error) {
	r, err := apis.NewRouter(app)
	if err != nil {
		return nil, err
	}
	var out []*Client
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		for i := -1; i < len(unbind); i++ {
			if i >= 0 {
				e.Router.Unbind(unbind[i])
			}
			m, err := e.Router.BuildMux()
			if err != nil {
				return err
			}
			out = append(out, &Client{mux: m})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UICookie is the web UI's session cookie (it holds the auth token).
const UICookie = "relais_session"

// Page GETs a web UI page with the session cookie of a token.
func (c *Client) Page(url, token string) (int, []byte) {
	req := httptest.NewRequest(http.MethodGet, url, nil)
	req.AddCookie(&http.Cookie{Name: UICookie, Value: token})
	rec := httptest.NewRecorder()
	c.mux.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// Do sends one request with a JSON body (nil for none) and returns the
// status and the body.
func (c *Client) Do(method, url, token string, body []byte) (int, []byte) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, url, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	rec := httptest.NewRecorder()
	c.mux.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// expect turns an unexpected status into an error quoting the body.
func expect(status, want int, body []byte, what string) error {
	if status == want {
		return nil
	}
	if len(body) > 300 {
		body = body[:300]
	}
	return fmt.Errorf("%s: status %d, want %d: %s", what, status, want, body)
}

// errNoFixture is returned when the data dir lacks the bench accounts.
var errNoFixture = errors.New("bench: the data dir holds no bench data (generate it with `relais-bench bench-data`)")
