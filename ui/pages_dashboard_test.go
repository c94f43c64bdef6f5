package ui

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/reports"
)

// The dashboard's falling partners carry the same scorecard row as the
// scorecard of each partner alone (DashboardFor reads one scorecard for
// all of them), for the whole network, a channel manager's territories
// and a partner's own company, with one and with several partners falling.
func TestDashboardFallingRowsAreEachPartnersScorecard(t *testing.T) {
	e := newEnv(t)
	now := time.Now()
	recent, _ := reports.DashboardWindows(now)
	emails := []string{"admin@demo.test", "manager.ouest@demo.test", "installer005@demo.test"}
	for round, partnerEmail := range []string{"installer005@demo.test", "installer002@demo.test"} {
		fallingPartner(t, e, e.user(partnerEmail).GetString("partner"))
		seen := 0
		for _, email := range emails {
			scope, err := reports.ScopeFor(e.app, e.user(email), now)
			require.NoError(t, err)
			d, err := reports.DashboardFor(e.app, scope, now)
			require.NoError(t, err)
			for _, row := range d.FallingAcceptance {
				f := recent
				f.Partner = row.Partner
				alone, err := reports.Scorecard(e.app, scope, f)
				require.NoError(t, err)
				require.Len(t, alone, 1, "%s: %s", email, row.Partner)
				assert.Equal(t, alone[0], row.ScorecardRow, "%s: %s", email, row.Partner)
				if scope.Partner != "" {
					assert.Equal(t, scope.Partner, row.Partner, "a partner sees only its own company")
				}
				seen++
			}
		}
		assert.GreaterOrEqual(t, seen, round+1, "round %d: falling partners were compared", round)
	}
}
