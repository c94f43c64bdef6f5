package api_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/api"
	"github.com/relais/relais/internal/testapp"
)

func ingestBody(i int) map[string]any {
	return map[string]any{
		"company": fmt.Sprintf("Ferme %d", i), "segment": "business", "postal_code": "29200", "city": "Brest",
		"source": "api", "source_ref": fmt.Sprintf("GATE-%d", i), "score": 40, "consent": true,
		"contact": map[string]any{"last_name": "Gate", "email": fmt.Sprintf("gate%d@ferme.test", i)},
	}
}

// A server under more write load than it can carry answers 503 with
// Retry-After after a bounded wait, instead of queueing: here another
// process holds the database's write lock (as `relais import` does for a
// chunk). The write that waits for the lock gets 503 once the busy
// timeout runs out (not 500); the writes queued behind it get 503 when
// their wait for a write slot runs out (not after the whole queue); reads
// are not held; once the lock is released, writes go through.
func TestOverloadedWritesGet503WithRetryAfter(t *testing.T) {
	app := testapp.NewServing(t)
	api.SetWriteLimits(app, api.WriteLimits{Slots: 1, Wait: 300 * time.Millisecond})
	client := testapp.NewClient(t, app)
	users, err := app.FindCollectionByNameOrId("users")
	require.NoError(t, err)
	u := core.NewRecord(users)
	u.SetEmail("crm@gate.test")
	u.SetPassword("gate-password-123")
	u.Set("role", "integration")
	u.Set("active", true)
	require.NoError(t, app.Save(u))
	tok := testapp.Token(t, app, u)
	// the server's busy timeout, shortened for the test (one connection)
	_, err = app.NonconcurrentDB().NewQuery("PRAGMA busy_timeout = 1500").Execute()
	require.NoError(t, err)

	// another process's write transaction
	other, err := sql.Open("sqlite", filepath.Join(app.DataDir(), "data.db"))
	require.NoError(t, err)
	defer other.Close()
	other.SetMaxOpenConns(1)
	_, err = other.Exec("BEGIN IMMEDIATE")
	require.NoError(t, err)

	var wg sync.WaitGroup
	var first testapp.Response
	var firstTook time.Duration
	wg.Go(func() {
		t0 := time.Now()
		first = client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, ingestBody(1))
		firstTook = time.Since(t0)
	})
	time.Sleep(100 * time.Millisecond) // the first holds the only slot
	t0 := time.Now()
	queued := client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, ingestBody(2))
	queuedTook := time.Since(t0)
	read := client.Do(http.MethodGet, "/api/health", "", nil)
	wg.Wait()

	assert.Equal(t, http.StatusServiceUnavailable, queued.Status, queued.Body)
	assert.Equal(t, "2", queued.Header.Get("Retry-After"))
	assert.Less(t, queuedTook, time.Second, "bounded by the wait for a slot")
	assert.Equal(t, http.StatusOK, read.Status, "reads are not gated")
	assert.Equal(t, http.StatusServiceUnavailable, first.Status, first.Body)
	assert.Equal(t, "2", first.Header.Get("Retry-After"))
	assert.Less(t, firstTook, 5*time.Second, "bounded by the busy timeout")

	_, err = other.Exec("ROLLBACK")
	require.NoError(t, err)
	res := client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, ingestBody(1))
	assert.Equal(t, http.StatusCreated, res.Status, res.Body)
}
