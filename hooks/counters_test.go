package hooks_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/reasons"
)

// counterSnapshot reads the distribution counters (per partner and per
// assignee) in a canonical form:
// rows without any count or offer time dropped (a delta can leave one
// behind, a rebuild does not).
func counterSnapshot(t *testing.T, app core.App) []string {
	t.Helper()
	rows := []struct {
		P        string `db:"partner"`
		Offered  int    `db:"offered"`
		Pending  int    `db:"pending"`
		Accepted int    `db:"accepted"`
		Declined int    `db:"declined"`
		Expired  int    `db:"expired"`
		Last     string `db:"last_offered_at"`
		Open     int    `db:"open_leads"`
		Won      int    `db:"won"`
	}{}
	require.NoError(t, app.DB().NewQuery("SELECT * FROM "+distribution.CountersTable).All(&rows))
	var out []string
	for _, r := range rows {
		if r.Offered == 0 && r.Pending == 0 && r.Accepted == 0 && r.Declined == 0 && r.Expired == 0 && r.Open == 0 && r.Won == 0 && r.Last == "" {
			continue
		}
		out = append(out, fmt.Sprintf("%+v", r))
	}
	users := []struct {
		U    string `db:"user"`
		Open int    `db:"open_leads"`
	}{}
	require.NoError(t, app.DB().NewQuery("SELECT * FROM "+distribution.UserCountersTable).All(&users))
	for _, u := range users {
		if u.Open != 0 {
			out = append(out, fmt.Sprintf("user %+v", u))
		}
	}
	sort.Strings(out)
	return out
}

// requireCountersExact compares the counters the hooks maintained with a
// rebuild from the offers and leads.
func requireCountersExact(t *testing.T, app core.App, step string) {
	t.Helper()
	live := counterSnapshot(t, app)
	require.NoError(t, distribution.RebuildCounters(app.DB()))
	require.Equal(t, counterSnapshot(t, app), live, "counters after %s", step)
}

