package ui

import (
	"fmt"
	"html/template"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/reportcalc"
	"github.com/relais/relais/hooks/reports"
	"github.com/relais/relais/ui/charts"
)

// chartsReportPage is the funnel (new → won) and the monthly trend, drawn
// as SVG on the server, each followed by its figures as text.
type chartsReportPage struct {
	*reportPage
	Funnel template.HTML
	Stages []funnelStage
	Trend  template.HTML
	Months []trendMonth
}

type funnelStage struct {
	Label string
	Count int
	Share string // of the leads created ("—" when none)
}

type trendMonth struct {
	Label string
	reports.TrendRow
}

// chartsReport renders the funnel and trend page.
func (h *handlers) chartsReport(e *core.RequestEvent) error {
	rp, err := h.reportPage(e, "charts", "report.charts.title", true)
	if err != nil {
		return err
	}
	p := &chartsReportPage{reportPage: rp}
	f := rp.Filter.hooks()
	funnel, err := reports.Funnel(e.App, rp.Scope, f)
	if err != nil {
		return err
	}
	counts, err := funnelCounts(funnel)
	if err != nil {
		return err
	}
	var bars []charts.Bar
	for i, n := range counts {
		st := funnelStage{Label: p.T("funnel." + reportcalc.FunnelStages[i]), Count: n, Share: p.Ratio(n, counts[0])}
		p.Stages = append(p.Stages, st)
		bars = append(bars, charts.Bar{Label: st.Label, Value: float64(n), Text: p.Num(n) + " · " + st.Share})
	}
	p.Funnel = charts.Funnel(charts.Meta{ID: "funnel-chart", Title: p.T("report.funnel.title"), Desc: p.T("report.funnel.desc")}, bars)

	trend, err := reports.Trend(e.App, rp.Scope, f)
	if err != nil {
		return err
	}
	labels := make([]string, len(trend))
	series := []charts.Series{{Name: p.T("trend.created")}, {Name: p.T("trend.offered")}, {Name: p.T("trend.accepted")}, {Name: p.T("trend.won")}}
	for i, m := range trend {
		labels[i] = p.monthLabel(m.Month)
		p.Months = append(p.Months, trendMonth{Label: labels[i], TrendRow: m})
		for j, v := range []int{m.Created, m.Offered, m.Accepted, m.Won} {
			series[j].Values = append(series[j].Values, float64(v))
		}
	}
	p.Trend = charts.Lines(charts.Meta{ID: "trend-chart", Title: p.T("report.trend.title"), Desc: p.T("report.trend.desc")}, labels, series,
		func(v float64) string { return p.Num(v) })
	return h.render(e, http.StatusOK, "report_charts", p)
}

// funnelCounts reads the stage counts of reports.Funnel, in the order
// of reportcalc.FunnelStages.
func funnelCounts(funnel map[string]any) ([]int, error) {
	stages, ok := funnel["stages"].([]map[string]any)
	if !ok || len(stages) != len(reportcalc.FunnelStages) {
		return nil, fmt.Errorf("ui: unexpected funnel report %v", funnel)
	}
	out := make([]int, len(stages))
	for i, st := range stages {
		n, ok := st["count"].(int)
		if !ok || st["stage"] != reportcalc.FunnelStages[i] {
			return nil, fmt.Errorf("ui: unexpected funnel stage %v", st)
		}
		out[i] = n
	}
	return out, nil
}
