package cli

import (
	"context"
	"database/sql"
	"runtime/debug"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
	"github.com/relais/relais/hooks/sqlmem"
	"github.com/relais/relais/internal/testapp"
)

// The appliance serves its REST API and its web UI.
func TestNewAppServesEveryPart(t *testing.T) {
	testapp.CheckServes(t, NewApp(pocketbase.Config{DefaultDataDir: t.TempDir()}, nil))
}

// The appliance bounds its memory: a read pool of hooks.ReadPoolOpen
// connections, each with a page cache of hooks.PageCacheKiB, no
// memory-mapped file and temporary b-trees in a temporary file
// (PocketBase's defaults: 120 connections; Relais had 32 MB of cache and a
// 256 MB mapping each, and temporary b-trees in memory). Every connection
// of each pool is checked, all held at once.
func TestNewAppBoundsTheReadPoolAndEachConnection(t *testing.T) {
	app := NewApp(pocketbase.Config{DefaultDataDir: t.TempDir()}, nil)
	require.NoError(t, app.Bootstrap())
	t.Cleanup(func() { _ = app.ClearBootstrap() })
	for name, db := range map[string]dbx.Builder{"read": app.ConcurrentDB(), "write": app.NonconcurrentDB()} {
		d, ok := db.(*dbx.DB)
		require.True(t, ok, name)
		open := d.DB().Stats().MaxOpenConnections
		if name == "read" {
			assert.Equal(t, hooks.ReadPoolOpen, open)
		}
		ctx := context.Background()
		var conns []*sql.Conn
		for i := range open {
			c, err := d.DB().Conn(ctx)
			require.NoError(t, err)
			conns = append(conns, c)
			var cache, mmap, temp int
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache), name)
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA mmap_size").Scan(&mmap), name)
			require.NoError(t, c.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&temp), name)
			assert.Equal(t, -hooks.PageCacheKiB, cache, "%s connection %d", name, i)
			assert.Zero(t, mmap, "%s connection %d", name, i)
			assert.Equal(t, 1, temp, "%s connection %d: temp_store=FILE", name, i)
		}
		for _, c := range conns {
			require.NoError(t, c.Close())
		}
	}
}

// The appliance's Go heap has a soft limit, unless GOMEMLIMIT sets one,
// and so has SQLite's memory.
func TestLimitMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	prevSQLite := sqlmem.SetSoftHeapLimit(0)
	t.Cleanup(func() { sqlmem.SetSoftHeapLimit(prevSQLite) })
	t.Setenv("GOMEMLIMIT", "")
	assert.Equal(t, int64(MemoryLimit), LimitMemory())
	assert.Equal(t, int64(SQLiteSoftHeapLimit), sqlmem.SetSoftHeapLimit(-1), "SQLite's soft heap limit")
	debug.SetMemoryLimit(before)
	t.Setenv("GOMEMLIMIT", "1GiB")
	assert.Equal(t, before, LimitMemory(), "the environment's limit stays")
}
