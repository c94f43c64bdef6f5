package hooks_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reports"
	"github.com/relais/relais/internal/testapp"
)

// rollupSnapshot reads every rollup table in a canonical form: all-zero
// rows dropped (a delta can leave one behind, a rebuild does not), delay
// multisets sorted.
func rollupSnapshot(t *testing.T, app core.App) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, table := range reports.RollupTableNames {
		rows, err := app.DB().NewQuery("SELECT * FROM " + table).Rows()
		require.NoError(t, err)
		cols, err := rows.Columns()
		require.NoError(t, err)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			zero := true
			parts := make([]string, len(cols))
			for i, c := range cols {
				v := fmt.Sprint(vals[i])
				if b, ok := vals[i].([]byte); ok {
					v = string(b)
				}
				if c == "delays" {
					d := strings.Split(v, ",")
					sort.Strings(d)
					v = strings.Join(d, ",")
				}
				switch vals[i].(type) {
				case int64:
					if vals[i].(int64) != 0 {
						zero = false
					}
				}
				parts[i] = c + "=" + v
			}
			if !zero {
				out[table] = append(out[table], strings.Join(parts, " "))
			}
		}
		require.NoError(t, rows.Close())
		sort.Strings(out[table])
	}
	return out
}

// requireRollupsExact compares the rollups the triggers maintained with a
// rebuild from the base tables.
func requireRollupsExact(t *testing.T, app core.App, step string) {
	t.Helper()
	live := rollupSnapshot(t, app)
	require.NoError(t, reports.RebuildRollups(app.DB()))
	rebuilt := rollupSnapshot(t, app)
	for _, table := range reports.RollupTableNames {
		require.Equal(t, rebuilt[table], live[table], "%s after %s", table, step)
	}
}

