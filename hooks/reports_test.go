package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reportWorld builds a small dataset whose figures are computed by hand in
// the test below.
func reportWorld(t *testing.T) *world {
	w := newWorld(t)
	type offerSpec struct {
		partner, user, offered, decided, outcome, reason string
		status                                           string
		won, estimated                                   float64
	}
	specs := []offerSpec{
		{"P1", "partner_user", "2026-03-01 10:00:00.000Z", "2026-03-01 12:00:00.000Z", "accepted", "", "won", 10000, 9000},
		{"P1", "partner_user", "2026-03-02 10:00:00.000Z", "2026-03-02 14:00:00.000Z", "accepted", "", "lost", 0, 7000},
		{"P1", "partner_user", "2026-03-03 10:00:00.000Z", "2026-03-03 11:00:00.000Z", "declined", "Trop loin", "", 0, 0},
		{"P1", "partner_user", "2026-03-04 10:00:00.000Z", "2026-03-06 10:00:00.000Z", "expired", "", "", 0, 0},
		{"P1", "partner_user", "2026-03-05 10:00:00.000Z", "2026-03-05 20:00:00.000Z", "accepted", "", "meeting", 0, 5000},
		{"P2", "pu2", "2026-04-01 10:00:00.000Z", "2026-04-01 11:00:00.000Z", "accepted", "", "won", 20000, 21000},
	}
	for _, s := range specs {
		territory := "T1"
		if s.partner == "P2" {
			territory = "T2"
		}
		status := s.status
		if status == "" {
			status = "ready"
		}
		l := w.lead(leadShape{territory: territory, status: status})
		l.Set("department", "35")
		require.NoError(t, w.app.Save(l))
		if s.outcome == "accepted" {
			l.Set("partner", w.partnerID(s.partner))
			l.Set("assignee", w.uid(s.user))
			l.Set("accepted_at", s.decided)
			l.Set("won_amount", s.won)
			l.Set("estimated_value", s.estimated)
			if status == "won" || status == "lost" {
				l.Set("closed_at", "2026-05-10 10:00:00.000Z")
				l.Set("lost_reason", "Prix")
			}
			require.NoError(t, w.app.Save(l))
		}
		w.mk("lead_offers", map[string]any{"lead": l.Id, "partner": w.partnerID(s.partner), "assignee": w.uid(s.user), "offered_at": s.offered,
			"accept_by": s.decided, "decided_at": s.decided, "outcome": s.outcome, "reason": s.reason})
	}
	return w
}

func TestScorecardFiguresAndScope(t *testing.T) {
	w := reportWorld(t)
	get := func(who, query string) (int, map[string]any, string) {
		res := w.client.Do(http.MethodGet, "/api/prm/reports/partners?from=2026-01-01&to=2026-12-31"+query, w.tokens[who], nil)
		var out map[string]any
		if res.Status == http.StatusOK {
			res.JSON(t, &out)
		}
		return res.Status, out, res.Body
	}
	status, out, body := get("admin", "")
	require.Equal(t, http.StatusOK, status, body)
	rows := out["data"].([]any)
	require.Len(t, rows, 2)
	p1 := rows[0].(map[string]any)
	assert.Equal(t, w.P1, p1["partner"])
	assert.EqualValues(t, 5, p1["offered"])
	assert.EqualValues(t, 3, p1["accepted"])
	assert.EqualValues(t, 60.0, p1["accepted_pct"])
	assert.EqualValues(t, 4.0, p1["median_accept_hours"]) // 2, 4, 10 hours
	assert.EqualValues(t, 8.8, p1["p90_accept_hours"])    // 4 + 0.8 × 6
	assert.EqualValues(t, 1, p1["sla_breaches"])
	assert.EqualValues(t, 1, p1["won"])
	assert.EqualValues(t, 33.3, p1["conversion_pct"])
	assert.EqualValues(t, 10000, p1["revenue"])
	assert.EqualValues(t, 5000, p1["open_pipeline"])
	assert.EqualValues(t, map[string]any{"other": 1.0}, p1["decline_reasons"], "by code: a free-text reason is other")

	// the partner manager of P1 sees P1 only, nothing of P2
	status, out, body = get("partner_manager", "")
	require.Equal(t, http.StatusOK, status, body)
	require.Len(t, out["data"].([]any), 1)
	assert.NotContains(t, body, "Provence Solaire")
	assert.NotContains(t, body, w.P2)
	assert.NotContains(t, body, "20000")
	// asking for the other company's figures is refused
	status, _, body = get("partner_manager", "&partner="+w.P2)
	assert.Equal(t, http.StatusForbidden, status)
	assert.NotContains(t, body, "20000")
	// the channel manager of T1 sees the partners of T1
	status, out, _ = get("channel_manager", "")
	require.Equal(t, http.StatusOK, status)
	require.Len(t, out["data"].([]any), 1)
	// integrations see no report
	status, _, _ = get("integration", "")
	assert.Equal(t, http.StatusForbidden, status)
	// the salesperson sees their own figures
	status, out, _ = get("partner_user", "")
	require.Equal(t, http.StatusOK, status)
	require.Len(t, out["data"].([]any), 1)
	assert.EqualValues(t, 5, out["data"].([]any)[0].(map[string]any)["offered"])
	status, out, _ = get("pu2", "")
	require.Equal(t, http.StatusOK, status)
	assert.EqualValues(t, 1, out["data"].([]any)[0].(map[string]any)["offered"])
}

