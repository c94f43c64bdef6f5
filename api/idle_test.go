package api_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/idle"
	"github.com/relais/relais/internal/testapp"
)

// Every request counts as activity for the idle watcher: the REST API,
// the UI, a refused request.
func TestEveryRequestCountsForTheIdleWatcher(t *testing.T) {
	app := testapp.New(t, "")
	client := testapp.NewClient(t, app)
	requests := idle.RequestsOf(app.Store())
	for i, path := range []string{"/api/health", "/login", "/api/prm/leads/ingest"} {
		before := requests.Load()
		method := http.MethodGet
		if i == 2 {
			method = http.MethodPost // no token: 401
		}
		res := client.Do(method, path, "", nil)
		require.NotZero(t, res.Status, path)
		require.Equal(t, before+1, requests.Load(), "%s %s counted once", method, path)
	}
}
