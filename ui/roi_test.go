package ui

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/assign"
	"github.com/relais/relais/hooks/campaigns"
	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reportcalc"
	"github.com/relais/relais/hooks/reports"
)

// The ROI page and its CSV: admins (reports read all) only; channel
// managers, sales and teleoperators get 404 like every partner role, and
// nothing of the campaigns or budgets reaches them.
func TestROIPageIsForManagementOnly(t *testing.T) {
	e := newEnv(t)
	camp, err := e.app.FindFirstRecordByFilter("campaigns", "name = 'Annonces Google solaire'")
	require.NoError(t, err, "the demo's campaigns with budgets")
	for _, tc := range []struct {
		email string
		see   bool
	}{
		{"admin@demo.test", true},
		{"manager@demo.test", false},
		{"manager.ouest@demo.test", false},
		{"sales@demo.test", false},
		{"teleop@demo.test", false},
		{"installer001@demo.test", false},
		{"installer001.sales@demo.test", false},
	} {
		b := e.signedIn(tc.email)
		menu := b.get("/reports").Body + b.get("/figures").Body
		r := b.get("/reports/roi?period=quarter")
		b.get("/notifications") // a page with the CSRF token for everyone
		csvResp := b.post("/reports/roi.csv", url.Values{"from": {"2025-01-01"}, "to": {"2026-12-31"}})
		if tc.see {
			require.Equal(t, http.StatusOK, r.Status, tc.email)
			has(t, r.Body, `id="roi-sources"`)
			has(t, r.Body, `id="roi-campaigns"`)
			has(t, r.Body, `<meter`, "the chart")
			has(t, r.Body, esc(camp.GetString("name")))
			has(t, r.Body, `data-period="quarter" aria-current="true"`)
			has(t, menu, `href="/reports/roi"`, "in the reports menu group")
			assert.Equal(t, http.StatusOK, csvResp.Status, tc.email)
			continue
		}
		assert.Equal(t, http.StatusNotFound, r.Status, tc.email)
		assert.Equal(t, http.StatusNotFound, csvResp.Status, tc.email)
		for _, body := range []string{r.Body, csvResp.Body, menu} {
			lacks(t, body, `href="/reports/roi"`, tc.email)
			lacks(t, body, esc(camp.GetString("name")), tc.email)
			lacks(t, body, "roi-sources", tc.email)
		}
	}
}

// The page shows the figures of reports.ROI, which agree with a count of
// the leads made independently; "—" where no won deal shares a cost.
func TestROIPageFigures(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	r := b.get("/reports/roi")
	require.Equal(t, http.StatusOK, r.Status)
	admin := e.user("admin@demo.test")
	scope, err := reports.ScopeFor(e.app, admin, time.Now())
	require.NoError(t, err)
	per := reports.Period(time.Now(), 12)
	rep, err := reports.ROI(e.app, admin, scope, per)
	require.NoError(t, err)
	require.NotEmpty(t, rep.BySource)
	var web int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE source = 'web' AND created >= {:f} AND created < {:t}").
		Bind(dbx.Params{"f": per.From.Format(types.DefaultDateLayout), "t": per.To.Format(types.DefaultDateLayout)}).Row(&web))
	require.NotZero(t, web)
	fr, err := newTranslator()
	require.NoError(t, err)
	l := fr.locale("fr")
	for _, row := range rep.BySource {
		if row.Key == "web" {
			assert.Equal(t, web, row.Leads, "leads of the web source")
			require.True(t, row.HasCost, "the demo's paid search campaign counts for the web source")
		}
	}
	var total int
	for _, row := range rep.BySource {
		total += row.Leads
	}
	assert.Equal(t, rep.Total.Leads, total)
	has(t, r.Body, l.Money(rep.Total.Revenue))
	has(t, r.Body, "Coût par affaire gagnée")

	// a campaign with a budget and no won deal: cost shown, cost per won deal "—"
	camps, err := e.app.FindCollectionByNameOrId("campaigns")
	require.NoError(t, err)
	c := core.NewRecord(camps)
	c.Load(map[string]any{"name": "Salon sans affaire", "channel": "event", "source": "campaign", "budget": 4321,
		"starts": time.Now().AddDate(0, 0, -3).UTC(), "ends": time.Now().AddDate(0, 0, -2).UTC()})
	require.NoError(t, e.app.Save(c))
	r = b.get("/reports/roi?period=month")
	require.Equal(t, http.StatusOK, r.Status)
	i := strings.Index(r.Body, `<tr data-key="`+c.Id+`">`)
	require.Positive(t, i, "the new campaign has a row")
	row := r.Body[i : i+strings.Index(r.Body[i:], "</tr>")]
	has(t, row, l.Money(4321))
	has(t, row, `data-label="Coût par affaire gagnée">—</td>`)

	// custom dates, and bad ones
	r = b.get("/reports/roi?from=2026-01-01&to=2026-01-31")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `value="2026-01-31"`)
	assert.Equal(t, http.StatusBadRequest, b.get("/reports/roi?from=2026-02-01&to=2026-01-01").Status)
	assert.Equal(t, http.StatusBadRequest, b.get("/reports/roi?from=x&to=2026-01-01").Status)
}

