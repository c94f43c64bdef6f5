package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
)

// Plan is one SQL statement with its EXPLAIN QUERY PLAN.
type Plan struct {
	SQL  string
	Plan []string // one line per plan node, indented by depth
}

// ExplainREST sends the scenario's first REST request with the query log
// of the read pool on, and returns the plans of the statements it ran on
// leads (the list query PocketBase built from the ListRule, the client
// filter and the sort), followed by the plan of the raw SQL limit.
func (e *Env) ExplainREST(s ListScenario) ([]Plan, error) {
	db, ok := e.App.ConcurrentDB().(*dbx.DB)
	if !ok {
		return nil, errors.New("bench: no query log on this app")
	}
	var mu sync.Mutex
	var stmts []string
	old := db.QueryLogFunc
	db.QueryLogFunc = func(_ context.Context, _ time.Duration, q string, _ *sql.Rows, _ error) {
		if strings.Contains(q, "FROM `leads`") {
			mu.Lock()
			stmts = append(stmts, q)
			mu.Unlock()
		}
	}
	err := s.REST(0)
	db.QueryLogFunc = old
	if err != nil {
		return nil, err
	}
	var plans []Plan
	for _, stmt := range stmts {
		pl, err := e.explain(stmt, nil)
		if err != nil {
			return nil, err
		}
		plans = append(plans, pl)
	}
	q, p := s.rawOf(0)
	pl, err := e.explain(q, p)
	if err != nil {
		return nil, err
	}
	pl.SQL = "-- the raw SQL limit\n" + q
	return append(plans, pl), nil
}

func (e *Env) explain(stmt string, p dbx.Params) (Plan, error) {
	var rows []struct {
		ID     int    `db:"id"`
		Parent int    `db:"parent"`
		Detail string `db:"detail"`
	}
	if err := e.App.DB().NewQuery("EXPLAIN QUERY PLAN " + stmt).Bind(p).All(&rows); err != nil {
		return Plan{}, fmt.Errorf("explain %q: %w", stmt, err)
	}
	depth := map[int]int{0: -1}
	pl := Plan{SQL: stmt}
	for _, r := range rows {
		d := depth[r.Parent] + 1
		depth[r.ID] = d
		pl.Plan = append(pl.Plan, strings.Repeat("  ", d)+r.Detail)
	}
	return pl, nil
}

// PrintPlans writes the plans of every list scenario.
func (e *Env) PrintPlans(w io.Writer) error {
	for _, s := range e.ListScenarios() {
		plans, err := e.ExplainREST(s)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "### %s (as %s)\n\n", s.Name, s.account(0).Email)
		for _, p := range plans {
			fmt.Fprintf(w, "```sql\n%s\n```\n```\n%s\n```\n\n", p.SQL, strings.Join(p.Plan, "\n"))
		}
	}
	return nil
}
