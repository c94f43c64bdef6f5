package sqlmem_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
	"github.com/relais/relais/hooks/sqlmem"
)

const mb = 1 << 20

// fill makes table t of n rows of about 320 bytes each (n × 320 bytes
// of distinct text), in the database of db.
func fill(t *testing.T, db *sql.DB, n int) {
	t.Helper()
	_, err := db.Exec(`CREATE TABLE t (x TEXT)`)
	require.NoError(t, err)
	_, err = db.Exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < ?)
		INSERT INTO t SELECT printf('%08d-%s', i, hex(randomblob(155))) FROM c`, n)
	require.NoError(t, err)
}

// readOnThreeConnections reads every row of table t (rows of them) on
// three connections of db in turn, each keeping its page cache, and calls
// while once all three hold theirs, before closing them.
func readOnThreeConnections(t *testing.T, db *sql.DB, rows int, while func()) {
	t.Helper()
	ctx := context.Background()
	var conns []*sql.Conn
	for range 3 {
		c, err := db.Conn(ctx)
		require.NoError(t, err)
		conns = append(conns, c)
		var n int
		require.NoError(t, c.QueryRowContext(ctx, `SELECT count(*) FROM t WHERE length(x) > 300`).Scan(&n))
		assert.Equal(t, rows, n)
	}
	while()
	for _, c := range conns {
		require.NoError(t, c.Close())
	}
}

// SQLite counts its memory: the statistics were turned on before the
// first connection of the process opened.
func TestSQLiteCountsItsMemory(t *testing.T) {
	require.NoError(t, sqlmem.Counting())
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "c.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.Exec(`CREATE TABLE c (x)`)
	require.NoError(t, err)
	assert.Positive(t, sqlmem.Used())
	assert.GreaterOrEqual(t, sqlmem.Highwater(false), sqlmem.Used())
}

// A connection opened by hooks.DBConnect keeps a DISTINCT over 32 MB of
// rows (a temporary b-tree of every distinct value) in a bounded page
// cache spilled to a temporary file, and still answers: in memory
// (temp_store=MEMORY) the b-tree grew to the size of the data.
func TestDBConnectBoundsTemporaryBTrees(t *testing.T) {
	require.NoError(t, sqlmem.Counting())
	db, err := hooks.DBConnect(filepath.Join(t.TempDir(), "data.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	db.DB().SetMaxOpenConns(1)
	const rows = 100_000
	fill(t, db.DB(), rows)
	var store int
	require.NoError(t, db.DB().QueryRow(`PRAGMA temp_store`).Scan(&store))
	assert.Equal(t, 1, store, "temp_store=FILE")

	base := sqlmem.Used()
	sqlmem.Highwater(true)
	var distinct int
	var last string
	require.NoError(t, db.DB().QueryRow(`SELECT count(*), max(x) FROM (SELECT DISTINCT x FROM t)`).Scan(&distinct, &last))
	assert.Equal(t, rows, distinct)
	assert.Equal(t, fmt.Sprintf("%08d-", rows), last[:9])
	grew := sqlmem.Highwater(false) - base
	t.Logf("SQLite grew by %.1f MB", float64(grew)/mb)
	assert.Less(t, grew, int64(16*mb), "SQLite grew by %d MB for a DISTINCT over %d MB", grew/mb, rows*320/mb)
}

// Past the soft heap limit SQLite reuses cached pages instead of taking
// more: three connections each reading 24 MB of rows through an 8 MB page
// cache stay near a 4 MB limit, and answer; without a limit the same reads
// keep their three caches full (the control). The database has 8 KiB
// pages so that its pages do not fit the 4 KiB page slots and come from
// the heap, where the limit applies (pages that fit the slots are bounded
// by the slots, see TestPageCachesShareTheSlots).
func TestSoftHeapLimitBoundsThePageCaches(t *testing.T) {
	require.NoError(t, sqlmem.Counting())
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "s.db")+"?_pragma=page_size(8192)&_pragma=cache_size(-8000)&_pragma=mmap_size(0)")
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	const rows = 75_000
	fill(t, db, rows)
	scan := func() int64 {
		var used int64
		readOnThreeConnections(t, db, rows, func() { used = sqlmem.Used() })
		_, err := db.Exec(`PRAGMA shrink_memory`)
		require.NoError(t, err)
		return used
	}
	prev := sqlmem.SetSoftHeapLimit(0)
	t.Cleanup(func() { sqlmem.SetSoftHeapLimit(prev) })
	without := scan()
	const limit = 4 * mb
	sqlmem.SetSoftHeapLimit(limit)
	with := scan()
	t.Logf("SQLite holds %.1f MB without a limit, %.1f MB with", float64(without)/mb, float64(with)/mb)
	assert.Greater(t, without, int64(3*limit), "control: the three caches fill without a limit")
	assert.Less(t, with, int64(limit+2*mb), "with a limit of %d MB SQLite holds %d MB", limit/mb, with/mb)
}

// The page caches of all connections take their pages from the shared
// slots, not from the heap: three connections reading 24 MB of rows each
// through 8 MB page caches use slots while they hold their caches, never
// more than PageSlots, with no page from the heap, and SQLite's own counted
// memory does not grow by the pages read.
func TestPageCachesShareTheSlots(t *testing.T) {
	require.NoError(t, sqlmem.Slots())
	st := sqlmem.PageSlotStats()
	require.Greater(t, st.Size, 4096, "a slot holds a 4 KiB page and its headers")
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "p.db")+"?_pragma=cache_size(-8000)&_pragma=mmap_size(0)")
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	const rows = 75_000
	fill(t, db, rows)
	_, err = db.Exec(`PRAGMA shrink_memory`)
	require.NoError(t, err)

	base := sqlmem.PageSlotStats()
	counted := sqlmem.Used()
	var during sqlmem.SlotStats
	var grew int64
	readOnThreeConnections(t, db, rows, func() {
		during = sqlmem.PageSlotStats()
		grew = sqlmem.Used() - counted
	})
	t.Logf("slots in use %d (max %d of %d), heap overflow %d bytes, counted memory grew by %.1f MB",
		during.Used, during.UsedMax, sqlmem.PageSlots, during.Overflow, float64(grew)/mb)
	assert.Greater(t, during.Used-base.Used, 1000, "the three caches hold their pages in slots")
	assert.LessOrEqual(t, during.UsedMax, sqlmem.PageSlots)
	assert.LessOrEqual(t, during.Overflow, base.Overflow, "no page came from the heap")
	assert.Less(t, grew, int64(2*mb), "the pages read are not counted heap memory")
}