func TestFunnelTrendDepartments(t *testing.T) {
	w := reportWorld(t)
	res := w.client.Do(http.MethodGet, "/api/prm/reports/funnel?from=2026-01-01&to=2026-12-31", w.tokens["admin"], nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var funnel struct {
		Data struct {
			Stages []struct {
				Stage string `json:"stage"`
				Count int    `json:"count"`
			} `json:"stages"`
		} `json:"data"`
	}
	res.JSON(t, &funnel)
	counts := map[string]int{}
	for _, s := range funnel.Data.Stages {
		counts[s.Stage] = s.Count
	}
	// 6 leads: won, lost(accepted), ready(declined), ready(expired), meeting, won
	assert.Equal(t, map[string]int{"new": 6, "qualified": 6, "offered": 6, "accepted": 4, "meeting": 3, "won": 2}, counts)

	res = w.client.Do(http.MethodGet, "/api/prm/reports/trend?from=2026-03-01&to=2026-05-31", w.tokens["admin"], nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var trend struct {
		Data []map[string]any `json:"data"`
	}
	res.JSON(t, &trend)
	require.Len(t, trend.Data, 3)
	assert.Equal(t, "2026-03", trend.Data[0]["month"])
	assert.EqualValues(t, 5, trend.Data[0]["offered"])
	assert.EqualValues(t, 3, trend.Data[0]["accepted"])
	assert.EqualValues(t, 1, trend.Data[1]["offered"])
	assert.EqualValues(t, 2, trend.Data[2]["won"])
	assert.EqualValues(t, 30000, trend.Data[2]["revenue"])

	res = w.client.Do(http.MethodGet, "/api/prm/reports/departments?from=2026-01-01&to=2026-12-31&department=35", w.tokens["admin"], nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var depts struct {
		Data []map[string]any `json:"data"`
	}
	res.JSON(t, &depts)
	require.Len(t, depts.Data, 1)
	assert.EqualValues(t, 6, depts.Data[0]["leads"], "every fixture lead is in Rennes (35)")
	assert.EqualValues(t, 1, depts.Data[0]["partners"], "P1 serves T1 = 35, 29")
	assert.Equal(t, false, depts.Data[0]["gap"])
	// partners get no coverage figures of the network
	res = w.client.Do(http.MethodGet, "/api/prm/reports/departments?from=2026-01-01&to=2026-12-31&department=35", w.tokens["partner_manager"], nil)
	require.Equal(t, http.StatusOK, res.Status)
	res.JSON(t, &depts)
	assert.EqualValues(t, 0, depts.Data[0]["partners"])
	assert.EqualValues(t, 3, depts.Data[0]["leads"], "P1's accepted leads in 35 (its declined/expired offers are not its leads)")
}

func TestScorecardCSVFollowsExportRules(t *testing.T) {
	w := reportWorld(t)
	p, err := w.app.FindRecordById("partners", w.P1)
	require.NoError(t, err)
	p.Set("name", "=HYPERLINK(\"http://evil\")")
	require.NoError(t, w.app.Save(p))
	res := w.client.Do(http.MethodGet, "/api/prm/reports/partners?format=csv&from=2026-01-01&to=2026-12-31", w.tokens["admin"], nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Header.Get("Content-Type"), "text/csv")
	assert.Contains(t, res.Body, `"'=HYPERLINK(""http://evil"")"`)
	res = w.client.Do(http.MethodGet, "/api/prm/reports/partners?format=csv", w.tokens["partner_manager"], nil)
	assert.Equal(t, http.StatusForbidden, res.Status)
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'export.reports'"))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'export.denied' AND actor = {:u}", map[string]any{"u": w.uid("partner_manager")}))
	_ = core.RequestInfo{}
}
