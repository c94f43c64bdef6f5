// Package groupcommit runs the transactions of concurrent callers in
// shared transactions: one writer goroutine takes every transaction that
// is waiting (at most MaxBatch), runs each in a savepoint of one SQLite
// transaction, commits once (one fsync with synchronous=FULL for the whole
// group) and then answers each caller with its own result.
//
// Trade-off: a caller waits for the other transactions of its group (a few
// milliseconds each), and in exchange the group pays one commit and one
// fsync instead of one each, which is where a single ingest spends most of
// its time. The writer takes what is queued when it is free and does not
// wait for more (Linger is 0): an alone caller is not delayed, and under
// load the groups form by themselves while the previous one commits.
// MaxBatch bounds the time a caller can wait for others.
//
// A caller's transaction must be safe to run again: when the shared
// transaction cannot commit, or when a transaction fails after its writes
// queued PocketBase's after-commit hooks (which a savepoint cannot take
// back), the group is rolled back as a whole and every transaction of it is
// run again alone, in a transaction of its own (exactly what it would have
// been without grouping).
package groupcommit

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/writerhold"
)

// MaxBatch is the largest number of transactions committed together.
const MaxBatch = 64

// Linger is how long the writer waits for more transactions before it
// commits a group smaller than MaxBatch (0: it never waits).
const Linger = 0 * time.Millisecond

// storeKey is the key of an app's group in its store.
const storeKey = "relais.groupcommit"

// Group is the group committer of one app.
type Group struct {
	app     core.App
	max     int    // largest group
	kind    string // writerhold kind of its transactions
	mu      sync.Mutex
	queue   []*request
	running bool
	stats   Stats
}

// Stats are the counters of a group committer.
type Stats struct {
	Commits int // transactions committed by the writer (shared or alone)
	Grouped int // caller transactions committed in a shared transaction
	Retried int // caller transactions run again alone after a shared one failed
}

type request struct {
	fn   func(tx core.App) error
	done chan error
}

// For returns the group committer of app (one per app, kept in its store).
func For(app core.App) *Group {
	return Named(app, "", MaxBatch, writerhold.Ingest)
}

// Named returns app's group committer called name (one per name and app,
// kept in its store), which commits at most maxBatch transactions
// together and records their holds as kind (writerhold); maxBatch and
// kind are those of the first call for a name.
func Named(app core.App, name string, maxBatch int, kind string) *Group {
	key := storeKey
	if name != "" {
		key += "." + name
	}
	return app.Store().GetOrSet(key, func() any { return &Group{app: app, max: max(maxBatch, 1), kind: kind} }).(*Group)
}

// Run runs fn in a transaction shared with the other callers waiting, and
// returns fn's error (or the commit's) once the transaction is committed.
// fn must use only its tx and be safe to run again. Inside a transaction
// (app is a transaction app) fn runs at once in it.
func Run(app core.App, fn func(tx core.App) error) error {
	if app.IsTransactional() {
		return app.RunInTransaction(fn)
	}
	return For(app).Run(fn)
}

// Run queues fn for the writer and waits for its result.
func (g *Group) Run(fn func(tx core.App) error) error {
	r := &request{fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, r)
	if !g.running {
		g.running = true
		go g.write()
	}
	g.mu.Unlock()
	return <-r.done
}

// Queued returns the number of transactions waiting for the writer.
func (g *Group) Queued() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}

// Stats returns the counters of the group committer.
func (g *Group) Stats() Stats {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stats
}

// write is the writer goroutine: it commits the queue group by group and
// ends when the queue is empty.
func (g *Group) write() {
	for {
		if Linger > 0 {
			time.Sleep(Linger)
		}
		g.mu.Lock()
		n := min(len(g.queue), g.max)
		if n == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		batch := g.queue[:n:n]
		g.queue = append([]*request(nil), g.queue[n:]...)
		g.mu.Unlock()
		g.commitSafely(batch)
	}
}

// commitSafely is commit where a panic (in an after-commit hook, which
// runs in this goroutine and not in a request's) is logged and answered
// as an error to every caller not answered yet, instead of ending the
// process.
func (g *Group) commitSafely(batch []*request) {
	answered := make([]bool, len(batch))
	defer func() {
		if p := recover(); p != nil {
			g.app.Logger().Error("groupcommit: panic", "panic", fmt.Sprint(p))
			for i, r := range batch {
				if !answered[i] {
					r.done <- fmt.Errorf("groupcommit: panic: %v", p)
				}
			}
		}
	}()
	g.commit(batch, answered)
}

