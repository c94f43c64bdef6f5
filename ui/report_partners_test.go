package ui

import (
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/reports"
)

var scorecardRowRe = regexp.MustCompile(`<tr data-partner-id="([a-z0-9]+)"`)

func rowIDs(body string) []string {
	var out []string
	for _, m := range scorecardRowRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestScorecardShowsTheReportFigures(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	r := b.get("/reports")
	require.Equal(t, http.StatusOK, r.Status)
	admin := e.user("admin@demo.test")
	scope, err := reports.ScopeFor(e.app, admin, time.Now())
	require.NoError(t, err)
	now := time.Now()
	rows, err := reports.Scorecard(e.app, scope, reports.Filter{From: now.AddDate(-1, 0, 0), To: now.Add(time.Second)})
	require.NoError(t, err)
	require.NotEmpty(t, rows, "the demo has offers")
	ids := rowIDs(r.Body)
	require.Len(t, ids, len(rows), "one row per partner of the report")
	tr, err := newTranslator()
	require.NoError(t, err)
	fr := tr.locale("fr")
	var top reports.ScorecardRow
	for _, row := range rows {
		if row.Revenue > top.Revenue {
			top = row
		}
	}
	require.NotZero(t, top.Revenue, "someone won something in the demo")
	has(t, r.Body, esc(top.Name))
	has(t, r.Body, fr.Money(top.Revenue), "the revenue of the top partner")
	// default order: most offers first
	assert.Equal(t, rows[0].Partner, ids[0])
	has(t, r.Body, `aria-sort="descending"><a href="/reports?dir=asc&amp;sort=offered"`, "the current column toggles")

	// sorted by revenue, high to low
	r = b.get("/reports?sort=revenue")
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, top.Partner, rowIDs(r.Body)[0], "sorted by revenue")
	has(t, r.Body, `<a href="/reports?dir=asc&amp;sort=name" data-sort="name"`, "other columns start their own way (names A→Z)")
	r = b.get("/reports?sort=revenue&dir=asc")
	ids = rowIDs(r.Body)
	assert.Equal(t, top.Partner, ids[len(ids)-1], "and low to high")
	r = b.get("/reports?sort=name&dir=asc")
	var names []string
	for _, id := range rowIDs(r.Body) {
		for _, row := range rows {
			if row.Partner == id {
				names = append(names, strings.ToLower(row.Name))
			}
		}
	}
	assert.IsIncreasing(t, names, "sorted by name")
}

func TestScorecardOfAChannelManagerIsHisTerritories(t *testing.T) {
	e := newEnv(t)
	r := e.signedIn("manager.ouest@demo.test").get("/reports")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "vos territoires")
	west := map[string]bool{}
	for _, id := range e.user("manager.ouest@demo.test").GetStringSlice("territories") {
		west[id] = true
	}
	ids := rowIDs(r.Body)
	require.NotEmpty(t, ids)
	for _, id := range ids {
		var n int
		require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM lead_offers o JOIN leads l ON l.id = o.lead WHERE o.partner = {:p} AND l.territory IN ('"+
			strings.Join(keysOf(west), "','")+"')").Bind(dbx.Params{"p": id}).Row(&n))
		assert.Positive(t, n, "partner %s has offers in the west", id)
	}
}

func keysOf(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestScorecardCSVFollowsTheExportRight(t *testing.T) {
	e := newEnv(t)
	count := func(action, actor string) int {
		var n int
		require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM audit_log WHERE action = {:a} AND actor = {:u}").
			Bind(dbx.Params{"a": action, "u": actor}).Row(&n))
		return n
	}
	// the link shows only with the export right (admin and channel
	// managers by default)
	for email, want := range map[string]bool{
		"admin@demo.test": true, "manager.ouest@demo.test": true,
		"installer001@demo.test": false, "installer001.sales@demo.test": false, "teleop@demo.test": false, "sales@demo.test": false,
	} {
		r := e.signedIn(email).get("/reports?period=quarter")
		require.Equal(t, http.StatusOK, r.Status, email)
		if want {
			has(t, r.Body, `id="scorecard-csv" href="/reports/partners.csv?period=quarter"`, email)
		} else {
			lacks(t, r.Body, "scorecard-csv", email)
			lacks(t, r.Body, "partners.csv", email)
		}
	}

	b := e.signedIn("admin@demo.test")
	admin := e.user("admin@demo.test").Id
	r := b.get("/reports/partners.csv?sort=revenue")
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	assert.Contains(t, r.Header.Get("Content-Type"), "text/csv")
	assert.Contains(t, r.Header.Get("Content-Disposition"), `attachment; filename="relais-scorecard-year.csv"`)
	recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(recs), 1)
	assert.Equal(t, governance.ScorecardCSVHeader, recs[0])
	page := b.get("/reports?sort=revenue")
	assert.Equal(t, rowIDs(page.Body)[0], recs[1][0], "the CSV has the page's rows in the page's order")
	assert.Len(t, recs, len(rowIDs(page.Body))+1)
	assert.Equal(t, 1, count("export.reports", admin), "the download is audited")

	// a formula in a partner name is neutralised
	p, err := e.app.FindRecordById("partners", recs[1][0])
	require.NoError(t, err)
	p.Set("name", `=HYPERLINK("http://evil")`)
	require.NoError(t, e.app.Save(p))
	r = b.get("/reports/partners.csv?sort=revenue")
	assert.Contains(t, r.Body, `"'=HYPERLINK(""http://evil"")"`)

	// without the right: 403, audited, no figures
	pm := e.user("installer001@demo.test")
	r = e.signedIn("installer001@demo.test").get("/reports/partners.csv")
	assert.Equal(t, http.StatusForbidden, r.Status)
	assert.NotContains(t, r.Header.Get("Content-Type"), "text/csv")
	assert.Equal(t, 1, count(governance.ActionExportDenied, pm.Id))
	assert.Equal(t, 0, count("export.reports", pm.Id))
	for email, want := range map[string]int{
		"manager.ouest@demo.test": http.StatusOK, "installer001.sales@demo.test": http.StatusForbidden,
		"teleop@demo.test": http.StatusForbidden, "sales@demo.test": http.StatusForbidden, "api@demo.test": http.StatusForbidden,
	} {
		r := e.signedIn(email).get("/reports/partners.csv")
		assert.Equal(t, want, r.Status, email)
		assert.Equal(t, want == http.StatusOK, strings.HasPrefix(r.Body, strings.Join(governance.ScorecardCSVHeader, ",")), email)
	}
}

func TestSortParams(t *testing.T) {
	for _, c := range []struct{ key, dir, wantKey, wantDir string }{
		{"", "", "offered", "desc"},
		{"name", "", "name", "asc"},
		{"revenue", "asc", "revenue", "asc"},
		{"drop table", "sideways", "offered", "desc"},
	} {
		k, d := sortParams(c.key, c.dir)
		assert.Equal(t, c.wantKey, k, c.key)
		assert.Equal(t, c.wantDir, d, c.key)
	}
	rows := []reports.ScorecardRow{{Partner: "b", Name: "Beta", Revenue: 5}, {Partner: "a", Name: "alpha", Revenue: 5}, {Partner: "c", Name: "Gamma", Revenue: 9}}
	sortScorecard(rows, "revenue", "desc")
	assert.Equal(t, []string{"c", "a", "b"}, []string{rows[0].Partner, rows[1].Partner, rows[2].Partner}, "ties by name")
	sortScorecard(rows, "name", "asc")
	assert.Equal(t, []string{"a", "b", "c"}, []string{rows[0].Partner, rows[1].Partner, rows[2].Partner}, "names ignore case")
}
