package cli

import (
	"runtime/debug"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
	"github.com/relais/relais/internal/testapp"
)

// The appliance serves its REST API and its web UI.
func TestNewAppServesEveryPart(t *testing.T) {
	testapp.CheckServes(t, NewApp(pocketbase.Config{DefaultDataDir: t.TempDir()}, nil))
}

// The appliance bounds its memory: a read pool of hooks.ReadPoolOpen
// connections, each with a page cache of hooks.PageCacheKiB and no
// memory-mapped file (PocketBase's defaults: 120 connections; Relais had
// 32 MB of cache and a 256 MB mapping each).
func TestNewAppBoundsTheReadPoolAndEachConnection(t *testing.T) {
	app := NewApp(pocketbase.Config{DefaultDataDir: t.TempDir()}, nil)
	require.NoError(t, app.Bootstrap())
	t.Cleanup(func() { _ = app.ClearBootstrap() })
	for name, db := range map[string]dbx.Builder{"read": app.ConcurrentDB(), "write": app.NonconcurrentDB()} {
		d, ok := db.(*dbx.DB)
		require.True(t, ok, name)
		if name == "read" {
			assert.Equal(t, hooks.ReadPoolOpen, d.DB().Stats().MaxOpenConnections)
		}
		var cache, mmap int
		require.NoError(t, d.NewQuery("PRAGMA cache_size").Row(&cache), name)
		require.NoError(t, d.NewQuery("PRAGMA mmap_size").Row(&mmap), name)
		assert.Equal(t, -hooks.PageCacheKiB, cache, name)
		assert.Zero(t, mmap, name)
	}
}

// The appliance's Go heap has a soft limit, unless GOMEMLIMIT sets one.
func TestLimitMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	t.Setenv("GOMEMLIMIT", "")
	assert.Equal(t, int64(MemoryLimit), LimitMemory())
	debug.SetMemoryLimit(before)
	t.Setenv("GOMEMLIMIT", "1GiB")
	assert.Equal(t, before, LimitMemory(), "the environment's limit stays")
}
