package ui

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/reports"
	"github.com/relais/relais/ui/charts"
)

var deptRe = regexp.MustCompile(`data-dept="([0-9AB]+)"`)

// mapGroup returns the <g> of a département in the map.
func mapGroup(body, code string) string {
	i := strings.Index(body, `<g data-dept="`+code+`">`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</g>")
	return body[i : i+j]
}

func TestMapColoursDepartementsAndHatchesGaps(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@demo.test")
	scope, err := reports.ScopeFor(e.app, admin, time.Now())
	require.NoError(t, err)
	now := time.Now()
	rows, err := reports.Departments(e.app, scope, reports.Filter{From: now.AddDate(-1, 0, 0), To: now.Add(time.Second)})
	require.NoError(t, err)
	b := e.signedIn("admin@demo.test")
	r := b.get("/reports/map?metric=coverage")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="france-map"`)
	has(t, r.Body, `<title id="france-map-title">Carte des départements — Couverture partenaires</title>`)
	has(t, r.Body, `id="map-credit"`)
	has(t, r.Body, "CC BY 4.0")
	has(t, r.Body, "Victor Cazanave")
	has(t, r.Body, ">aucun partenaire</text>", "the legend")
	has(t, r.Body, ">Des leads, aucun</text>", "the hatching has its legend")
	gaps := 0
	for _, row := range rows {
		g := mapGroup(r.Body, row.Code)
		require.NotEmpty(t, g, "département %s is on the map", row.Code)
		assert.Equal(t, row.Gap, strings.Contains(g, `fill="url(#france-map-gap)"`), "département %s hatched iff a gap", row.Code)
		has(t, r.Body, `<a href="/reports?department=`+row.Code+`" aria-label="`+row.Code+" ", "each département links to the filtered scorecard")
		if row.Gap {
			gaps++
			has(t, g, "non couvert", row.Code)
			has(t, sectionOf(r.Body, `id="departments"`), `<tr data-dept="`+row.Code+`">`, "the gap is in the table")
		}
	}
	require.Positive(t, gaps, "the small demo has coverage gaps")
	has(t, r.Body, "("+itoa(gaps)+" non couverts)")

	// coloured by leads by default; the period goes into the links
	r = b.get("/reports/map?period=month")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `<a href="/reports/map?period=month" data-metric="leads" aria-current="true">Leads</a>`)
	has(t, r.Body, `<a href="/reports?department=35&amp;period=month" aria-label="35 `)
	has(t, r.Body, ">aucun lead</text>")
	r = b.get("/reports/map?metric=acceptance")
	has(t, r.Body, ">0 à 20 %</text>")

	// filtered on a département: outlined on the map, alone in the table
	r = b.get("/reports/map?department=35")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `pointer-events="none"`, "the département is outlined")
	table := sectionOf(r.Body, `id="departments"`)
	for _, m := range deptRe.FindAllStringSubmatch(table, -1) {
		assert.Equal(t, "35", m[1])
	}
}

func TestMapClasses(t *testing.T) {
	tr := func(id string, args ...any) string {
		for i := 1; i < len(args); i += 2 {
			id += " " + fmt.Sprint(args[i])
		}
		return id
	}
	li := func(class int, label string) charts.LegendItem { return charts.LegendItem{Class: class, Label: label} }
	rows := []reports.DepartmentRow{
		{Code: "29", Leads: 0, Partners: 0},
		{Code: "35", Leads: 10, Accepted: 9, AcceptedPct: 90, Partners: 4},
		{Code: "44", Leads: 40, Accepted: 10, AcceptedPct: 25, Partners: 1},
		{Code: "56", Leads: 20, Accepted: 0, AcceptedPct: 0, Partners: 0, Gap: true},
	}
	classes, legend := mapClasses("leads", rows, tr)
	assert.Equal(t, map[string]int{"29": 0, "35": 2, "44": 5, "56": 3}, classes)
	assert.Equal(t, []charts.LegendItem{li(0, "report.map.no_leads"), li(1, "report.map.range 1 8"), li(2, "report.map.range 9 16"),
		li(3, "report.map.range 17 24"), li(4, "report.map.range 25 32"), li(5, "report.map.range 33 40")}, legend)

	classes, legend = mapClasses("acceptance", rows, tr)
	assert.Equal(t, map[string]int{"35": 5, "44": 2, "56": 1}, classes, "no leads, no rate")
	assert.Len(t, legend, 6)
	assert.Equal(t, "report.map.pct_range 0 20", legend[1].Label)

	classes, legend = mapClasses("coverage", rows, tr)
	assert.Equal(t, map[string]int{"29": 0, "35": 4, "44": 1, "56": 0}, classes)
	assert.Equal(t, []charts.LegendItem{li(0, "report.map.no_partner"), li(1, "report.map.one 1"), li(2, "report.map.one 2"), li(3, "report.map.one 3"), li(4, "report.map.one 4")}, legend)

	// every label exists in both languages
	l, err := newTranslator()
	require.NoError(t, err)
	for _, metric := range mapMetrics(true) {
		for _, lang := range []string{"fr", "en"} {
			_, legend := mapClasses(metric, rows, l.locale(lang).T)
			for _, it := range legend {
				assert.NotContains(t, it.Label, "report.", "%s %s", metric, lang)
			}
			assert.NotEqual(t, "report.metric."+metric, l.locale(lang).T("report.metric."+metric))
			assert.NotEqual(t, "report.map.desc."+metric, l.locale(lang).T("report.map.desc."+metric))
		}
	}
}
