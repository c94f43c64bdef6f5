package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listTotal reads the total a list page shows in its #<id>-total line.
func listTotal(t *testing.T, body, id string) int {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `-total">(\d+)`).FindStringSubmatch(body)
	require.NotNil(t, m, "the page shows the total of #%s", id)
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}

// okBody gets path and returns its body, failing unless it answers 200.
func okBody(t *testing.T, b *browser, path string, opts ...reqOpt) string {
	t.Helper()
	r := b.get(path, opts...)
	require.Equal(t, http.StatusOK, r.Status, path)
	return r.Body
}

// leadRows are the lead ids of the rows of a page.
func leadRows(body string) []string {
	var ids []string
	for _, m := range leadRowRe.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// poolLead is a lead of the pool (no partner, a pool status) with a
// company, renamed to company.
func poolLead(t *testing.T, e *env, company string) *core.Record {
	t.Helper()
	l := e.leadWhere(dbx.NewExp("partner = '' AND status IN ('new','qualifying','ready','recycled') AND private = false AND company != ''"), "created")
	setField(t, e, l, "company", company)
	return l
}

// TestPoolSearchSortFilterAndPages: the teleoperator searches the pool by
// company, town and SIREN, filters by status, sorts by company, and the
// page shows the total and numbered pages keeping the state in the URL.
func TestPoolSearchSortFilterAndPages(t *testing.T) {
	e := newEnv(t)
	lead := poolLead(t, e, "Quimperlé Photovolt Xylène")
	setField(t, e, lead, "siret", "98765432100017")
	b := e.signedIn("teleop@demo.test")

	r := b.get("/pool?q=" + url.QueryEscape("photovolt xylène"))
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, []string{lead.Id}, leadRows(r.Body), "every word of the company")
	assert.Equal(t, 1, listTotal(t, r.Body, "pool"))

	r = b.get("/pool?q=987654321", hx)
	assert.Equal(t, []string{lead.Id}, leadRows(r.Body), "the SIREN finds the lead for an internal role")
	assert.NotContains(t, r.Body, "<html", "htmx gets the content only")

	r = b.get("/pool?status=" + lead.GetString("status") + "&q=xylene")
	assert.Equal(t, []string{lead.Id}, leadRows(r.Body), "status filter and search together, without accents")
	other := "new"
	if lead.GetString("status") == "new" {
		other = "qualifying"
	}
	r = b.get("/pool?status=" + other + "&q=xylene")
	assert.Empty(t, leadRows(r.Body), "another status")

	// the whole pool: total, pages and sort links keep the state
	r = b.get("/pool?sort=company")
	total := listTotal(t, r.Body, "pool")
	var n int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE partner = '' AND status IN ('new','qualifying','ready','recycled')").Row(&n))
	assert.Equal(t, n, total, "the total counts the pool")
	if total > poolPerPage {
		has(t, r.Body, `href="/pool?page=2&amp;sort=company"`, "page 2 keeps the sort")
	}
	has(t, r.Body, `aria-sort="ascending"`)
	ids := leadRows(r.Body)
	require.NotEmpty(t, ids)
	prev := ""
	for _, id := range ids {
		l, err := e.app.FindRecordById("leads", id)
		require.NoError(t, err)
		assert.LessOrEqual(t, prev, l.GetString("company"), "sorted by company")
		prev = l.GetString("company")
	}
}

// TestSirenSearchIsInternalOnly: the SIRET is an internal lead field; a
// partner searching its own accepted lead by SIREN finds nothing (the
// search would tell the value), an admin finds it.
func TestSirenSearchIsInternalOnly(t *testing.T) {
	e := newEnv(t)
	pid := e.user("installer001@demo.test").GetString("partner")
	lead := e.leadWhere(dbx.HashExp{"partner": pid, "status": "accepted"}, "created")
	setField(t, e, lead, "siret", "91827364500011")

	ids, _, _ := searchLeads(t, e.signedIn("admin@demo.test"), "918273645")
	assert.Equal(t, []string{lead.Id}, ids, "internal roles match the SIREN")
	ids, total, r := searchLeads(t, e.signedIn("installer001@demo.test"), "918273645")
	assert.Empty(t, ids, "a partner never matches the SIRET")
	assert.Zero(t, total)
	lacks(t, r.Body, lead.Id)
}

