package ui

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/reportcalc"
	"github.com/relais/relais/hooks/reports"
)

var trendRowRe = regexp.MustCompile(`<tr><th scope="row">[^<]+</th><td class="num" data-label="[^"]+">([0-9\x{00a0} ]+)</td>`)

func TestChartsDrawTheFunnelAndTrendOfTheScope(t *testing.T) {
	e := newEnv(t)
	tr, err := newTranslator()
	require.NoError(t, err)
	fr := tr.locale("fr")
	for _, email := range []string{"admin@demo.test", "installer001@demo.test"} {
		u := e.user(email)
		scope, err := reports.ScopeFor(e.app, u, time.Now())
		require.NoError(t, err)
		now := time.Now()
		f := reports.Period(now, 3) // the quarter, in whole days
		funnel, err := reports.Funnel(e.app, scope, f)
		require.NoError(t, err)
		counts, err := funnelCounts(funnel)
		require.NoError(t, err)
		trend, err := reports.Trend(e.app, scope, f)
		require.NoError(t, err)

		r := e.signedIn(email).get("/reports/charts?period=quarter")
		require.Equal(t, http.StatusOK, r.Status, email)
		has(t, r.Body, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="funnel-chart"`)
		has(t, r.Body, `role="img" aria-labelledby="funnel-chart-title funnel-chart-desc"`)
		has(t, r.Body, `<title id="funnel-chart-title">Entonnoir des leads</title>`)
		has(t, r.Body, `<title id="trend-chart-title">Tendance mensuelle</title>`)
		for i, n := range counts {
			label := fr.T("funnel." + reportcalc.FunnelStages[i])
			has(t, r.Body, ">"+esc(label)+"</text>", email)
			has(t, r.Body, ">"+fr.Num(n)+" · "+fr.Ratio(n, counts[0])+"</text>", email, label)
			// the funnel's table (shown instead of the chart on a phone)
			has(t, r.Body, `<tr><th scope="row">`+esc(label)+`</th><td class="num" data-label="Leads">`+fr.Num(n)+`</td>`, email, label)
		}
		at := strings.Index(r.Body, `id="trend-table"`)
		require.GreaterOrEqual(t, at, 0, email)
		rows := trendRowRe.FindAllStringSubmatch(r.Body[at:], -1)
		require.Len(t, rows, len(trend), "one table row per month")
		for i, m := range trend {
			assert.Equal(t, fr.Num(m.Created), rows[i][1], "%s %s", email, m.Month)
		}
		if email == "admin@demo.test" {
			assert.Positive(t, counts[0], "the demo has leads this quarter")
		}
	}
}

func TestFunnelCountsRefusesAnUnexpectedShape(t *testing.T) {
	_, err := funnelCounts(map[string]any{"stages": []map[string]any{{"stage": "new", "count": 1}}})
	assert.Error(t, err)
	_, err = funnelCounts(map[string]any{})
	assert.Error(t, err)
}
