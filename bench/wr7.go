package bench

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pocketbase/dbx"
)

// StatementTimes accumulates the statements an app runs (both pools),
// normalised (literals replaced by ?), with their count and time: what a
// write's hold is made of, statement by statement.
type StatementTimes struct {
	mu  sync.Mutex
	by  map[string]*StatementTime
	dbs []*dbx.DB
	old []logFuncs
}

// StatementTime is the count and total time of one normalised statement.
type StatementTime struct {
	SQL   string
	N     int
	Total time.Duration
}

type logFuncs struct {
	q dbx.QueryLogFunc
	x dbx.ExecLogFunc
}

var literal = regexp.MustCompile(`'[^']*'|\b\d+\b`)

// normalise shortens a logged statement to its shape.
func normalise(s string) string {
	s = strings.Join(strings.Fields(literal.ReplaceAllString(s, "?")), " ")
	if len(s) > 90 {
		s = s[:90] + "…"
	}
	return s
}

// TimeStatements starts recording the statements of e.App until Stop.
func (e *Env) TimeStatements() *StatementTimes {
	t := &StatementTimes{by: map[string]*StatementTime{}}
	for _, b := range []dbx.Builder{e.App.ConcurrentDB(), e.App.NonconcurrentDB()} {
		db, ok := b.(*dbx.DB)
		if !ok {
			continue
		}
		t.dbs = append(t.dbs, db)
		t.old = append(t.old, logFuncs{db.QueryLogFunc, db.ExecLogFunc})
		db.QueryLogFunc = func(_ context.Context, d time.Duration, s string, _ *sql.Rows, _ error) { t.add(s, d) }
		db.ExecLogFunc = func(_ context.Context, d time.Duration, s string, _ sql.Result, _ error) { t.add(s, d) }
	}
	return t
}

func (t *StatementTimes) add(s string, d time.Duration) {
	k := normalise(s)
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.by[k]
	if st == nil {
		st = &StatementTime{SQL: k}
		t.by[k] = st
	}
	st.N++
	st.Total += d
}

// Stop restores the log functions and returns the statements, the
// longest total first.
func (t *StatementTimes) Stop() []StatementTime {
	for i, db := range t.dbs {
		db.QueryLogFunc, db.ExecLogFunc = t.old[i].q, t.old[i].x
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]StatementTime, 0, len(t.by))
	for _, st := range t.by {
		out = append(out, *st)
	}
	slices.SortFunc(out, func(a, b StatementTime) int { return int(b.Total - a.Total) })
	return out
}

// FormatStatements prints statements per operation: count per op, mean
// time and the share of the total.
func FormatStatements(sts []StatementTime, ops int) string {
	var total time.Duration
	n := 0
	for _, s := range sts {
		total += s.Total
		n += s.N
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%.1f statements/op, %.3f ms/op of statement time\n", float64(n)/float64(max(ops, 1)), float64(total)/float64(max(ops, 1))/1e6)
	for _, s := range sts {
		fmt.Fprintf(&b, "  %5.2f/op %8.1f µs mean %5.1f%%  %s\n", float64(s.N)/float64(max(ops, 1)),
			float64(s.Total)/float64(max(s.N, 1))/1e3, 100*float64(s.Total)/float64(max(total, 1)), s.SQL)
	}
	return b.String()
}

// CPUTime is the process's user + system CPU time so far.
func CPUTime() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
