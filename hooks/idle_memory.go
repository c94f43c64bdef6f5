package hooks

import (
	"context"
	"database/sql"
	"runtime/debug"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/idle"
)

// IdleConnTime is how long a database connection may stay unused before
// it closes (PocketBase: 3 minutes), in all four pools (data and auxiliary,
// read and write). A closed connection gives back its page cache and its
// parsed schema; under load every connection is reused long before, so it
// only costs one reopening after a pause.
var IdleConnTime = 30 * time.Second

// Idle watcher: the pools' counts are sampled every idleTick; after
// idleQuiet ticks without a request the memory is released.
const (
	idleTick  = 5 * time.Second
	idleQuiet = 8
)

// bindIdle shortens the pools' idle time once the app has opened its
// databases, and, under `serve`, starts the idle watcher (WatchIdle with
// ReleaseMemory): 40 s after the last request (idle.Watch), the memory
// is given back once.
func bindIdle(app core.App) {
	app.OnBootstrap().Bind(&hook.Handler[*core.BootstrapEvent]{Id: "relaisIdlePools", Func: func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		for _, db := range pools(e.App) {
			db.SetConnMaxIdleTime(IdleConnTime)
		}
		return nil
	}})
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{Id: "relaisIdleWatcher", Func: func(se *core.ServeEvent) error {
		if se.Server != nil {
			ctx, stop := context.WithCancel(context.Background())
			se.App.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
				stop()
				return e.Next()
			})
			var gc idle.GC
			release := func() {
				gc.Idle()
				ReleaseMemory(se.App)
			}
			go WatchIdle(ctx, se.App, idleTick, idleQuiet, release, gc.Busy)
		}
		return se.Next()
	}})
}

// WatchIdle samples the app's count of requests (idle.RequestsOf, counted
// by the API's middleware) every tick until ctx ends and calls release
// when idle.Watch says so: once per idle period of quiet ticks; and wake
// at the first tick that sees a request after a release.
func WatchIdle(ctx context.Context, app core.App, tick time.Duration, quiet int, release, wake func()) {
	w := idle.Watch{Quiet: quiet}
	requests := idle.RequestsOf(app.Store())
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			wasReleased := w.Released()
			if w.Tick(requests.Load()) {
				release()
			} else if wasReleased && !w.Released() {
				wake()
			}
		}
	}
}

// ReleaseMemory gives back what an idle server holds: the SQLite page
// caches (PRAGMA shrink_memory on each pool that has an idle connection;
// a pool without one is left alone rather than opened), the Go heap's
// free memory (debug.FreeOSMemory) and, on Linux, the binary's pages
// mapped from its file (dropBinaryPages). The connections themselves close
// after IdleConnTime; a job polling every second (the webhooks' outbox)
// keeps one open, with the cache of the load before.
func ReleaseMemory(app core.App) {
	for _, db := range pools(app) {
		if db.Stats().Idle == 0 {
			continue
		}
		if _, err := db.Exec("PRAGMA shrink_memory"); err != nil {
			app.Logger().Warn("idle: shrink_memory", "error", err)
		}
	}
	debug.FreeOSMemory()
	if err := dropBinaryPages(); err != nil {
		app.Logger().Warn("idle: binary pages", "error", err)
	}
}

// OpenConns is the number of open connections of the app's four database
// pools.
func OpenConns(app core.App) int {
	n := 0
	for _, db := range pools(app) {
		n += db.Stats().OpenConnections
	}
	return n
}

// pools are the app's four database pools (data and auxiliary, read and
// write).
func pools(app core.App) []*sql.DB {
	var out []*sql.DB
	for _, b := range []dbx.Builder{app.ConcurrentDB(), app.NonconcurrentDB(), app.AuxConcurrentDB(), app.AuxNonconcurrentDB()} {
		if db, ok := b.(*dbx.DB); ok && db != nil {
			out = append(out, db.DB())
		}
	}
	return out
}
