package ui

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reports"
	"github.com/relais/relais/ui/charts"
)

// sampleReport fills every optional block of the report views (for
// TestEveryViewRenders).
func sampleReport(p *page, view string) viewData {
	rp := &reportPage{page: p, Tab: "partners", Scope: reports.Scope{Level: policy.All, Internal: true}, Internal: true, HasFilter: true,
		Periods: []string{"month", "quarter", "year"}, Filter: reportFilter{Period: "year", Department: "35", DeptName: "Ille-et-Vilaine", Partner: "p1", PartnerName: "P"}}
	row := reports.ScorecardRow{Partner: "p1", Name: "P", Tier: "pilot", Offered: 3, Accepted: 2, Won: 1, Declined: 1}
	dept := reports.DepartmentRow{Code: "35", Name: "Ille-et-Vilaine", Leads: 3, Partners: 0, Gap: true}
	switch view {
	case "dashboard":
		rp.Tab, rp.HasFilter = "dashboard", false
		return &dashboardPage{reportPage: rp, D: reports.Dashboard{WeekIntake: 3, ConflictsWaiting: 1}, CanBoard: true,
			Expiring: []leadView{{ID: "l1", Company: "ACME"}}, Falling: []fallingRow{{Partner: "p1", Name: "P", Before: 80, Now: 40}},
			Gaps: []deptRef{{"35", "Ille-et-Vilaine"}}, Lapsed: []certificates.LapsedPartner{{ID: "p", Name: "P", Kinds: []string{"qualifelec"}}}}
	case "report_partners":
		return &partnersReportPage{reportPage: rp, Rows: []scoreRow{{ScorecardRow: row, Reasons: []reasonCount{{"far", 1}}, Cert: "lapsed"}},
			Columns: []scoreColumn{{Key: "name", Label: "Name", AriaSort: "ascending", Href: "/reports?sort=name"}}, CSV: "/reports/partners.csv"}
	case "report_charts":
		rp.Tab = "charts"
		return &chartsReportPage{reportPage: rp, Funnel: charts.Funnel(charts.Meta{ID: "f"}, []charts.Bar{{Label: "x", Value: 1, Text: "1"}}),
			Stages: []funnelStage{{Label: "x", Count: 1}}, Months: []trendMonth{{Label: "mars 26", TrendRow: reports.TrendRow{Created: 1}}}}
	case "report_map":
		rp.Tab = "map"
		return &mapReportPage{reportPage: rp, Metric: "coverage", Metrics: mapMetrics(true), Rows: []deptRow{{DepartmentRow: dept, Href: "/reports?department=35"}}, Gaps: 1}
	}
	return nil
}

// reportPaths are the report pages.
var reportPaths = []string{"/dashboard", "/reports", "/reports/charts", "/reports/map"}

func TestReportPagesAnswerPerRole(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		email string
		want  int
	}{
		{"admin@demo.test", http.StatusOK},
		{"manager.ouest@demo.test", http.StatusOK},
		{"installer001@demo.test", http.StatusOK},
		{"installer001.sales@demo.test", http.StatusOK},
		{"teleop@demo.test", http.StatusOK},
		{"sales@demo.test", http.StatusOK},
		{"api@demo.test", http.StatusForbidden},
	} {
		b := e.signedIn(c.email)
		for _, path := range reportPaths {
			r := b.get(path)
			assert.Equal(t, c.want, r.Status, "%s %s", c.email, path)
			if c.want == http.StatusOK {
				has(t, r.Body, `id="report-tabs"`, c.email, path)
			} else {
				lacks(t, r.Body, `id="report-tabs"`, c.email, path)
			}
		}
		// htmx gets the fragment only
		if c.want == http.StatusOK {
			r := b.get("/reports", hx)
			require.Equal(t, http.StatusOK, r.Status)
			lacks(t, r.Body, "<html", "an htmx request gets the content block")
			has(t, r.Body, `id="scorecard"`)
		}
	}
	// guests go to the login page
	for _, path := range append(reportPaths, "/reports/partners.csv") {
		r := e.browser().get(path)
		assert.Equal(t, http.StatusSeeOther, r.Status, path)
		assert.Contains(t, r.Header.Get("Location"), "/login", path)
	}
}

// TestReportsMenuFollowsScopeForReports checks that the menu shows the
// report pages exactly to the users reports.ScopeFor accepts, and the
// dashboard first to management.
func TestReportsMenuFollowsScopeForReports(t *testing.T) {
	e := newEnv(t)
	h, err := newHandlers(e.app)
	require.NoError(t, err)
	emails := []string{"admin@demo.test", "manager@demo.test", "manager.ouest@demo.test", "teleop@demo.test", "sales@demo.test", "api@demo.test",
		"installer001@demo.test", "installer001.sales@demo.test"}
	for _, email := range emails {
		u := e.user(email)
		s, err := h.newSession(u, "t")
		require.NoError(t, err)
		_, scopeErr := reports.ScopeFor(e.app, u, h.now())
		assert.Equal(t, scopeErr == nil, s.caps.Reports, "%s: menu entry iff ScopeForReports succeeds (%v)", email, scopeErr)
		assert.Equal(t, email == "admin@demo.test", s.caps.Dashboard, "%s: the dashboard leads the menu of management only", email)
	}
	// an internal role given the partner-company level has no company: no scope
	assert.False(t, reportsAllowed("org", "internal"))
	assert.True(t, reportsAllowed("org", "partner"))
	assert.False(t, reportsAllowed("none", "internal"))
	assert.False(t, reportsAllowed("", "partner"))
	assert.True(t, reportsAllowed("own", "internal"))
}