// The CSV: the documented columns, the rows of the page, audited; without
// the matrix's export flag it needs an export grant, which it uses up.
func TestROICSVNeedsTheExportRightAndIsAudited(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	page := b.get("/reports/roi")
	has(t, page.Body, `action="/reports/roi.csv"`)
	r := b.post("/reports/roi.csv", url.Values{"from": {"2022-06-01"}, "to": {time.Now().Format("2006-01-02")}})
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	assert.Contains(t, r.Header.Get("Content-Type"), "text/csv")
	recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, governance.ROICSVHeader, recs[0])
	assert.Equal(t, "total", recs[len(recs)-1][0])
	groups := map[string]bool{}
	for _, rec := range recs[1:] {
		groups[rec[0]] = true
	}
	assert.True(t, groups["source"] && groups["campaign"], "rows by source and by campaign")
	entry, err := e.app.FindFirstRecordByFilter("audit_log", "action = 'export.reports'")
	require.NoError(t, err)
	assert.Contains(t, entry.GetString("changes"), `"report":"roi"`)

	// the admin role loses the export flag on reports: refused and audited
	cell, err := e.app.FindFirstRecordByFilter("permissions", "role = 'admin' && resource = 'reports'")
	require.NoError(t, err)
	cell.Set("export", false)
	require.NoError(t, e.app.Save(cell))
	b.get("/reports/roi")
	lacks(t, b.get("/reports/roi").Body, `action="/reports/roi.csv"`, "no button without the right")
	r = b.post("/reports/roi.csv", nil)
	assert.Equal(t, http.StatusForbidden, r.Status)
	_, err = e.app.FindFirstRecordByFilter("audit_log", "action = 'export.denied' && resource = 'reports'")
	require.NoError(t, err, "the refusal is audited")

	// an export grant on reports: one download, then refused
	grants, err := e.app.FindCollectionByNameOrId("grants")
	require.NoError(t, err)
	g := core.NewRecord(grants)
	g.Load(map[string]any{"user": e.user("admin@demo.test").Id, "kind": "export", "resource": "reports", "reason": "ROI annuel",
		"starts": time.Now().Add(-time.Hour).UTC(), "expires": time.Now().Add(24 * time.Hour).UTC()})
	require.NoError(t, e.app.Save(g))
	has(t, b.get("/reports/roi").Body, `action="/reports/roi.csv"`)
	r = b.post("/reports/roi.csv", nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	g, err = e.app.FindRecordById("grants", g.Id)
	require.NoError(t, err)
	assert.False(t, g.GetDateTime("used_at").IsZero(), "the grant is used up")
	_, err = e.app.FindFirstRecordByFilter("audit_log", "action = 'export.reports' && changes ~ {:g}", dbx.Params{"g": g.Id})
	require.NoError(t, err, "the download is audited with its grant")
	b.get("/reports/roi")
	assert.Equal(t, http.StatusForbidden, b.post("/reports/roi.csv", nil).Status, "single use")
}

// sampleROI is the sample data of the views of this file's pages
// (TestEveryViewRenders).
func sampleROI(p *page, view string) viewData {
	switch view {
	case "campaigns":
		return &campaignsPage{page: p, Rows: []campaignRow{{ID: "c", Name: "C", Source: "web", Channel: "event", Budget: 10}},
			Form: campaigns.Input{Name: "C", Source: "web"}, EditID: "c", Channels: campaigns.Channels, Sources: campaigns.Sources, Error: "x", Field: "name"}
	case "cert_rules":
		return &certRulesPage{page: p, Rows: []certRuleRow{{Index: 0, Segments: []string{"farm"}, Keywords: "pv", Kinds: []string{"other"}}, {Index: 1}},
			Segments: certificates.RuleSegments, Kinds: assign.CertificateKinds(), Error: "x", Field: "kinds"}
	}
	rp := &reportPage{page: p, Tab: "roi", Scope: reports.Scope{Level: policy.All, Internal: true}, Internal: true}
	row := reports.ROIRow{Key: "web", Name: "web", ROICounts: reportcalc.ROICounts{Leads: 3, Offered: 2, Accepted: 1, Won: 1, WonAfter: 1, Revenue: 10},
		ROIFigures: reportcalc.ROIFigures{AcceptancePct: 50, ConversionPct: 100, Cost: 5, HasCost: true, CostPerWon: 5, CostPerWonOK: true}}
	camp := row
	camp.Key, camp.Name = "c", "C"
	none := reports.ROIRow{ROICounts: reportcalc.ROICounts{Leads: 1}}
	per, _ := parseROIPeriod(url.Values{}, time.Now())
	pg := &roiPage{reportPage: rp, Period: per, Presets: roiPeriods, CanCSV: true,
		Rep: reports.ROIReport{BySource: []reports.ROIRow{row, none}, ByCampaign: []reports.ROIRow{camp, none}, Total: row}}
	pg.bars()
	return pg
}
