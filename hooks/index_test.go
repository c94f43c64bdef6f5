package hooks_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The distribution indexes exist and survive a save of the leads
// collection (a recompilation of the rules saves it).
func TestDistributionIndexesSurviveCollectionSaves(t *testing.T) {
	w := newWorld(t)
	leads, err := w.app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	leads.Fields.Add(leads.Fields.GetByName("city")) // a no-op change
	require.NoError(t, w.app.Save(leads))
	for _, idx := range []string{"idx_leads_partner_open", "idx_leads_partner_won", "idx_lead_offers_partner_at"} {
		n := countRows(t, w, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = {:n}", map[string]any{"n": idx})
		require.Equal(t, 1, n, idx)
	}
}