// TestUsersSearchRoleStateSortAndTotal: the admin searches the users by
// name or e-mail, filters them by role and state, sorts them, and sees
// the total; the pager keeps the filters.
func TestUsersSearchRoleStateSortAndTotal(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	body := okBody(t, b, "/users?q=installer003")
	var n int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM users WHERE email LIKE '%installer003%' OR name LIKE '%installer003%'").Row(&n))
	assert.Equal(t, n, listTotal(t, body, "users"))
	has(t, body, "installer003.sales@demo.test")
	lacks(t, body, "installer004.sales@demo.test")
	r := b.get("/users?q=installer003")

	r = b.get("/users?role=partner_manager&q=installer00")
	has(t, r.Body, "installer001@demo.test")
	lacks(t, r.Body, "installer001.sales@demo.test", "the role filter")

	u := e.user("installer002.sales@demo.test")
	u.Set("active", false)
	require.NoError(t, e.app.Save(u))
	r = b.get("/users?state=inactive")
	has(t, r.Body, "installer002.sales@demo.test")
	lacks(t, r.Body, "installer003.sales@demo.test", "the state filter")
	r = b.get("/users?state=active&q=installer002")
	lacks(t, r.Body, "installer002.sales@demo.test")

	r = b.get("/users?sort=-name&role=partner_user")
	has(t, r.Body, `aria-sort="descending"`)
	total := listTotal(t, r.Body, "users")
	if total > usersPerPage {
		has(t, r.Body, `href="/users?page=2&amp;role=partner_user&amp;sort=-name"`, "the pager keeps the filters")
	}
}

// TestTeamSearchStaysInTheCompany: a partner manager's search of its team
// never lists another company's accounts, whatever the words.
func TestTeamSearchStaysInTheCompany(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001@demo.test")
	body := okBody(t, b, "/team?q=demo.test")
	for _, other := range []string{"installer002.sales@demo.test", "installer002@demo.test", "admin@demo.test"} {
		lacks(t, body, other, "another company's account")
	}
	has(t, body, "installer001.sales@demo.test")
	r := b.get("/team?q=installer002", hx)
	lacks(t, r.Body, "installer002@demo.test")
	lacks(t, r.Body, "installer002.sales@demo.test")
	assert.Zero(t, listTotal(t, r.Body, "team"))
	r = b.get("/team?q=installer001.sales")
	assert.Equal(t, 1, listTotal(t, r.Body, "team"))
}

// TestAuditSearchKindDatesAndPages: the admin searches the audit log by an
// actor's e-mail and by action, filters by kind and dates; the total and
// the pager keep the filters.
func TestAuditSearchKindDatesAndPages(t *testing.T) {
	e := newEnv(t)
	e.signedIn("installer001.sales@demo.test")
	b := e.signedIn("admin@demo.test")
	salesName := e.user("installer001.sales@demo.test").GetString("name")

	r := b.get("/audit?q=installer001.sales")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, esc(salesName), "the actor's entries")
	assert.Positive(t, listTotal(t, r.Body, "audit"))

	r = b.get("/audit?kind=auth")
	actions := regexp.MustCompile(`<td data-label="[^"]*"><code>([^<]+)</code></td>`).FindAllStringSubmatch(r.Body, -1)
	require.NotEmpty(t, actions)
	for _, a := range actions {
		assert.Regexp(t, `^auth\.`, a[1], "the kind filter")
	}
	var n int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'auth.%'").Row(&n))
	assert.Equal(t, n, listTotal(t, r.Body, "audit"))

	r = b.get("/audit?from=2099-01-01")
	assert.Zero(t, listTotal(t, r.Body, "audit"), "no entry after the date")
	r = b.get("/audit?to=2000-01-01")
	assert.Zero(t, listTotal(t, r.Body, "audit"), "no entry before the date")

	r = b.get("/audit")
	all := listTotal(t, r.Body, "audit")
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM audit_log").Row(&n))
	assert.Equal(t, n, all)
	if all > auditPerPage {
		r = b.get("/audit?kind=leads&sort=action")
		if listTotal(t, r.Body, "audit") > auditPerPage {
			has(t, r.Body, `href="/audit?kind=leads&amp;page=2&amp;sort=action"`, "the pager keeps the filters")
		}
		has(t, b.get("/audit").Body, `data-page="2"`)
	}
	assert.Equal(t, http.StatusNotFound, e.signedIn("installer001@demo.test").get("/audit?q=admin").Status)
}

