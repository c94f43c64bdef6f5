package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gateChain is the read gate followed by a handler that counts its runs
// and blocks until release is closed, chained like the router's
// middlewares (hook.Hook).
func gateChain(slots int, release <-chan struct{}, ran *atomic.Int32) *hook.Hook[*core.RequestEvent] {
	h := &hook.Hook[*core.RequestEvent]{}
	h.BindFunc(gateReads(slots))
	h.BindFunc(func(e *core.RequestEvent) error {
		ran.Add(1)
		<-release
		return nil
	})
	return h
}

// gateEvent is a request for path, as the router hands it over once it
// matched the route of the same path (r.Pattern).
func gateEvent(ctx context.Context, method, path string) *core.RequestEvent {
	e := &core.RequestEvent{}
	e.Request = httptest.NewRequestWithContext(ctx, method, path, nil)
	e.Request.Pattern = method + " " + path
	e.Response = httptest.NewRecorder()
	return e
}

// Reads over the bound wait for a slot instead of all running at once;
// a waiting read whose client has gone returns without running; writes,
// the health check and the realtime stream are not held by the gate.
func TestReadGateQueuesReadsAndDropsAbandonedOnes(t *testing.T) {
	release := make(chan struct{})
	var ran atomic.Int32
	h := gateChain(2, release, &ran)
	var wg sync.WaitGroup
	for range 2 { // the two slots, held
		wg.Go(func() {
			assert.NoError(t, h.Trigger(gateEvent(context.Background(), http.MethodGet, "/api/prm/leads")))
		})
	}
	require.Eventually(t, func() bool { return ran.Load() == 2 }, 5*time.Second, time.Millisecond)

	// a third read waits (it has not run) ...
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Trigger(gateEvent(ctx, http.MethodGet, "/leads")) }()
	// ... a fourth too, and runs once a slot frees
	wg.Go(func() { assert.NoError(t, h.Trigger(gateEvent(context.Background(), http.MethodGet, "/leads/x"))) })
	time.Sleep(50 * time.Millisecond)
	assert.Equal(t, int32(2), ran.Load(), "reads over the bound wait")

	// not gated: a write, the health check, the realtime stream
	for _, r := range [][2]string{{http.MethodPost, "/api/prm/leads/ingest"}, {http.MethodGet, "/api/health"}, {http.MethodGet, "/api/realtime"}} {
		go func() { _ = h.Trigger(gateEvent(context.Background(), r[0], r[1])) }()
	}
	require.Eventually(t, func() bool { return ran.Load() == 5 }, 5*time.Second, time.Millisecond, "ungated requests run at once")

	// the third read's client leaves: it returns at once, without running
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatal("an abandoned read stayed in line")
	}
	assert.Equal(t, int32(5), ran.Load())

	close(release) // the slots free: the fourth read runs, the third never
	wg.Wait()
	assert.Equal(t, int32(6), ran.Load())
}

// A read whose client has already gone is not started even with a slot free.
func TestReadGateSkipsAGoneClient(t *testing.T) {
	release := make(chan struct{})
	close(release)
	var ran atomic.Int32
	h := gateChain(4, release, &ran)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 {
		assert.ErrorIs(t, h.Trigger(gateEvent(ctx, http.MethodGet, "/api/prm/leads")), context.Canceled)
	}
	assert.Zero(t, ran.Load())
	assert.NoError(t, h.Trigger(gateEvent(context.Background(), http.MethodGet, "/api/prm/leads")))
	assert.Equal(t, int32(1), ran.Load())
}

// The serve event binds the read gate on the router, before anything that
// reads the database (the auth token's account).
func TestReadGateIsBoundBeforeTheAuthLoad(t *testing.T) {
	app, err := tests.NewTestApp()
	require.NoError(t, err)
	t.Cleanup(app.Cleanup)
	Register(app)
	r, err := apis.NewRouter(app)
	require.NoError(t, err)
	require.NoError(t, app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error { return nil }))
	prio := map[string]int{}
	for _, m := range r.Middlewares {
		prio[m.Id] = m.Priority
	}
	require.Contains(t, prio, ReadGateMiddlewareID)
	require.Contains(t, prio, AuthCacheMiddlewareID)
	assert.Less(t, prio[ReadGateMiddlewareID], prio[AuthCacheMiddlewareID])
	assert.Less(t, prio[ReadGateMiddlewareID], apis.DefaultLoadAuthTokenMiddlewarePriority)
}

// The gate decides on the route the router matched (r.Pattern), not on
// the decoded URL path: a read served by a database route is gated even
// when its path begins like an exempt one, and a request without a
// matched route is gated.
func TestGatedReadDecidesOnTheMatchedRoute(t *testing.T) {
	for _, c := range []struct {
		method, path, pattern string
		gated                 bool
	}{
		{http.MethodGet, "/static/relais.0123456789ab.css", "GET /static/{file}", false},
		{http.MethodHead, "/static/relais.0123456789ab.css", "GET /static/{file}", false},
		{http.MethodGet, "/api/health", "GET /api/health", false},
		{http.MethodGet, "/api/files/leads/x/a.pdf", "GET /api/files/{collection}/{recordId}/{filename}", false},
		{http.MethodGet, "/static/../leads", "GET /leads", true},
		{http.MethodGet, "/api/health/../prm/leads", "GET /api/prm/leads", true},
		{http.MethodGet, "/api/collections/leads/records", "GET /api/collections/{collection}/records", true},
		{http.MethodGet, "/{$}", "GET /{$}", true},
		{http.MethodGet, "/static/x.css", "", true},
		{http.MethodPost, "/api/prm/leads/ingest", "POST /api/prm/leads/ingest", false},
	} {
		r := httptest.NewRequest(c.method, "/", nil)
		r.URL.Path = c.path
		r.Pattern = c.pattern
		assert.Equal(t, c.gated, gatedRead(r), "%s %s (route %q)", c.method, c.path, c.pattern)
	}
}