// commit runs a group in one transaction, or each of its transactions alone
// when the shared one fails.
func (g *Group) commit(batch []*request, answered []bool) {
	answer := func(i int, err error) {
		batch[i].done <- err
		answered[i] = true
	}
	if len(batch) == 1 {
		answer(0, g.alone(batch[0].fn))
		return
	}
	errs := make([]error, len(batch))
	committed := false
	err := writerhold.Run(g.app, g.kind, func(tx core.App) error {
		// the first after-commit callback: it tells whether the commit
		// held, apart from the errors of the callers' after-commit hooks
		// that PocketBase joins to the result
		tx.TxInfo().OnComplete(func(txErr error) error {
			committed = txErr == nil
			return nil
		})
		for i, r := range batch {
			errs[i] = inSavepoint(tx, "groupcommit", r.fn)
			if errors.Is(errs[i], ErrAbort) {
				return errs[i]
			}
		}
		return nil
	})
	g.count(func(s *Stats) {
		s.Commits++
		if committed {
			s.Grouped += len(batch)
		} else {
			s.Retried += len(batch)
		}
	})
	if committed && err != nil {
		// the group is stored; an after-commit hook failed (the record
		// event's own error hook has run): logged, as it cannot be
		// told to whose write it belonged
		g.app.Logger().Error("groupcommit: after-commit hooks failed", "error", err)
	}
	for i, r := range batch {
		if !committed {
			answer(i, g.alone(r.fn))
			continue
		}
		answer(i, errs[i])
	}
}

// alone runs fn in a transaction of its own.
func (g *Group) alone(fn func(tx core.App) error) error {
	g.count(func(s *Stats) { s.Commits++ })
	return writerhold.Run(g.app, g.kind, func(tx core.App) error { return safely(fn, tx) })
}

func (g *Group) count(f func(*Stats)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f(&g.stats)
}

// ErrAbort tells that a transaction failed after queuing after-commit
// hooks: the transaction around it must not commit.
var ErrAbort = errors.New("groupcommit: a transaction failed after its writes queued after-commit hooks")

// Nested runs fn in a savepoint named name inside the transaction tx (a
// part of a caller's transaction that may fail alone): on error the
// savepoint is rolled back and fn's error returned, the rest of tx kept.
// When fn's writes had queued after-commit hooks before it failed, the
// error is ErrAbort and tx must not commit (PocketBase would run the
// success hooks of records the savepoint took back): return it, and run
// the transaction again without fn.
func Nested(tx core.App, name string, fn func(tx core.App) error) error {
	return inSavepoint(tx, name, fn)
}

// inSavepoint runs fn in a savepoint of tx: on error the savepoint is
// rolled back and fn's error returned, or ErrAbort when fn's writes had
// queued after-commit hooks before it failed (PocketBase would run their
// success hooks for records the savepoint took back).
func inSavepoint(tx core.App, name string, fn func(tx core.App) error) error {
	before := pendingAfterFuncs(tx)
	db := tx.NonconcurrentDB()
	if _, err := db.NewQuery("SAVEPOINT " + name).Execute(); err != nil {
		return fmt.Errorf("%w: %v", ErrAbort, err)
	}
	ferr := safely(fn, tx)
	if ferr == nil {
		if _, err := db.NewQuery("RELEASE " + name).Execute(); err != nil {
			return fmt.Errorf("%w: %v", ErrAbort, err)
		}
		return nil
	}
	if _, err := db.NewQuery("ROLLBACK TO " + name).Execute(); err != nil {
		return fmt.Errorf("%w: %v", ErrAbort, err)
	}
	if _, err := db.NewQuery("RELEASE " + name).Execute(); err != nil {
		return fmt.Errorf("%w: %v", ErrAbort, err)
	}
	if before < 0 || pendingAfterFuncs(tx) != before {
		return fmt.Errorf("%w: %v", ErrAbort, ferr)
	}
	return ferr
}

// safely runs fn, turning a panic into an error (the writer goroutine
// must not crash the server where a request's panic would be recovered).
func safely(fn func(tx core.App) error, tx core.App) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("groupcommit: panic: %v", p)
		}
	}()
	return fn(tx)
}

// pendingAfterFuncs is the number of after-commit callbacks queued on the
// transaction (PocketBase queues one per successful save or delete), or
// -1 when it cannot be read. PocketBase does not export the count: it is
// read by reflection on TxAppInfo.afterFuncs (length only), and a test
// checks that the field is still there.
func pendingAfterFuncs(tx core.App) int {
	info := tx.TxInfo()
	if info == nil {
		return -1
	}
	f := reflect.ValueOf(info).Elem().FieldByName("afterFuncs")
	if !f.IsValid() || f.Kind() != reflect.Slice {
		return -1
	}
	return f.Len()
}