// TestDocumentsSearchCategorySortAndAudience: the library is searched by
// title and by category name, sorted, counted; a partner's search never
// lists a document outside its audience.
func TestDocumentsSearchCategorySortAndAudience(t *testing.T) {
	e := newEnv(t)
	coll, err := e.app.FindCollectionByNameOrId("documents")
	require.NoError(t, err)
	mk := func(title, audience, category string) *core.Record {
		r := core.NewRecord(coll)
		r.Set("title", title)
		r.Set("audience", audience)
		r.Set("category", category)
		require.NoError(t, e.app.Save(r))
		return r
	}
	mk("Zébulon grille tarifaire A", "all_partners", "price_list")
	mk("Zébulon guide de pose B", "all_partners", "guide")
	mk("Zébulon marges internes C", "internal", "price_list")

	admin := e.signedIn("admin@demo.test")
	r := admin.get("/documents?q=zébulon")
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, 3, listTotal(t, r.Body, "documents"))
	r = admin.get("/documents?q=" + url.QueryEscape("zébulon tarifs"))
	has(t, r.Body, "Zébulon grille tarifaire A", "a category word matches its documents")
	has(t, r.Body, "Zébulon marges internes C")
	lacks(t, r.Body, "Zébulon guide de pose B")

	r = admin.get("/documents?q=zébulon&sort=-title")
	has(t, r.Body, `data-dir="descending"`)
	c, a := indexOf(r.Body, "Zébulon marges internes C"), indexOf(r.Body, "Zébulon grille tarifaire A")
	require.Positive(t, c)
	assert.Less(t, c, a, "descending titles within the category")

	p := e.signedIn("installer001.sales@demo.test").get("/documents?q=zébulon&category=price_list")
	require.Equal(t, http.StatusOK, p.Status)
	has(t, p.Body, "Zébulon grille tarifaire A")
	lacks(t, p.Body, "Zébulon marges internes C", "an internal document never matches a partner's search")
	assert.Equal(t, 1, listTotal(t, p.Body, "documents"))
}

// indexOf is the position of sub in s (-1 when absent).
func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

var (
	anyListRe = regexp.MustCompile(`(?s)<table class="list[^"]*"[^>]*>(.*?)</table>`)
	tbodyRe   = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
)

// cardPages are, per demo role, the pages whose tables become cards on a
// phone: every body cell (an action cell aside) carries its column's
// label.
var cardPages = map[string][]string{
	"admin@demo.test": {"/audit", "/board", "/dashboard", "/reports", "/reports/map", "/access-review", "/conflicts",
		"/integrations", "/integrations/deliveries", "/grants", "/approvals", "/registrations", "/opportunities"},
	"installer001@demo.test":       {"/figures", "/team", "/certificates", "/reports"},
	"installer001.sales@demo.test": {"/figures"},
	"manager.ouest@demo.test":      {"/board", "/dashboard", "/reports"},
}

// TestEveryListCellHasACardLabel: the tables of the audit log, the board,
// the dashboard, the figures and reports, the access review and the
// other list pages show, on a phone, labelled cards: every cell of their
// bodies has a data-label (the action cells aside).
func TestEveryListCellHasACardLabel(t *testing.T) {
	e := newEnv(t)
	for email, paths := range cardPages {
		b := e.signedIn(email)
		for _, path := range paths {
			r := b.get(path)
			if r.Status == http.StatusNotFound {
				continue // not this role's page
			}
			require.Equal(t, http.StatusOK, r.Status, "%s %s", email, path)
			for _, tb := range anyListRe.FindAllStringSubmatch(r.Body, -1) {
				for _, body := range tbodyRe.FindAllStringSubmatch(tb[1], -1) {
					for _, td := range tdRe.FindAllString(body[1], -1) {
						if td == `<td class="actions">` {
							continue
						}
						assert.Regexp(t, labelRe, td, "%s %s: a cell without its label", email, path)
					}
				}
			}
		}
	}
}