// TestRollupsStayExact applies random changes of every kind to offers and
// leads — PocketBase saves and deletes, alone or several in a transaction,
// and a raw SQL rewrite followed by the rebuild its writer must call — and
// checks after each that the rollups the hooks maintained equal a rebuild,
// then that the scorecard and the département counts read from the
// rollups equal the same figures computed from the offers and leads.
func TestRollupsStayExact(t *testing.T) {
	w := reportWorld(t)
	app := w.app
	requireRollupsExact(t, app, "the migration's backfill")
	rng := rand.New(rand.NewPCG(7, 8))
	base := time.Date(2026, 9, 20, 8, 0, 0, 0, time.UTC) // periods cross Sept/Oct/Nov
	at := func() time.Time {
		return base.Add(time.Duration(rng.IntN(70*24)) * time.Hour).Add(time.Duration(rng.IntN(3600)) * time.Second)
	}
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }
	partners := []string{w.P1, w.P2}
	terrs := []string{"T1", "T2"}
	depts := []string{"35", "29", "13", "83"}
	reasons := []string{"Trop loin", "Pas disponible", "Hors cible"}
	statuses := []string{"accepted", "contacted", "meeting", "won", "lost", "ready", "offered"}
	var leads []*core.Record
	offers := func() []*core.Record {
		// (offers left behind by a deleted lead no longer validate)
		recs, err := app.FindAllRecords("lead_offers", dbx.NewExp("lead IN (SELECT id FROM leads)"))
		require.NoError(t, err)
		return recs
	}
	pick := func(recs []*core.Record) *core.Record { return recs[rng.IntN(len(recs))] }
	newLead := func() {
		l := w.lead(leadShape{territory: terrs[rng.IntN(2)], status: "ready"})
		l.Set("department", depts[rng.IntN(len(depts))])
		l.Set("estimated_value", float64(rng.IntN(2000000))/100)
		require.NoError(t, app.Save(l))
		l.SetRaw("created", ts(at())) // re-dated through a save: the hooks follow
		require.NoError(t, app.Save(l))
		leads = append(leads, l)
	}
	for range 12 {
		newLead()
	}
	ops := []struct {
		name string
		do   func()
	}{
		{"new lead", newLead},
		{"new offer", func() {
			l := pick(leads)
			w.mk("lead_offers", map[string]any{"lead": l.Id, "partner": partners[rng.IntN(2)], "offered_at": ts(at()), "accept_by": ts(at()), "outcome": "pending"})
		}},
		{"offer decided", func() {
			var pending []*core.Record
			for _, o := range offers() {
				if o.GetString("outcome") == "pending" {
					pending = append(pending, o)
				}
			}
			if len(pending) == 0 {
				return
			}
			o := pick(pending)
			o.Set("outcome", []string{"accepted", "declined", "expired"}[rng.IntN(3)])
			o.Set("decided_at", o.GetDateTime("offered_at").Time().Add(time.Duration(rng.IntN(48*3600))*time.Second))
			if o.GetString("outcome") == "declined" {
				o.Set("reason", reasons[rng.IntN(len(reasons))])
			}
			require.NoError(t, app.Save(o))
		}},
		{"decided offer changed", func() {
			o := pick(offers())
			o.Set("outcome", []string{"accepted", "declined", "expired", "pending"}[rng.IntN(4)])
			o.Set("decided_at", o.GetDateTime("offered_at").Time().Add(time.Duration(rng.IntN(48*3600))*time.Second))
			o.Set("reason", reasons[rng.IntN(len(reasons))])
			require.NoError(t, app.Save(o))
		}},
		{"offer re-dated and moved", func() {
			o := pick(offers())
			o.Set("offered_at", ts(at()))
			o.Set("partner", partners[rng.IntN(2)])
			require.NoError(t, app.Save(o))
		}},
		{"offer deleted", func() { require.NoError(t, app.Delete(pick(offers()))) }},
		{"reason rewritten in SQL, then the decline rollups rebuilt (GDPR erasure)", func() {
			_, err := app.DB().NewQuery("UPDATE lead_offers SET reason = '[effacé]' WHERE outcome = 'declined' AND id IN (SELECT id FROM lead_offers WHERE outcome = 'declined' LIMIT 1)").Execute()
			require.NoError(t, err)
			require.NoError(t, reports.RebuildDeclineRollups(app.DB()))
		}},
		{"lead moved to the other territory", func() {
			l := pick(leads)
			require.NoError(t, reload(app, l))
			l.Set("territory", map[string]string{w.T1: w.T2, w.T2: w.T1}[l.GetString("territory")])
			require.NoError(t, app.Save(l))
		}},
		{"lead worked by a partner", func() {
			l := pick(leads)
			require.NoError(t, reload(app, l))
			l.Set("partner", partners[rng.IntN(2)])
			l.Set("status", statuses[rng.IntN(len(statuses))])
			l.Set("accepted_at", ts(at()))
			l.Set("won_amount", float64(rng.IntN(5000000))/100)
			l.Set("estimated_value", float64(rng.IntN(5000000))/100)
			if s := l.GetString("status"); s == "won" || s == "lost" {
				l.Set("closed_at", ts(at()))
				l.Set("lost_reason", "Prix")
			}
			require.NoError(t, app.Save(l))
		}},
		{"lead returned to the pool", func() {
			l := pick(leads)
			require.NoError(t, reload(app, l))
			l.Set("partner", "")
			l.Set("assignee", "")
			l.Set("accepted_at", "")
			l.Set("status", "ready")
			require.NoError(t, app.Save(l))
		}},
		{"lead deleted", func() {
			i := rng.IntN(len(leads))
			require.NoError(t, app.Delete(leads[i]))
			leads = append(leads[:i], leads[i+1:]...)
		}},
		{"lead and offer changed in one transaction", func() {
			require.NoError(t, app.RunInTransaction(func(tx core.App) error {
				l := pick(leads)
				if err := reload(tx, l); err != nil {
					return err
				}
				l.Set("territory", map[string]string{w.T1: w.T2, w.T2: w.T1}[l.GetString("territory")])
				l.Set("status", "accepted")
				l.Set("partner", partners[rng.IntN(2)])
				l.Set("accepted_at", ts(at()))
				if err := tx.Save(l); err != nil {
					return err
				}
				o := core.NewRecord(mustCollection(t, tx, "lead_offers"))
				o.Load(map[string]any{"lead": l.Id, "partner": l.GetString("partner"), "offered_at": ts(at()), "accept_by": ts(at()), "outcome": "accepted"})
				o.Set("decided_at", o.GetDateTime("offered_at").Time().Add(90*time.Minute))
				return tx.Save(o)
			}))
		}},
	}
	counts := map[string]int{}
	for step := range 240 {
		op := ops[rng.IntN(len(ops))]
		if op.name == "lead deleted" && (len(leads) < 8 || rng.IntN(4) > 0) {
			continue
		}
		if (strings.HasPrefix(op.name, "offer") || strings.HasPrefix(op.name, "decided") || strings.HasPrefix(op.name, "reason")) && len(offers()) == 0 {
			continue
		}
		op.do()
		counts[op.name]++
		requireRollupsExact(t, app, fmt.Sprintf("step %d: %s", step, op.name))
	}
	for _, op := range ops {
		assert.Positive(t, counts[op.name], "operation %q ran", op.name)
	}

	// the reports read from the rollups equal the reports computed from the rows
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	windows := []reports.Filter{
		{From: day("2025-01-01"), To: day("2027-01-01")},
		{From: day("2026-09-25"), To: day("2026-11-07")},
		{From: day("2026-10-01"), To: day("2026-11-01")},
		{From: day("2026-10-15"), To: day("2026-10-16")},
		// edge months read whole where their outside days are empty (the
		// data runs from 20 September to the end of November)
		{From: day("2026-08-10"), To: day("2026-09-25")},
		{From: day("2026-11-15"), To: day("2026-12-10")},
		{From: day("2026-09-10"), To: day("2026-12-10")},
	}
	recent, before := reports.DashboardWindows(day("2026-11-20").Add(15 * time.Hour))
	windows = append(windows, recent, before)
	scopes := []reports.Scope{
		{Level: policy.All, Internal: true},
		{Level: policy.Territory, Territories: []string{w.T1}, Internal: true},
		{Level: policy.Territory, Territories: []string{w.T1, w.T2}, Internal: true},
	}
	compared := 0
	for _, s := range scopes {
		for _, f := range windows {
			for _, partner := range []string{"", w.P2} {
				f.Partner = partner
				got, err := reports.Scorecard(app, s, f)
				require.NoError(t, err)
				want, err := reports.ScorecardRaw(app, s, f)
				require.NoError(t, err)
				label := fmt.Sprintf("%s %v %s→%s partner %q", s.Level, s.Territories, f.From.Format("01-02"), f.To.Format("01-02"), partner)
				require.Len(t, got, len(want), label)
				for i := range want {
					assert.InDelta(t, want[i].Revenue, got[i].Revenue, 0.005, label)
					assert.InDelta(t, want[i].OpenPipeline, got[i].OpenPipeline, 0.005, label)
					got[i].Revenue, got[i].OpenPipeline = want[i].Revenue, want[i].OpenPipeline
				}
				assert.Equal(t, want, got, label)
				compared += len(want)
				acc, err := reports.Acceptance(app, s, f)
				require.NoError(t, err)
				n := 0
				for _, r := range want {
					if r.Offered > 0 {
						n++
						assert.Equal(t, r.Offered, acc[r.Partner].Offered, label)
						assert.Equal(t, r.Accepted, acc[r.Partner].Accepted, label)
						assert.Equal(t, r.AcceptedPct, acc[r.Partner].AcceptedPct, label)
					}
				}
				assert.Len(t, acc, n, label)
				deps, err := reports.Departments(app, s, reports.Filter{From: f.From, To: f.To})
				require.NoError(t, err)
				raw, err := reports.DepartmentsRaw(app, s, reports.Filter{From: f.From, To: f.To})
				require.NoError(t, err)
				for _, d := range deps {
					assert.Equal(t, raw[d.Code].Leads, d.Leads, label+" "+d.Code)
					assert.Equal(t, raw[d.Code].Accepted, d.Accepted, label+" "+d.Code)
				}
			}
		}
	}
	assert.Greater(t, compared, 40, "the comparison saw partner rows")

	// the partner scopes: Acceptance counts the offers as ScorecardRaw
	// does, for the company's offers only; a company's (Org) from its rows
	// of the rollups where the period allows it, a person's (Own) from the
	// offers themselves
	accepted := 0
	log := testapp.LogStatements(app)
	fromRollups := map[string]int{}
	viaRollups := func(s reports.Scope, f reports.Filter) (map[string]reports.ScorecardRow, bool) {
		var acc map[string]reports.ScorecardRow
		var err error
		read := strings.Join(log.Record(func() { acc, err = reports.Acceptance(app, s, f) }), "\n")
		require.NoError(t, err)
		used := strings.Contains(read, "FROM rollup_offers")
		if used {
			assert.NotContains(t, read, "lead_offers", "%s: the rollups or the offers, not both", s.Level)
		}
		return acc, used
	}
	// the windows the rollups answer, as the network's scope shows them
	answered := 0
	for _, f := range windows {
		if _, used := viaRollups(reports.Scope{Level: policy.All, Internal: true}, f); used {
			answered++
		}
	}
	require.Positive(t, answered)
	for _, s := range []reports.Scope{
		{Level: policy.Org, Partner: w.P1}, {Level: policy.Org, Partner: w.P2},
		{Level: policy.Own, UserID: w.users["partner_user"].Id, Partner: w.P1},
		{Level: policy.Own, UserID: w.users["sales"].Id, Internal: true},
	} {
		for _, f := range windows {
			label := fmt.Sprintf("%s %s %s→%s", s.Level, s.Partner, f.From.Format("01-02"), f.To.Format("01-02"))
			want, err := reports.ScorecardRaw(app, s, f)
			require.NoError(t, err)
			acc, used := viaRollups(s, f)
			if used {
				fromRollups[string(s.Level)+" "+s.Partner]++
			}
			n := 0
			for _, r := range want {
				if r.Offered > 0 {
					n++
					assert.Equal(t, r.Offered, acc[r.Partner].Offered, label)
					assert.Equal(t, r.Accepted, acc[r.Partner].Accepted, label)
					assert.Equal(t, r.AcceptedPct, acc[r.Partner].AcceptedPct, label)
				}
			}
			assert.Len(t, acc, n, label)
			for p := range acc {
				assert.Equal(t, s.Partner, p, "%s: only the company's own offers", label)
			}
			accepted += n
		}
	}
	assert.Positive(t, accepted, "the partner scopes saw offers")
	// a company's acceptance comes from its rows of the rollups for every
	// window they answer; a person's never (they do not know the assignee)
	assert.Equal(t, answered, fromRollups[string(policy.Org)+" "+w.P1], "%v", fromRollups)
	assert.Equal(t, answered, fromRollups[string(policy.Org)+" "+w.P2], "%v", fromRollups)
	assert.Zero(t, fromRollups[string(policy.Own)+" "+w.P1], "%v", fromRollups)
	assert.Zero(t, fromRollups[string(policy.Own)+" "], "%v", fromRollups)
	// a partner person's acceptance asks the database for its company's
	// offers only: found by the (partner, offered_at) index, not by a scan
	// of every offer of the period
	own := reports.Scope{Level: policy.Own, UserID: w.users["partner_user"].Id, Partner: w.P1}
	read := log.Record(func() {
		_, err := reports.Acceptance(app, own, windows[1])
		require.NoError(t, err)
	})
	require.Len(t, read, 1)
	plan := []struct {
		Detail string `db:"detail"`
	}{}
	require.NoError(t, app.DB().NewQuery("EXPLAIN QUERY PLAN "+read[0]).All(&plan))
	require.NotEmpty(t, plan)
	for _, step := range plan {
		assert.NotContains(t, step.Detail, "SCAN o", "%s\n%v", read[0], plan)
	}

	// a company's windows together (the dashboard's two): one read of its
	// rows of the rollups, no probe; a person's: one count of the offers;
	// the figures of ScorecardRaw either way; windows sharing days are read
	// one by one, as exactly (a gap between two windows counts in neither)
	seen := 0
	for _, s := range []reports.Scope{{Level: policy.Org, Partner: w.P1}, {Level: policy.Org, Partner: w.P2},
		{Level: policy.Own, UserID: w.users["partner_user"].Id, Partner: w.P1},
		{Level: policy.Own, UserID: w.users["sales"].Id, Internal: true}} {
		table := map[policy.Level]string{policy.Org: "FROM rollup_offers", policy.Own: "FROM lead_offers"}[s.Level]
		for _, c := range []struct {
			fs    []reports.Filter
			reads int
		}{{[]reports.Filter{recent, before}, 1}, {windows[4:6], 1}, {windows[:3], 3}} {
			var accs []map[string]reports.ScorecardRow
			var err error
			read := log.Record(func() { accs, err = reports.AcceptanceWindows(app, s, c.fs...) })
			require.NoError(t, err)
			require.Len(t, read, c.reads, "%s %s: %s", s.Level, s.Partner, strings.Join(read, "\n"))
			for _, st := range read {
				assert.Contains(t, st, table, "%s %s", s.Level, s.Partner)
				assert.NotContains(t, st, "SELECT EXISTS", "%s %s: no probe", s.Level, s.Partner)
			}
			for i, f := range c.fs {
				label := fmt.Sprintf("windows %s %s %s→%s", s.Level, s.Partner, f.From.Format("01-02"), f.To.Format("01-02"))
				want, err := reports.ScorecardRaw(app, s, f)
				require.NoError(t, err)
				n := 0
				for _, r := range want {
					if r.Offered > 0 {
						n++
						assert.Equal(t, r.Offered, accs[i][r.Partner].Offered, label)
						assert.Equal(t, r.Accepted, accs[i][r.Partner].Accepted, label)
						assert.Equal(t, r.AcceptedPct, accs[i][r.Partner].AcceptedPct, label)
					}
				}
				assert.Len(t, accs[i], n, label)
				seen += n
			}
		}
	}
	assert.Positive(t, seen, "the windows saw offers")
}

func mustCollection(t *testing.T, app core.App, name string) *core.Collection {
	c, err := app.FindCollectionByNameOrId(name)
	require.NoError(t, err)
	return c
}

func reload(app core.App, r *core.Record) error {
	fresh, err := app.FindRecordById(r.Collection(), r.Id)
	if err != nil {
		return err
	}
	*r = *fresh
	return nil
}
