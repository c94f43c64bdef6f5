package testapp

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
)

// serveChecks are requests every Relais binary must answer with its own
// routes (not a 404), anonymously: the REST API, the web UI and
// PocketBase's own API.
var serveChecks = []struct {
	method, path string
	want         int
}{
	{http.MethodPost, "/api/prm/leads/ingest", http.StatusUnauthorized},
	{http.MethodGet, "/api/prm/reports/dashboard", http.StatusUnauthorized},
	{http.MethodGet, "/login", http.StatusOK},
	{http.MethodGet, "/api/health", http.StatusOK},
}

// CheckServes bootstraps app (a binary's app, built on a fresh data dir),
// applies the migrations and the start-up step as its commands do, and
// asserts that its router answers the REST API, the web UI and
// PocketBase's API: a binary that forgot to register a part fails here.
func CheckServes(t *testing.T, app *pocketbase.PocketBase) {
	t.Helper()
	require.NoError(t, app.Bootstrap())
	t.Cleanup(func() { _ = app.ClearBootstrap() })
	require.NoError(t, app.RunAllMigrations())
	_, err := hooks.Reconcile(app)
	require.NoError(t, err)
	c := NewClient(t, app)
	for _, sc := range serveChecks {
		rec := httptest.NewRecorder()
		c.mux.ServeHTTP(rec, httptest.NewRequest(sc.method, sc.path, nil))
		assert.Equal(t, sc.want, rec.Code, "%s %s: %s", sc.method, sc.path, rec.Body.String())
	}
}