// TestDistributionCountersStayExact applies random sequences of the
// distribution's operations — leads made ready and offered, accepts,
// declines, expiries, manual assignments, reassignments, arbitrations of
// held leads, wins and losses, deletions of offers and leads, several in
// one transaction — and checks after each that the counters the hooks
// maintained equal a rebuild from scratch.
func TestDistributionCountersStayExact(t *testing.T) {
	w, p3 := distWorld(t)
	app := w.app
	w.addUser("pm3", "partner_manager", p3)
	partners := []string{w.P1, w.P2, p3}
	admin := access.ByUser(w.users["admin"])
	rng := rand.New(rand.NewPCG(17, 42))
	requireCountersExact(t, app, "the start")
	var leads []string
	leadsIn := func(statuses ...string) []*core.Record {
		recs, err := app.FindAllRecords("leads", dbx.In("status", toAny(statuses)...))
		require.NoError(t, err)
		return recs
	}
	pick := func(recs []*core.Record) *core.Record {
		if len(recs) == 0 {
			return nil
		}
		return recs[rng.IntN(len(recs))]
	}
	assignee := func(l *core.Record) access.By {
		u, err := app.FindRecordById("users", l.GetString("assignee"))
		require.NoError(t, err)
		return access.ByUser(u)
	}
	newReady := func() {
		l := w.lead(leadShape{territory: []string{"T1", "T1", "T2"}[rng.IntN(3)], status: "qualifying"})
		l.Set("status", "ready")
		require.NoError(t, app.Save(l)) // distributed after the commit (relaisDistributeReady)
		leads = append(leads, l.Id)
	}
	ops := []struct {
		name string
		do   func()
	}{
		{"lead made ready", newReady},
		{"lead ingested ready", func() { leads = append(leads, readyLead(t, w, "CNT-"+w.next())["id"].(string)) }},
		{"accept", func() {
			if l := pick(leadsIn("offered")); l != nil {
				_, err := distribution.Accept(app, assignee(l), l.Id, "")
				require.NoError(t, err)
			}
		}},
		{"decline", func() {
			if l := pick(leadsIn("offered")); l != nil {
				require.NoError(t, distribution.Decline(app, assignee(l), l.Id, reasons.Capacity, ""))
			}
		}},
		{"expiry", func() {
			_, err := distribution.ExpireOffers(app, time.Now().Add(time.Duration(rng.IntN(100))*time.Hour))
			require.NoError(t, err)
		}},
		{"manual assignment", func() {
			if l := pick(leadsIn("ready", "recycled", "offered")); l != nil {
				_, _ = distribution.Assign(app, admin, l.Id, partners[rng.IntN(3)]) // refusals (territory, certificate) change nothing
			}
		}},
		{"reassignment", func() {
			if l := pick(leadsIn("accepted", "contacted", "meeting", "offered")); l != nil {
				_, _ = distribution.Reassign(app, admin, l.Id, partners[rng.IntN(3)], "Partenaire indisponible")
			}
		}},
		{"arbitration", func() {
			held, _ := heldConflict(t, w, "cnt"+w.next())
			action := distribution.ArbitrationActions()[rng.IntN(len(distribution.ArbitrationActions()))]
			_, _ = distribution.Arbitrate(app, admin, held, distribution.Arbitration{Action: action, Partner: p3, Reason: "Doublon vérifié"})
		}},
		{"won or lost", func() {
			if l := pick(leadsIn("accepted", "contacted", "meeting")); l != nil {
				if rng.IntN(2) == 0 {
					l.Set("status", "won")
					l.Set("won_amount", 12000)
				} else {
					l.Set("status", "lost")
					l.Set("lost_reason", "Prix")
				}
				require.NoError(t, app.Save(l))
			}
		}},
		{"decided offer re-dated and moved", func() {
			offers, err := app.FindAllRecords("lead_offers", dbx.NewExp("outcome != 'pending'"))
			require.NoError(t, err)
			if o := pick(offers); o != nil {
				o.Set("offered_at", time.Now().Add(-time.Duration(rng.IntN(1000))*time.Hour))
				o.Set("partner", partners[rng.IntN(3)])
				require.NoError(t, app.Save(o))
			}
		}},
		{"decided offer deleted", func() {
			offers, err := app.FindAllRecords("lead_offers", dbx.NewExp("outcome != 'pending'"))
			require.NoError(t, err)
			if o := pick(offers); o != nil {
				require.NoError(t, app.Delete(o))
			}
		}},
		{"lead deleted", func() {
			if l := pick(leadsIn("accepted", "won", "offered", "lost", "recycled")); l != nil {
				require.NoError(t, app.Delete(l))
			}
		}},
		{"several in one transaction, rolled back", func() {
			l := pick(leadsIn("offered", "accepted"))
			if l == nil {
				return
			}
			err := app.RunInTransaction(func(tx core.App) error {
				l.Set("status", "won")
				l.Set("won_amount", 5000)
				if err := tx.Save(l); err != nil {
					return err
				}
				return fmt.Errorf("abandoned")
			})
			require.ErrorContains(t, err, "abandoned")
		}},
	}
	for range 6 {
		newReady()
	}
	requireCountersExact(t, app, "the first offers")
	for i := range 120 {
		op := ops[rng.IntN(len(ops))]
		op.do()
		requireCountersExact(t, app, fmt.Sprintf("step %d (%s)", i, op.name))
	}
	// then every outcome the counters keep, whatever the draws were
	for _, op := range []string{"lead made ready", "decline", "lead made ready", "expiry", "lead made ready", "accept", "won or lost"} {
		if op == "expiry" {
			_, err := distribution.ExpireOffers(app, time.Now().Add(100*time.Hour))
			require.NoError(t, err)
		} else if op == "won or lost" {
			l := pick(leadsIn("accepted"))
			require.NotNil(t, l)
			l.Set("status", "won")
			l.Set("won_amount", 9000)
			require.NoError(t, app.Save(l))
		} else {
			for _, o := range ops {
				if o.name == op {
					o.do()
				}
			}
		}
		requireCountersExact(t, app, "the final "+op)
	}
	// the run went through every outcome the counters keep
	var n struct {
		Accepted, Declined, Expired, Won, Open int
	}
	require.NoError(t, app.DB().NewQuery("SELECT SUM(accepted) AS accepted, SUM(declined) AS declined, SUM(expired) AS expired, SUM(won) AS won, SUM(open_leads) AS open FROM "+
		distribution.CountersTable).Row(&n.Accepted, &n.Declined, &n.Expired, &n.Won, &n.Open))
	require.Positive(t, n.Accepted)
	require.Positive(t, n.Declined)
	require.Positive(t, n.Expired)
	require.Positive(t, n.Won)
}
