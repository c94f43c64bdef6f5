package bench

import (
	"fmt"
	"io"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// DistributionCycle is how long a ready lead may go without a decision of
// the distribution (an offer, or a recorded wait for a partner): the
// distribution job runs every minute, and an ingest distributes at once.
const DistributionCycle = time.Minute

// WaitFigures split the ready leads of a run older than one cycle by what
// the distribution recorded for them.
type WaitFigures struct {
	// Stalled: no offer and no wait for a partner recorded within one
	// cycle of the lead becoming ready (its ingest, or its last offer's
	// answer) — the failure the acceptance counts; must be 0.
	Stalled int
	// StalledLate: of Stalled, those whose wait was recorded, but later
	// than one cycle.
	StalledLate int
	// ForPartner: waiting for a partner with a reason recorded in time
	// (reason → count: no_candidate, no_rule).
	ForPartner map[string]int
	// Error: the distribution failed (reason "error"), retried later.
	Error int
	// InCycle: came back to ready (an offer answered) less than one cycle
	// ago, not yet due.
	InCycle int
}

// Total is every ready lead of the run older than one cycle.
func (w WaitFigures) Total() int {
	n := w.Stalled + w.Error + w.InCycle
	for _, c := range w.ForPartner {
		n += c
	}
	return n
}

// waitClassSQL classifies each ready lead of a run (source_ref LIKE
// {:run}) created before {:cut}: its reference time is its ingest or the
// last answer to one of its offers, whichever is later; a wait for a
// partner counts when recorded within {:cycle} seconds of it.
const waitClassSQL = `SELECT class, COUNT(*) AS n FROM (
	SELECT CASE
		WHEN w.reason = 'error' THEN 'error'
		WHEN (julianday({:now}) - julianday(x.ref)) * 86400 < {:cycle} THEN 'in_cycle'
		WHEN w.reason IN ('no_candidate', 'no_rule') AND (julianday(w.since) - julianday(x.ref)) * 86400 <= {:cycle} THEN w.reason
		WHEN w.reason IN ('no_candidate', 'no_rule') THEN 'late'
		ELSE 'stalled' END AS class
	FROM (SELECT l.id AS id, MAX(l.created, COALESCE((SELECT MAX(o.decided_at) FROM lead_offers o WHERE o.lead = l.id AND o.decided_at != ''), '')) AS ref
		FROM leads l WHERE l.status = 'ready' AND l.source_ref LIKE {:run} AND l.created < {:cut}) x
	LEFT JOIN distribution_waits w ON w.lead = x.id
) GROUP BY class`

// ClassifyWaiting reads the WaitFigures of the run's ready leads (source
// references matching runPattern, a LIKE pattern) at now.
func ClassifyWaiting(app core.App, runPattern string, now time.Time) (WaitFigures, error) {
	const layout = "2006-01-02 15:04:05.000Z"
	rows := []struct {
		Class string `db:"class"`
		N     int    `db:"n"`
	}{}
	err := app.DB().NewQuery(waitClassSQL).Bind(dbx.Params{"run": runPattern, "cut": now.Add(-DistributionCycle).UTC().Format(layout),
		"now": now.UTC().Format(layout), "cycle": DistributionCycle.Seconds()}).All(&rows)
	if err != nil {
		return WaitFigures{}, err
	}
	f := WaitFigures{ForPartner: map[string]int{}}
	for _, r := range rows {
		switch r.Class {
		case "stalled":
			f.Stalled += r.N
		case "late":
			f.Stalled += r.N
			f.StalledLate += r.N
		case "error":
			f.Error = r.N
		case "in_cycle":
			f.InCycle = r.N
		default:
			f.ForPartner[r.Class] = r.N
		}
	}
	return f, nil
}

// printWaits writes the split of the run's ready leads left waiting.
func printWaits(w io.Writer, f WaitFigures) {
	fmt.Fprintf(w, "  stalled (no offer, no wait recorded within one cycle; must be 0): %d (of which recorded late: %d)\n", f.Stalled, f.StalledLate)
	fmt.Fprintf(w, "  waiting for a partner, reason recorded: no_candidate %d, no_rule %d\n", f.ForPartner["no_candidate"], f.ForPartner["no_rule"])
	fmt.Fprintf(w, "  distribution error (retried later): %d; back to ready less than one cycle ago: %d\n", f.Error, f.InCycle)
}

// noCandidateNotes counts the notifications of the leads no partner can
// take (all users).
func noCandidateNotes(app core.App) (int, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM notifications WHERE kind = 'lead_no_candidate'").Row(&n)
	return n, err
}
