package testapp

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/sessions"
)

// Client sends requests through the app's real router (PocketBase routes,
// middlewares, rules and the Relais routes and hooks) without a network.
// The router is built once, so many requests stay fast.
type Client struct {
	tb  testing.TB
	mux http.Handler
}

// NewClient triggers the app's serve event once and keeps the mux.
func NewClient(tb testing.TB, app core.App) *Client {
	tb.Helper()
	r, err := apis.NewRouter(app)
	if err != nil {
		tb.Fatal(err)
	}
	se := &core.ServeEvent{App: app, Router: r}
	var mux http.Handler
	err = app.OnServe().Trigger(se, func(e *core.ServeEvent) error {
		m, err := e.Router.BuildMux()
		mux = m
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	// The serve event starts PocketBase's cron; its jobs (offer expiry,
	// distribution) would race with the tests, which run them explicitly.
	app.Cron().Stop()
	return &Client{tb: tb, mux: mux}
}

// Handler returns the app's real HTTP handler (for httptest servers:
// realtime/SSE, browsers).
func (c *Client) Handler() http.Handler { return c.mux }

// Response is a recorded response.
type Response struct {
	Status int
	Body   string
	Header http.Header
}

// JSON decodes the body into v, failing the test on error.
func (r Response) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		tb.Fatalf("decoding %q: %v", r.Body, err)
	}
}

// Do sends one request; token may be empty (guest); body may be nil, a
// string, or a value encoded as JSON.
func (c *Client) Do(method, url, token string, body any, headers ...map[string]string) Response {
	c.tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.tb.Fatal(err)
		}
		rd = strings.NewReader(string(raw))
	}
	req := httptest.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	for _, h := range headers {
		for k, v := range h {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	c.mux.ServeHTTP(rec, req)
	return Response{Status: rec.Code, Body: rec.Body.String(), Header: rec.Header()}
}

// Token returns a fresh auth token of a user, recorded as a session of
// its own (sessions.NewToken: a token without a session is refused).
func Token(tb testing.TB, app core.App, u *core.Record) string {
	tb.Helper()
	t, err := sessions.NewToken(app, u, sessions.ViaAPI)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}
