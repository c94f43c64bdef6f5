package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

// The ready leads of a run left waiting are split by what the
// distribution recorded: stalled (nothing recorded within one cycle, or
// recorded late), waiting for a partner per reason, error, back to ready
// less than a cycle ago; leads of other runs, offered leads and leads
// younger than a cycle are not counted.
func TestClassifyWaiting(t *testing.T) {
	app := testapp.New(t, "")
	now := time.Now().UTC()
	at := func(ago time.Duration) string { return now.Add(-ago).Format("2006-01-02 15:04:05.000Z") }
	n := 0
	lead := func(run, status string, ago time.Duration) string {
		n++
		id := fmt.Sprintf("clsf%011d", n)
		_, err := app.DB().NewQuery(`INSERT INTO leads (id, company, status, source_ref, created, updated) VALUES ({:id}, 'Classified', {:st}, {:ref}, {:c}, {:c})`).
			Bind(dbx.Params{"id": id, "st": status, "ref": fmt.Sprintf("mixed-%s-%d", run, n), "c": at(ago)}).Execute()
		require.NoError(t, err)
		return id
	}
	wait := func(leadID, reason string, ago time.Duration) {
		_, err := app.DB().NewQuery(`INSERT INTO distribution_waits (id, lead, since, retry_at, reason, created, updated) VALUES ({:id}, {:l}, {:s}, {:s}, {:r}, {:s}, {:s})`).
			Bind(dbx.Params{"id": "w" + leadID[1:], "l": leadID, "s": at(ago), "r": reason}).Execute()
		require.NoError(t, err)
	}
	offer := func(leadID string, decidedAgo time.Duration) {
		_, err := app.DB().NewQuery(`INSERT INTO lead_offers (id, lead, partner, outcome, decided_at, created, updated) VALUES ({:id}, {:l}, 'nopartner000000', 'declined', {:d}, {:d}, {:d})`).
			Bind(dbx.Params{"id": "o" + leadID[1:], "l": leadID, "d": at(decidedAgo)}).Execute()
		require.NoError(t, err)
	}

	// stalled: nothing recorded (2); a wait recorded 3 minutes after ingest (1)
	lead("r1", "ready", 5*time.Minute)
	lead("r1", "ready", 2*time.Minute)
	wait(lead("r1", "ready", 6*time.Minute), "no_candidate", 3*time.Minute)
	// waiting for a partner, recorded at ingest: no_candidate (3), no_rule (1)
	for range 3 {
		wait(lead("r1", "ready", 4*time.Minute), "no_candidate", 4*time.Minute)
	}
	wait(lead("r1", "ready", 4*time.Minute), "no_rule", 3*time.Minute+30*time.Second)
	// declined 5 minutes ago then recorded waiting at once: in time
	l := lead("r1", "ready", 20*time.Minute)
	offer(l, 5*time.Minute)
	wait(l, "no_candidate", 5*time.Minute-10*time.Second)
	// declined 5 minutes ago, nothing since: stalled
	offer(lead("r1", "ready", 20*time.Minute), 5*time.Minute)
	// declined 20 s ago: in cycle
	offer(lead("r1", "ready", 20*time.Minute), 20*time.Second)
	// error (2)
	wait(lead("r1", "ready", 3*time.Minute), "error", 3*time.Minute)
	wait(lead("r1", "ready", 3*time.Minute), "error", time.Minute)
	// not counted: younger than a cycle, offered, another run
	lead("r1", "ready", 30*time.Second)
	lead("r1", "offered", 5*time.Minute)
	lead("r2", "ready", 5*time.Minute)

	f, err := ClassifyWaiting(app, "mixed-r1-%", now)
	require.NoError(t, err)
	assert.Equal(t, 4, f.Stalled)
	assert.Equal(t, 1, f.StalledLate)
	assert.Equal(t, map[string]int{"no_candidate": 4, "no_rule": 1}, f.ForPartner)
	assert.Equal(t, 2, f.Error)
	assert.Equal(t, 1, f.InCycle)
	assert.Equal(t, 12, f.Total())

	var ready int
	require.NoError(t, app.DB().NewQuery(`SELECT COUNT(*) FROM leads WHERE status = 'ready' AND source_ref LIKE 'mixed-r1-%' AND created < {:cut}`).
		Bind(dbx.Params{"cut": at(DistributionCycle)}).Row(&ready))
	assert.Equal(t, ready, f.Total(), "every counted lead is in one class")
}
