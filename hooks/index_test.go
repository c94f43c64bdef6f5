package hooks_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/distribution"
)

// The distribution indexes exist and survive a save of the leads
// collection (a recompilation of the rules saves it).
func TestDistributionIndexesSurviveCollectionSaves(t *testing.T) {
	w := newWorld(t)
	leads, err := w.app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	leads.Fields.Add(leads.Fields.GetByName("city")) // a no-op change
	require.NoError(t, w.app.Save(leads))
	for _, idx := range []string{"idx_leads_partner_open", "idx_leads_partner_won", "idx_lead_offers_partner_at", "idx_leads_ready_queue"} {
		n := countRows(t, w, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = {:n}", map[string]any{"n": idx})
		require.Equal(t, 1, n, idx)
	}
}

// The distribution's counts walk the partial indexes whatever the planner
// would prefer (it picks idx_leads_status for a long partner list).
func TestDistributionCountsUseThePartialIndexes(t *testing.T) {
	w := newWorld(t)
	in := "'" + w.P1 + "','" + w.P2 + "','x1','x2','x3','x4','x5','x6','x7','x8'"
	for q, idx := range map[string]string{distribution.OpenLeadsSQL: "idx_leads_partner_open", distribution.WonLeadsSQL: "idx_leads_partner_won"} {
		rows := []struct {
			Detail string `db:"detail"`
		}{}
		require.NoError(t, w.app.DB().NewQuery("EXPLAIN QUERY PLAN "+fmt.Sprintf(q, in)).All(&rows))
		require.NotEmpty(t, rows)
		require.Contains(t, rows[0].Detail, idx)
	}
}

// The distribution job's queue of ready leads walks its partial index.
func TestReadyQueueUsesItsPartialIndex(t *testing.T) {
	w := newWorld(t)
	rows := []struct {
		Detail string `db:"detail"`
	}{}
	require.NoError(t, w.app.DB().NewQuery("EXPLAIN QUERY PLAN "+distribution.ReadyQueueSQL).
		Bind(map[string]any{"t": 60, "now": "2026-01-01 00:00:00.000Z", "n": 200}).All(&rows))
	require.NotEmpty(t, rows)
	require.Contains(t, rows[0].Detail, "idx_leads_ready_queue")
}
