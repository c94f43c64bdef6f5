package ui

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/distribution"
)

var (
	assignRe = regexp.MustCompile(`id="assign-([a-z0-9]+)"`)
	pickRe   = regexp.MustCompile(`data-partner-id="([a-z0-9]+)"`)
)

// boardColumn is the HTML of one column of the board.
func boardColumn(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<section class="card" id="` + id + `">.*?</section>`).FindString(body)
	require.NotEmpty(t, m, "section %s", id)
	return m
}

// countOf is the count a column of the board shows.
func countOf(t *testing.T, body, id string) int {
	t.Helper()
	m := regexp.MustCompile(`<small class="count">\(([0-9  ]+)\)</small>`).FindStringSubmatch(boardColumn(t, body, id))
	require.NotNil(t, m, "count of %s", id)
	n, err := strconv.Atoi(regexp.MustCompile(`\D`).ReplaceAllString(m[1], ""))
	require.NoError(t, err)
	return n
}

// moreReadyLeads adds n ready leads in a territory, scores 60 to 99.
func (e *env) moreReadyLeads(territory string, n int) {
	e.t.Helper()
	c, err := e.app.FindCollectionByNameOrId("leads")
	require.NoError(e.t, err)
	for i := 0; i < n; i++ {
		l := core.NewRecord(c)
		l.Load(map[string]any{"company": fmt.Sprintf("Extra %d", i), "status": "ready", "country": "FR", "postal_code": "35000", "city": "Rennes",
			"department": "35", "territory": territory, "score": 60 + i%40, "segment": "business"})
		require.NoError(e.t, e.app.Save(l))
	}
}

func (e *env) count(sql string, params dbx.Params) int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.app.DB().NewQuery(sql).Bind(params).Row(&n))
	return n
}

const readyToAssignSQL = "SELECT COUNT(*) FROM leads WHERE status = 'ready' AND partner = '' AND held = 0 AND id NOT IN (" + distribution.WaitingLeadIDsSQL + ")"

// The board's columns show their real counts (not the page size), page
// through their leads, and filter by territory and score in the URL; the
// admin's board stays small (no partner list in the rows).
func TestBoardCountsPagesAndFilters(t *testing.T) {
	e := newEnv(t)
	west := e.user("manager.ouest@demo.test").GetStringSlice("territories")[0]
	e.moreReadyLeads(west, 60)
	b := e.signedIn("admin@demo.test")
	r := b.get("/board")
	require.Equal(t, http.StatusOK, r.Status)
	total := e.count(readyToAssignSQL, nil)
	require.Greater(t, total, 2*boardPageSize, "more ready leads than two pages")
	assert.Equal(t, total, countOf(t, r.Body, "ready"), "the real count, not capped")
	assert.Equal(t, e.count("SELECT COUNT(*) FROM leads WHERE status = 'offered'", nil), countOf(t, r.Body, "pending"))
	assert.Len(t, assignRe.FindAllStringSubmatch(boardColumn(t, r.Body, "ready"), -1), boardPageSize)
	// the same board before (50 rows, each with every partner in a select)
	// weighed 98,789 bytes on this data; it is 737 KiB on the full demo
	assert.Less(t, len(r.Body), 50_000, "the admin's board is small: no partner list per row")
	assert.NotContains(t, r.Body, "<option value=\"\">"+"Choisir un partenaire", "no partner select")
	t.Logf("admin board: %d bytes, %d ready leads", len(r.Body), total)

	// page 2 is reachable and shows other leads
	has(t, r.Body, `href="/board?ready=2"`)
	page1 := map[string]bool{}
	for _, m := range assignRe.FindAllStringSubmatch(boardColumn(t, r.Body, "ready"), -1) {
		page1[m[1]] = true
	}
	r2 := b.get("/board?ready=2", hx)
	require.Equal(t, http.StatusOK, r2.Status)
	has(t, r2.Body, "Page 2 sur")
	ids := assignRe.FindAllStringSubmatch(boardColumn(t, r2.Body, "ready"), -1)
	require.NotEmpty(t, ids)
	for _, m := range ids {
		assert.False(t, page1[m[1]], "page 2 shows other leads")
	}

	// filters: territory and minimum score, kept in the paging links
	r3 := b.get("/board?territory=" + west + "&min_score=90")
	require.Equal(t, http.StatusOK, r3.Status)
	want := e.count(readyToAssignSQL+" AND territory = {:t} AND score >= 90", dbx.Params{"t": west})
	assert.Equal(t, want, countOf(t, r3.Body, "ready"))
	for _, m := range assignRe.FindAllStringSubmatch(boardColumn(t, r3.Body, "ready"), -1) {
		l, err := e.app.FindRecordById("leads", m[1])
		require.NoError(t, err)
		assert.Equal(t, west, l.GetString("territory"))
		assert.GreaterOrEqual(t, l.GetInt("score"), 90)
	}
	has(t, r3.Body, `value="90"`)
}

// A ready lead no partner can take is shown in its own column, counted,
// and no longer among the leads to assign; the dashboard counts them.
func TestBoardShowsLeadsNoPartnerCanTake(t *testing.T) {
	e := newEnv(t)
	lead := e.unservedPoolLead(e.corseTerritory())
	lead.Load(map[string]any{"status": "ready", "score": 80})
	require.NoError(t, e.app.Save(lead)) // distributed after the commit: no candidate
	require.Equal(t, 1, e.count("SELECT COUNT(*) FROM "+distribution.WaitsCollection+" WHERE lead = {:l}", dbx.Params{"l": lead.Id}))

	for _, lang := range []struct{ accept, title, kpi string }{{"fr", "Aucun partenaire ne peut le prendre", "Leads sans partenaire possible"},
		{"en", "No partner can take it", "Leads no partner can take"}} {
		admin := e.user("admin@demo.test")
		admin.Set("locale", lang.accept)
		require.NoError(t, e.app.Save(admin))
		b := e.signedIn("admin@demo.test")
		r := b.get("/board", header("Accept-Language", lang.accept))
		require.Equal(t, http.StatusOK, r.Status)
		waiting := boardColumn(t, r.Body, "no-partner")
		has(t, waiting, lang.title)
		has(t, waiting, `id="assign-`+lead.Id+`"`)
		assert.NotContains(t, boardColumn(t, r.Body, "ready"), lead.Id)
		assert.Equal(t, e.count("SELECT COUNT(*) FROM leads WHERE status = 'ready' AND held = 0 AND id IN ("+distribution.WaitingLeadIDsSQL+")", nil),
			countOf(t, r.Body, "no-partner"))
		d := b.get("/dashboard", header("Accept-Language", lang.accept))
		require.Equal(t, http.StatusOK, d.Status)
		has(t, d.Body, lang.kpi)
		assert.Regexp(t, `id="kpi-no-partner"><span>[^<]*</span><strong>1</strong>`, d.Body)
	}
	// the west manager does not see the Corse lead, nor count it
	m := e.signedIn("manager.ouest@demo.test")
	r := m.get("/board")
	assert.NotContains(t, r.Body, lead.Id)
	assert.Equal(t, 0, countOf(t, r.Body, "no-partner"))
	assert.Regexp(t, `id="kpi-no-partner"><span>[^<]*</span><strong>0</strong>`, m.get("/dashboard").Body)
}

// An assignment made from a filtered board answers with the board under
// the same filter (the page the browser shows, htmx's HX-Current-URL).
func TestBoardKeepsItsFilterAfterAnAssignment(t *testing.T) {
	e := newEnv(t)
	west := e.user("manager.ouest@demo.test").GetStringSlice("territories")[0]
	e.moreReadyLeads(west, 3)
	b := e.signedIn("admin@demo.test")
	filtered := "/board?territory=" + west + "&min_score=61"
	r := b.get(filtered)
	ids := assignRe.FindAllStringSubmatch(boardColumn(t, r.Body, "ready"), -1)
	require.NotEmpty(t, ids)
	picks := b.get("/board/partners?lead="+ids[0][1], hx)
	partner := pickRe.FindStringSubmatch(picks.Body)[1]
	r = b.post("/leads/"+ids[0][1]+"/assign", url.Values{"partner": {partner}}, hx, header("HX-Current-URL", "http://relais.test"+filtered))
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, `value="61"`)
	for _, m := range assignRe.FindAllStringSubmatch(boardColumn(t, r.Body, "ready"), -1) {
		l, err := e.app.FindRecordById("leads", m[1])
		require.NoError(t, err)
		assert.Equal(t, west, l.GetString("territory"))
		assert.GreaterOrEqual(t, l.GetInt("score"), 61)
	}
}

// The partner picker lists the lead's territory's partners first, least
// loaded first, with their load; a search narrows the list; a channel
// manager is offered the partners of his territories only, and only for
// leads he may see.
func TestBoardPartnerPicker(t *testing.T) {
	e := newEnv(t)
	ouest := e.user("manager.ouest@demo.test")
	west := ouest.GetStringSlice("territories")
	lead := e.leadWhere(dbx.And(dbx.HashExp{"status": "ready", "partner": ""}, dbx.In("territory", toAny(west)...)), "created")
	serving := map[string]bool{}
	var servingNames []string
	var partners []*core.Record
	require.NoError(t, e.app.RecordQuery("partners").AndWhere(dbx.HashExp{"status": "active"}).All(&partners))
	for _, p := range partners {
		for _, tid := range p.GetStringSlice("territories") {
			if tid == lead.GetString("territory") {
				serving[p.Id] = true
				servingNames = append(servingNames, p.GetString("name"))
			}
		}
	}
	require.NotEmpty(t, serving, "the lead's territory has partners")

	b := e.signedIn("admin@demo.test")
	b.get("/board")
	r := b.get("/board/partners?lead="+lead.Id, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	ids := pickRe.FindAllStringSubmatch(r.Body, -1)
	require.NotEmpty(t, ids)
	assert.LessOrEqual(t, len(ids), pickLimit, "a short list")
	seenOther := false
	for _, m := range ids {
		if !serving[m[1]] {
			seenOther = true
		} else {
			assert.False(t, seenOther, "the territory's partners come first")
		}
	}
	assert.Regexp(t, `charge \d+/\d+`, r.Body, "partners show their load")

	// search by a part of a name
	name := servingNames[0]
	r = b.get("/board/partners?lead="+lead.Id+"&q="+url.QueryEscape(name[len(name)-4:]), hx)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, html.EscapeString(name))
	for _, m := range pickRe.FindAllStringSubmatch(r.Body, -1) {
		p, err := e.app.FindRecordById("partners", m[1])
		require.NoError(t, err)
		assert.Contains(t, p.GetString("name"), name[len(name)-4:])
	}

	// a channel manager: his territories' partners only
	m := e.signedIn("manager.ouest@demo.test")
	m.get("/board")
	r = m.get("/board/partners?lead="+lead.Id+"&q=", hx)
	require.Equal(t, http.StatusOK, r.Status)
	mine := map[string]bool{}
	for _, tid := range west {
		mine[tid] = true
	}
	for _, pm := range pickRe.FindAllStringSubmatch(r.Body, -1) {
		p, err := e.app.FindRecordById("partners", pm[1])
		require.NoError(t, err)
		ok := p.GetString("channel_manager") == ouest.Id
		for _, tid := range p.GetStringSlice("territories") {
			ok = ok || mine[tid]
		}
		assert.True(t, ok, "partner %s is in the manager's territories", p.GetString("name"))
	}
	other := e.leadWhere(dbx.And(dbx.HashExp{"status": "ready", "partner": ""}, dbx.NotIn("territory", toAny(west)...)), "created")
	assert.Equal(t, http.StatusNotFound, m.get("/board/partners?lead="+other.Id, hx).Status, "a lead outside his territories")
	assert.Equal(t, http.StatusNotFound, e.signedIn("installer001@demo.test").get("/board/partners?lead="+lead.Id, hx).Status)
}

func TestBoardShowsTheManagersTerritoriesOnly(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("manager.ouest@demo.test")
	r := b.get("/board")
	require.Equal(t, http.StatusOK, r.Status)
	for _, section := range []string{`id="ready"`, `id="pending"`, `id="answers"`, `id="no-partner"`} {
		has(t, r.Body, section)
	}
	ids := assignRe.FindAllStringSubmatch(r.Body, -1)
	require.NotEmpty(t, ids, "the demo has ready leads in the west")
	west := map[string]bool{}
	for _, id := range e.user("manager.ouest@demo.test").GetStringSlice("territories") {
		west[id] = true
	}
	for _, m := range ids {
		l, err := e.app.FindRecordById("leads", m[1])
		require.NoError(t, err)
		assert.True(t, west[l.GetString("territory")], "lead %s is in the west", l.Id)
	}
	for _, email := range []string{"installer001@demo.test", "teleop@demo.test", "sales@demo.test"} {
		assert.Equal(t, http.StatusNotFound, e.signedIn(email).get("/board").Status, email)
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
