// Package stmtcache runs our own hot statements (audit chain head,
// counters and rollup upserts, sessions, the auth generation) as
// statements prepared once per connection instead of once per call.
//
// PocketBase builds every query with dbx, which hands the SQL text to
// database/sql; the SQLite driver then compiles it (sqlite3_prepare_v2)
// on every call. Query keeps one database/sql Stmt per SQL text and per
// database: outside a transaction it is used as is (database/sql prepares
// it once on each pooled connection it meets); inside a transaction it is
// bound to the transaction with Tx.Stmt, which reuses the statement
// already prepared on the transaction's connection (the single write
// connection) without compiling it again.
//
// A Stmt cannot be created inside a transaction of the one-connection
// write pool (database/sql would wait for a second connection that never
// comes): the first use of a statement inside a transaction compiles it
// for that transaction only, and a background goroutine prepares the
// shared Stmt as soon as the writer is free; later transactions reuse it.
// The queries keep dbx's log functions, so statement counts see them.
//
// Outside a transaction, pass the app's ConcurrentDB (reads) or
// NonconcurrentDB (writes), not app.DB(): PocketBase's DB() of an app
// outside a transaction routes each query itself and is not cached here
// (Query then runs the statement unprepared). Inside a transaction all
// three are the transaction.
//
// BindClose ties the caches to the app: before its databases close, their
// background preparations are cancelled and waited for and their Stmts
// closed, so nothing of the cache runs on (or keeps) a closed database.
package stmtcache

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// maxDBs bounds the databases with a cache (an app has two; tests open
// many apps one after another): the oldest is dropped beyond it.
const maxDBs = 8

// maxStmts bounds the statements of one database: beyond it a statement
// runs unprepared (only fixed SQL texts of our own code come here).
const maxStmts = 256

// prepareTimeout bounds a background preparation's wait for the writer.
const prepareTimeout = 30 * time.Second

// cache holds the Stmts of one database.
type cache struct {
	prepares, reuses atomic.Int64 // this database's share of the Stats
	mu               sync.Mutex
	stmts            map[string]*sql.Stmt
	pending          map[string]bool
	closed           bool               // dropped: nothing more is kept or started
	ctx              context.Context    // ends when the cache is dropped
	cancel           context.CancelFunc // ends ctx
	wg               sync.WaitGroup
}

var (
	mu     sync.Mutex
	caches = map[*sql.DB]*cache{}
	order  []*sql.DB

	prepares atomic.Int64
	reuses   atomic.Int64
	errs     atomic.Int64
	lastErr  atomic.Value
)

// Stats are the cache's counters since the process started.
type Stats struct {
	// Prepares is the number of shared Stmts prepared (one per SQL text
	// and database, again only after the database was dropped).
	Prepares int64
	// Reuses is the number of queries run on a shared Stmt.
	Reuses int64
	// Errors is the number of failed background preparations; LastError
	// is the last of them.
	Errors    int64
	LastError string
}

// SnapshotOf returns the prepares and reuses of db's cache alone (zero
// when it has none).
func SnapshotOf(db *sql.DB) Stats {
	mu.Lock()
	c := caches[db]
	mu.Unlock()
	if c == nil {
		return Stats{}
	}
	return Stats{Prepares: c.prepares.Load(), Reuses: c.reuses.Load()}
}

// Snapshot returns the counters of the whole process.
func Snapshot() Stats {
	s := Stats{Prepares: prepares.Load(), Reuses: reuses.Load(), Errors: errs.Load()}
	if e, ok := lastErr.Load().(string); ok {
		s.LastError = e
	}
	return s
}

func cacheOf(db *sql.DB) *cache {
	mu.Lock()
	defer mu.Unlock()
	if c := caches[db]; c != nil {
		return c
	}
	c := &cache{stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	caches[db] = c
	order = append(order, db)
	if len(order) > maxDBs {
		old := order[0]
		order = order[1:]
		oc := caches[old]
		delete(caches, old)
		go oc.close()
	}
	return c
}

// close cancels the background preparations of a dropped cache, waits
// for them to end and closes its Stmts; the cache keeps and starts
// nothing afterwards.
func (c *cache) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, s := range c.stmts {
		_ = s.Close() // a dropped database's statements: nothing to report
		delete(c.stmts, k)
	}
}

// Drop forgets the Stmts of db and closes them (an app closing its
// databases calls it; a later Query prepares again).
func Drop(db *sql.DB) {
	mu.Lock()
	c := caches[db]
	delete(caches, db)
	for i, d := range order {
		if d == db {
			order = append(order[:i], order[i+1:]...)
			break
		}
	}
	mu.Unlock()
	if c != nil {
		c.close()
	}
}

