package testapp

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// StatementLog records the SQL statements an app runs on both of its pools
// while Record runs (the statement-count tests pin them).
type StatementLog struct {
	mu   sync.Mutex
	on   bool
	list []string
}

func (l *StatementLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.on {
		l.list = append(l.list, s)
	}
}

// Record returns the statements f runs.
func (l *StatementLog) Record(f func()) []string {
	l.mu.Lock()
	l.on, l.list = true, nil
	l.mu.Unlock()
	f()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.list
}

// LogStatements binds a StatementLog to the query and exec logs of app's
// two pools.
func LogStatements(app core.App) *StatementLog {
	l := &StatementLog{}
	for _, b := range []dbx.Builder{app.ConcurrentDB(), app.NonconcurrentDB()} {
		db := b.(*dbx.DB)
		db.QueryLogFunc = func(_ context.Context, _ time.Duration, sql string, _ *sql.Rows, _ error) { l.add(sql) }
		db.ExecLogFunc = func(_ context.Context, _ time.Duration, sql string, _ sql.Result, _ error) { l.add(sql) }
	}
	return l
}
