package stmtcache_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/stmtcache"
	"github.com/relais/relais/internal/testapp"
)

// backgroundPreparations counts the goroutines of the cache's background
// preparations alive now.
func backgroundPreparations() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	return strings.Count(string(buf), "stmtcache.(*executor).prepareLater.func")
}

// When the app stops (test-app cleanup: OnTerminate, then ClearBootstrap
// closes the databases), the cache of its databases is dropped: its Stmts
// closed and forgotten, so none is kept on a closed database.
func TestAppTerminationDropsTheCache(t *testing.T) {
	app := testapp.New(t, "")
	writer := app.NonconcurrentDB().(*dbx.DB)
	var n int
	require.NoError(t, stmtcache.Query(writer, "SELECT count(*) FROM _collections /* close-a */").Row(&n))
	require.NoError(t, writer.Transactional(func(tx *dbx.Tx) error {
		return stmtcache.Query(tx, "SELECT count(*) FROM _params /* close-b */").Row(&n)
	}))
	stmtcache.Wait(writer.DB())
	require.Equal(t, int64(2), stmtcache.SnapshotOf(writer.DB()).Prepares, "both statements shared before the app stops")

	app.Cleanup()
	assert.Equal(t, stmtcache.Stats{}, stmtcache.SnapshotOf(writer.DB()), "the closed database's cache is dropped")
	assert.Zero(t, backgroundPreparations())
}

// A background preparation still waiting for the writer when the app
// stops is cancelled before the databases close: none runs once
// ClearBootstrap has returned, and none fails on the closed database.
func TestAppTerminationStopsBackgroundPreparations(t *testing.T) {
	app := testapp.New(t, "")
	writer := app.NonconcurrentDB().(*dbx.DB)
	errsBefore := stmtcache.Snapshot().Errors
	tx, err := writer.Begin() // holds the one writer connection
	require.NoError(t, err)
	var n int
	require.NoError(t, stmtcache.Query(tx, "SELECT count(*) FROM _collections /* close-c */").Row(&n))
	require.Equal(t, 1, backgroundPreparations(), "the shared statement waits for the writer")

	require.NoError(t, app.ClearBootstrap())
	assert.Zero(t, backgroundPreparations(), "a background preparation outlived the app's databases")
	stmtcache.Wait(writer.DB())
	assert.Equal(t, errsBefore, stmtcache.Snapshot().Errors, "a preparation ran on the closed database: %s", stmtcache.Snapshot().LastError)
	assert.Equal(t, stmtcache.Stats{}, stmtcache.SnapshotOf(writer.DB()))
	require.NoError(t, tx.Rollback())
}
