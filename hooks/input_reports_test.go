package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Rows stored before amounts were bounded (an estimated value of 1e17, a won
// amount of 1e17: more cents than an int64 holds) do not break the reports
// of anyone: the scorecard, the funnel, the trend and the dashboard answer,
// the out-of-bounds amounts are left out of the sums, the good ones counted.
func TestReportsSurviveOutOfBoundsAmounts(t *testing.T) {
	w := newWorld(t)
	good := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "won", createdBy: "teleoperator"})
	good.Set("won_amount", 1500.5)
	good.Set("accepted_at", types.NowDateTime())
	good.Set("closed_at", types.NowDateTime())
	require.NoError(t, w.app.Save(good))
	open := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted", createdBy: "teleoperator"})
	open.Set("estimated_value", 2000)
	require.NoError(t, w.app.Save(open))
	for _, bad := range []map[string]any{
		{"status": "accepted", "estimated_value": 1e17},
		{"status": "won", "won_amount": 1e17, "closed_at": types.NowDateTime()},
		{"status": "accepted", "estimated_value": 9.3e16},
		{"status": "won", "won_amount": -5e17, "closed_at": types.NowDateTime()},
	} {
		l := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted", createdBy: "teleoperator"})
		for k, v := range bad {
			l.Set(k, v)
		}
		require.NoError(t, w.app.SaveNoValidate(l), "a row stored before the bounds")
	}
	for _, who := range []string{"admin", "channel_manager", "partner_manager"} {
		for _, path := range []string{"/api/prm/reports/partners", "/api/prm/reports/partners?from=2026-01-01&to=2027-12-31", "/api/prm/reports/funnel", "/api/prm/reports/trend", "/api/prm/reports/dashboard"} {
			res := w.client.Do(http.MethodGet, path, w.tokens[who], nil)
			assert.Equal(t, http.StatusOK, res.Status, "%s %s: %s", who, path, snippet(res.Body))
		}
	}
	for _, who := range []string{"admin", "channel_manager"} {
		res := w.client.Do(http.MethodGet, "/api/prm/reports/partners?format=csv", w.tokens[who], nil)
		assert.Equal(t, http.StatusOK, res.Status, "%s CSV: %s", who, snippet(res.Body))
	}
	res := w.client.Do(http.MethodGet, "/api/prm/reports/partners", w.tokens["admin"], nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Contains(t, res.Body, "1500.5", "the good won amount is counted")
	assert.NotContains(t, res.Body, "e+1", "no out-of-bounds sum")
}