func TestAdminLandsOnTheDashboard(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	r := b.get("/")
	require.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/dashboard", r.Header.Get("Location"))
	r = b.get("/dashboard")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `<a href="/dashboard" aria-current="page">Tableau de bord</a>`, "the menu entry is current")
	// a channel manager still lands on the board
	r = e.signedIn("manager.ouest@demo.test").get("/")
	assert.Equal(t, "/board", r.Header.Get("Location"))
}

func TestReportFilters(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	r := b.get("/reports?department=35&period=quarter")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `id="filter-department"`)
	has(t, r.Body, "Ille-et-Vilaine")
	has(t, r.Body, `href="/reports?period=quarter" id="filter-department"`, "the chip removes the filter and keeps the period")
	has(t, r.Body, `<a href="/reports?department=35&amp;period=quarter" aria-current="true">3 mois</a>`, "the current period")
	has(t, r.Body, `href="/reports/map?department=35&amp;period=quarter"`, "tabs keep the filters")
	assert.Equal(t, http.StatusBadRequest, b.get("/reports?department=999").Status)
	assert.Equal(t, http.StatusNotFound, b.get("/reports?partner=nosuchpartner").Status)

	// a partner naming another company is refused, without its figures
	own := e.user("installer001@demo.test").GetString("partner")
	other := e.user("installer002@demo.test").GetString("partner")
	p := e.signedIn("installer001@demo.test")
	for _, path := range []string{"/reports", "/reports/charts", "/reports/map", "/reports/partners.csv"} {
		r := p.get(path + "?partner=" + other)
		assert.Equal(t, http.StatusForbidden, r.Status, path)
		lacks(t, r.Body, other, path)
	}
	assert.Equal(t, http.StatusOK, p.get("/reports?partner="+own).Status, "its own company is fine")
}

// TestPartnerReportsNeverShowAnotherPartner checks every report page of a
// partner manager and a salesperson against the names and ids of all the
// other partners, and the admin's scorecard against the partner's.
func TestPartnerReportsNeverShowAnotherPartner(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{"installer001@demo.test", "installer001.sales@demo.test"} {
		own := e.user(email).GetString("partner")
		others, err := e.app.FindAllRecords("partners", dbx.Not(dbx.HashExp{"id": own}))
		require.NoError(t, err)
		require.NotEmpty(t, others)
		ownRec, err := e.app.FindRecordById("partners", own)
		require.NoError(t, err)
		b := e.signedIn(email)
		for _, path := range []string{"/dashboard", "/reports", "/reports?period=month", "/reports/charts", "/reports/map", "/reports/map?metric=acceptance",
			"/reports/map?metric=coverage", "/reports?sort=revenue", "/reports?department=35"} {
			r := b.get(path)
			require.Equal(t, http.StatusOK, r.Status, "%s %s", email, path)
			for _, o := range others {
				lacks(t, r.Body, esc(o.GetString("name")), email, path)
				lacks(t, r.Body, o.Id, email, path)
			}
			lacks(t, r.Body, `data-metric="coverage"`, "no network coverage for partners", email, path)
			lacks(t, r.Body, `id="kpi-conflicts"`, email, path)
			lacks(t, r.Body, `id="kpi-gaps"`, email, path)
			lacks(t, r.Body, `url(#france-map-gap)`, "no coverage gaps for partners", email, path)
		}
		r := b.get("/reports")
		if email == "installer001@demo.test" {
			has(t, r.Body, esc(ownRec.GetString("name")), "the partner manager sees its own row")
		}
		assert.Len(t, scorecardRowRe.FindAllString(r.Body, -1), len(scorecardRowRe.FindAllString(r.Body, 1)), "one row at most")
	}
}

func TestReportsSpeakEnglish(t *testing.T) {
	e := newEnv(t)
	u := e.user("admin@demo.test")
	u.Set("locale", "en")
	require.NoError(t, e.app.Save(u))
	b := e.signedIn("admin@demo.test")
	for path, want := range map[string][]string{
		"/dashboard":                   {"Leads received in 7 days", "Partners with falling acceptance", "Figures of: the whole network"},
		"/reports":                     {"Partner performance", "Download as CSV", "Revenue won", "12 months"},
		"/reports/charts":              {"Lead funnel", `<title id="trend-chart-title">Monthly trend</title>`, "Leads created"},
		"/reports/map?metric=coverage": {"Map by département", "Leads but no active partner", "Base map:", ">no partner</text>"},
	} {
		r := b.get(path)
		require.Equal(t, http.StatusOK, r.Status, path)
		for _, w := range want {
			has(t, r.Body, w, path)
		}
		lacks(t, r.Body, "report.", path)
		lacks(t, r.Body, "reports.", path)
	}
}