// BindClose drops the caches of app's databases when the app clears its
// bootstrap state, before the databases close (PocketBase closes them in
// ClearBootstrap, which app termination and test-app cleanup run).
func BindClose(app core.App) {
	app.OnBootstrapClear().Bind(&hook.Handler[*core.BootstrapEvent]{Id: "relaisStmtCacheClose", Func: func(e *core.BootstrapEvent) error {
		for _, b := range []dbx.Builder{e.App.ConcurrentDB(), e.App.NonconcurrentDB(), e.App.AuxConcurrentDB(), e.App.AuxNonconcurrentDB()} {
			if db, ok := b.(*dbx.DB); ok {
				Drop(db.DB())
			}
		}
		return e.Next()
	}})
}

// Wait waits for the background preparations of db (tests).
func Wait(db *sql.DB) {
	mu.Lock()
	c := caches[db]
	mu.Unlock()
	if c != nil {
		c.wg.Wait()
	}
}

// Query returns b.NewQuery(sqlText) running on a statement prepared once
// (see the package doc). sqlText must be a fixed text (values bound as
// parameters), or the cache fills with single-use statements. The caller
// must not Close the query.
func Query(b dbx.Builder, sqlText string) *dbx.Query {
	var (
		db   *dbx.DB
		sqlx dbx.Executor
	)
	switch v := b.(type) {
	case *dbx.DB:
		db, sqlx = v, v.DB()
	case *dbx.Tx:
		bb, ok := v.Builder.(interface {
			DB() *dbx.DB
			Executor() dbx.Executor
		})
		if !ok {
			return b.NewQuery(sqlText)
		}
		db, sqlx = bb.DB(), bb.Executor()
	default:
		return b.NewQuery(sqlText)
	}
	e := &executor{Executor: sqlx, db: db.DB(), c: cacheOf(db.DB())}
	return dbx.NewQuery(db, e, sqlText).Prepare()
}

// executor is the Executor of a cached query: Prepare hands out the
// shared Stmt (bound to the transaction when there is one).
type executor struct {
	dbx.Executor
	db *sql.DB
	c  *cache
}

// Prepare returns the shared Stmt of raw, preparing it first when
// possible (see the package doc).
func (e *executor) Prepare(raw string) (*sql.Stmt, error) {
	tx, inTx := e.Executor.(*sql.Tx)
	e.c.mu.Lock()
	s := e.c.stmts[raw]
	full := len(e.c.stmts) >= maxStmts
	e.c.mu.Unlock()
	if s != nil {
		reuses.Add(1)
		e.c.reuses.Add(1)
		if inTx {
			return tx.Stmt(s), nil
		}
		return s, nil
	}
	if inTx {
		if !full {
			e.prepareLater(raw)
		}
		return tx.Prepare(raw)
	}
	if full {
		return e.db.Prepare(raw)
	}
	s, err := e.db.Prepare(raw)
	if err != nil {
		return nil, err
	}
	return e.keep(raw, s, false), nil
}

// keep stores s as the shared Stmt of raw, or returns the one another
// caller stored first (closing s). A dropped cache keeps nothing: s
// serves the query that prepared it (and closes with its database), or,
// prepared in the background for no query, is closed.
func (e *executor) keep(raw string, s *sql.Stmt, background bool) *sql.Stmt {
	e.c.mu.Lock()
	defer e.c.mu.Unlock()
	if e.c.closed {
		if background {
			_ = s.Close() // never used: closing it cannot lose work
		}
		return s
	}
	if old := e.c.stmts[raw]; old != nil {
		_ = s.Close() // a duplicate never used: closing it cannot lose work
		return old
	}
	e.c.stmts[raw] = s
	prepares.Add(1)
	e.c.prepares.Add(1)
	return s
}

// prepareLater prepares raw in the background once the writer is free.
func (e *executor) prepareLater(raw string) {
	e.c.mu.Lock()
	if e.c.pending[raw] || e.c.closed {
		e.c.mu.Unlock()
		return
	}
	e.c.pending[raw] = true
	e.c.wg.Add(1)
	e.c.mu.Unlock()
	go func() {
		defer e.c.wg.Done()
		ctx, cancel := context.WithTimeout(e.c.ctx, prepareTimeout)
		defer cancel()
		s, err := e.db.PrepareContext(ctx, raw)
		e.c.mu.Lock()
		delete(e.c.pending, raw)
		closed := e.c.closed
		e.c.mu.Unlock()
		if err != nil {
			if !closed { // not the cancellation of a dropped cache
				errs.Add(1)
				lastErr.Store(err.Error())
			}
			return
		}
		e.keep(raw, s, true)
	}()
}
