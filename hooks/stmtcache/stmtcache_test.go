package stmtcache_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/relais/relais/hooks/stmtcache"
)

// countingDriver wraps the SQLite driver and counts the statements each
// connection compiles (every Prepare reaching the driver; the wrapper
// has no direct Exec/Query, so an unprepared query is counted too).
type countingDriver struct {
	inner driver.Driver
	mu    sync.Mutex
	n     map[string]int
}

func (d *countingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.inner.Open(name)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, d: d}, nil
}

func (d *countingDriver) count(q string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.n[q]++
}

func (d *countingDriver) prepares(sub string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for q, k := range d.n {
		if strings.Contains(q, sub) {
			n += k
		}
	}
	return n
}

type countingConn struct {
	driver.Conn
	d *countingDriver
}

func (c *countingConn) Prepare(q string) (driver.Stmt, error) {
	c.d.count(q)
	return c.Conn.Prepare(q)
}

func (c *countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	c.d.count(q)
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

var registerOnce sync.Once
var counting = &countingDriver{n: map[string]int{}}

// openWriter opens a one-connection database (like PocketBase's write
// pool) on the counting driver.
func openWriter(t *testing.T) *dbx.DB {
	registerOnce.Do(func() {
		probe, err := sql.Open("sqlite", ":memory:")
		require.NoError(t, err)
		counting.inner = probe.Driver()
		require.NoError(t, probe.Close())
		sql.Register("sqlite-counting", counting)
	})
	db, err := dbx.Open("sqlite-counting", t.TempDir()+"/w.db")
	require.NoError(t, err)
	db.DB().SetMaxOpenConns(1)
	db.DB().SetMaxIdleConns(1)
	t.Cleanup(func() {
		stmtcache.Drop(db.DB())
		_ = db.Close()
	})
	_, err = db.NewQuery("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)").Execute()
	require.NoError(t, err)
	return db
}

// Inside transactions of the one-connection writer, a cached statement is
// compiled for the first transaction and once more for the shared Stmt,
// then reused by every later transaction without compiling it again; the
// rows written and read are the ones asked for.
func TestStatementsPreparedOnceInTransactions(t *testing.T) {
	db := openWriter(t)
	const ins = "INSERT INTO t (v) VALUES ({:v}) /* tx-insert */"
	const sel = "SELECT count(*) FROM t WHERE v = {:v} /* tx-select */"
	before := stmtcache.SnapshotOf(db.DB())
	for i := range 20 {
		err := db.Transactional(func(tx *dbx.Tx) error {
			if _, err := stmtcache.Query(tx, ins).Bind(dbx.Params{"v": "x"}).Execute(); err != nil {
				return err
			}
			var n int
			if err := stmtcache.Query(tx, sel).Bind(dbx.Params{"v": "x"}).Row(&n); err != nil {
				return err
			}
			assert.Equal(t, i+1, n, "the read sees the transaction's own write")
			return nil
		})
		require.NoError(t, err)
		if i == 0 {
			stmtcache.Wait(db.DB())
		}
	}
	assert.Equal(t, 2, counting.prepares("tx-insert"), "compiled for the first transaction, then once shared")
	assert.Equal(t, 2, counting.prepares("tx-select"))
	after := stmtcache.SnapshotOf(db.DB())
	assert.Equal(t, int64(2), after.Prepares-before.Prepares)
	assert.GreaterOrEqual(t, after.Reuses-before.Reuses, int64(38))
	var n int
	require.NoError(t, db.NewQuery("SELECT count(*) FROM t").Row(&n))
	assert.Equal(t, 20, n)
}

// A rolled back transaction leaves the shared statement usable, and its
// write undone.
func TestCachedStatementAfterRollback(t *testing.T) {
	db := openWriter(t)
	const ins = "INSERT INTO t (v) VALUES ({:v}) /* rb-insert */"
	_, err := stmtcache.Query(db, ins).Bind(dbx.Params{"v": "a"}).Execute()
	require.NoError(t, err)
	err = db.Transactional(func(tx *dbx.Tx) error {
		if _, err := stmtcache.Query(tx, ins).Bind(dbx.Params{"v": "b"}).Execute(); err != nil {
			return err
		}
		return sql.ErrTxDone
	})
	require.ErrorIs(t, err, sql.ErrTxDone)
	require.NoError(t, db.Transactional(func(tx *dbx.Tx) error {
		_, err := stmtcache.Query(tx, ins).Bind(dbx.Params{"v": "c"}).Execute()
		return err
	}))
	var vs []string
	require.NoError(t, db.NewQuery("SELECT v FROM t ORDER BY id").Column(&vs))
	assert.Equal(t, []string{"a", "c"}, vs)
	assert.Equal(t, 1, counting.prepares("rb-insert"), "prepared outside a transaction, reused inside")
}

// Outside a transaction a cached statement is compiled once.
func TestStatementsPreparedOnceOutsideTransactions(t *testing.T) {
	db := openWriter(t)
	const sel = "SELECT count(*) FROM t /* db-select */"
	for range 10 {
		var n int
		require.NoError(t, stmtcache.Query(db, sel).Row(&n))
	}
	assert.Equal(t, 1, counting.prepares("db-select"))
}
