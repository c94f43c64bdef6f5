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

// idleTick is how often the idle watcher samples the pools.
const idleTick = 5 * time.Second

// bindIdle shortens the pools' idle time once the app has opened its
// databases, and, under `serve`, starts the idle watcher: when no database
// connection is left open (nothing has run for IdleConnTime), it returns
// the Go heap's free memory to the system once (debug.FreeOSMemory), which
// the runtime would otherwise keep for the next burst. The decision is
// idle.Watch's.
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
			go WatchIdle(ctx, se.App, idleTick, debug.FreeOSMemory)
		}
		return se.Next()
	}})
}

// WatchIdle samples the app's database pools every tick until ctx ends and
// calls release when idle.Watch says so (once per idle period).
func WatchIdle(ctx context.Context, app core.App, tick time.Duration, release func()) {
	var w idle.Watch
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if w.Tick(OpenConns(app)) {
				release()
			}
		}
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
