package ui

import (
	"html/template"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/reports"
	"github.com/relais/relais/ui/charts"
)

// mapReportPage is the map of France by département, coloured by leads,
// acceptance rate or (internal roles) partner coverage, with the coverage
// gaps hatched and each département a link that filters the scorecard;
// the figures follow as a table.
type mapReportPage struct {
	*reportPage
	Metric  string
	Metrics []string
	Map     template.HTML
	Rows    []deptRow
	Gaps    int
}

// deptRow is a département of the table under the map.
type deptRow struct {
	reports.DepartmentRow
	Href string
}

// MetricLink is the link that colours the map by metric (leads, the
// default, needs no parameter).
func (p *mapReportPage) MetricLink(metric string) string {
	if metric == "leads" {
		metric = ""
	}
	return p.Link(p.Path, "metric", metric)
}

// mapMetrics are the colourings; coverage is internal only (partner counts
// of the network are not a partner's business).
func mapMetrics(internal bool) []string {
	if internal {
		return []string{"leads", "acceptance", "coverage"}
	}
	return []string{"leads", "acceptance"}
}

// acceptanceBounds are the upper bounds (%) of the acceptance classes.
var acceptanceBounds = []float64{20, 40, 60, 80, 100}

// mapClasses returns the class of every département for a metric and the
// legend, labels from tr (translate) and num (format a count).
func mapClasses(metric string, rows []reports.DepartmentRow, tr func(id string, args ...any) string) (map[string]int, []charts.LegendItem) {
	classes := map[string]int{}
	var legend []charts.LegendItem
	switch metric {
	case "acceptance":
		legend = append(legend, charts.LegendItem{Class: 0, Label: tr("report.map.no_leads")})
		lo := 0.0
		for i, hi := range acceptanceBounds {
			legend = append(legend, charts.LegendItem{Class: i + 1, Label: tr("report.map.pct_range", "From", lo, "To", hi)})
			lo = hi
		}
		for _, r := range rows {
			if r.Leads == 0 {
				continue
			}
			c := len(acceptanceBounds)
			for i, hi := range acceptanceBounds {
				if r.AcceptedPct < hi {
					c = i + 1
					break
				}
			}
			classes[r.Code] = c
		}
	default: // leads, coverage: counts in equal classes
		value := func(r reports.DepartmentRow) int { return r.Leads }
		none := "report.map.no_leads"
		if metric == "coverage" {
			value = func(r reports.DepartmentRow) int { return r.Partners }
			none = "report.map.no_partner"
		}
		top := 0
		for _, r := range rows {
			top = max(top, value(r))
		}
		breaks := charts.Breaks(top, len(charts.Palette)-1)
		legend = append(legend, charts.LegendItem{Class: 0, Label: tr(none)})
		lo := 1
		for i, hi := range breaks {
			label := tr("report.map.range", "From", lo, "To", hi)
			if lo == hi {
				label = tr("report.map.one", "N", hi)
			}
			legend = append(legend, charts.LegendItem{Class: i + 1, Label: label})
			lo = hi + 1
		}
		for _, r := range rows {
			classes[r.Code] = charts.ClassOf(value(r), breaks)
		}
	}
	return classes, legend
}

// mapReport renders the map page.
func (h *handlers) mapReport(e *core.RequestEvent) error {
	rp, err := h.reportPage(e, "map", "report.map.title", true)
	if err != nil {
		return err
	}
	p := &mapReportPage{reportPage: rp, Metrics: mapMetrics(rp.Internal), Metric: "leads"}
	for _, m := range p.Metrics {
		if m == e.Request.URL.Query().Get("metric") {
			p.Metric = m
		}
	}
	if p.Metric == "leads" {
		p.query.Del("metric")
	}
	// the map shows every département (the filtered one outlined); the
	// table only the filtered one
	f := rp.Filter.hooks()
	f.Department = ""
	rows, err := reports.Departments(e.App, rp.Scope, f)
	if err != nil {
		return err
	}
	classes, legend := mapClasses(p.Metric, rows, p.T)
	areas := make([]charts.Area, 0, len(rows))
	for _, r := range rows {
		href := p.TabLink("/reports", "department", r.Code)
		title := p.T("report.map.area", "Code", r.Code, "Name", r.Name, "Leads", p.Num(r.Leads), "Count", r.Leads, "Rate", p.Ratio(r.Accepted, r.Leads))
		if rp.Internal {
			title += p.T("report.map.area_partners", "N", p.Num(r.Partners), "Count", r.Partners)
		}
		if r.Gap {
			title += p.T("report.map.area_gap")
			p.Gaps++
		}
		areas = append(areas, charts.Area{Code: r.Code, Class: classes[r.Code], Gap: r.Gap, Selected: r.Code == rp.Filter.Department, Href: href, Title: title})
		if (r.Leads > 0 || r.Gap) && (rp.Filter.Department == "" || r.Code == rp.Filter.Department) {
			p.Rows = append(p.Rows, deptRow{DepartmentRow: r, Href: href})
		}
	}
	spec := charts.MapSpec{
		Meta:     charts.Meta{ID: "france-map", Title: p.T("report.map.title") + " — " + p.T("report.metric."+p.Metric), Desc: p.T("report.map.desc." + p.Metric)},
		Areas:    areas,
		Legend:   legend,
		Overseas: p.T("report.map.overseas"),
	}
	if rp.Internal {
		spec.GapLabel = p.T("report.map.gap")
	}
	p.Map = charts.FranceMap(spec)
	return h.render(e, http.StatusOK, "report_map", p)
}
