package ui

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

var totalRe = regexp.MustCompile(`id="leads-total">(\d+) lead`)

// searchLeads runs a search on the leads page and returns the listed
// lead ids and the total shown.
func searchLeads(t *testing.T, b *browser, q string, opts ...reqOpt) ([]string, int, resp) {
	t.Helper()
	r := b.get("/leads?q="+url.QueryEscape(q), opts...)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	var ids []string
	for _, m := range leadRowRe.FindAllStringSubmatch(r.Body, -1) {
		ids = append(ids, m[1])
	}
	m := totalRe.FindStringSubmatch(r.Body)
	require.NotNil(t, m, "the page shows the total")
	n := 0
	for _, c := range m[1] {
		n = n*10 + int(c-'0')
	}
	return ids, n, r
}

// partnerUserOf returns the e-mail of an active user of a partner.
func partnerUserOf(t *testing.T, e *env, partner string) string {
	t.Helper()
	u, err := e.app.FindFirstRecordByFilter("users", "partner = {:p} && active = true", dbx.Params{"p": partner})
	require.NoError(t, err)
	return u.Email()
}

// setField saves one field of a record (test setup).
func setField(t *testing.T, e *env, rec *core.Record, field, value string) {
	t.Helper()
	rec.Set(field, value)
	require.NoError(t, e.app.Save(rec))
}

func TestLeadsSearchAdminFindsALeadByCompany(t *testing.T) {
	e := newEnv(t)
	lead := e.leadWhere(dbx.NewExp("company != '' AND private = false"), "created")
	setField(t, e, lead, "company", "Zyxophane Énergies SARL")
	b := e.signedIn("admin@demo.test")

	ids, total, _ := searchLeads(t, b, "zyxophane")
	assert.Equal(t, []string{lead.Id}, ids, "a word of the company, any case")
	assert.Equal(t, 1, total)

	// an htmx request gets the page's content only, with the result
	ids, _, r := searchLeads(t, b, "Zyxophane SARL", hx)
	assert.Equal(t, []string{lead.Id}, ids, "every word must match")
	assert.NotContains(t, r.Body, "<html")
	assert.Contains(t, r.Body, `value="Zyxophane SARL"`, "the box keeps the search")

	ids, total, _ = searchLeads(t, b, "Zyxophane Nowhere-sur-Mer")
	assert.Empty(t, ids)
	assert.Equal(t, 0, total)

	// the LIKE wildcards are plain characters
	ids, _, _ = searchLeads(t, b, "%")
	assert.Empty(t, ids, "%% matches no company")
}

func TestLeadsSearchPartnerFindsOnlyItsOwn(t *testing.T) {
	e := newEnv(t)
	// a private customer's lead offered to a partner, not accepted yet:
	// the partner sees the lead but not its contact (name, e-mail)
	private := e.leadWhere(dbx.NewExp("private = true AND status = 'offered' AND partner != ''"), "created")
	partner := private.GetString("partner")
	email := partnerUserOf(t, e, partner)
	ct, err := e.app.FindFirstRecordByData("lead_contacts", "lead", private.Id)
	require.NoError(t, err)
	ct.Set("last_name", "Qwertzuiop")
	ct.Set("email", "qwertzuiop.canary@example.org")
	require.NoError(t, e.app.Save(ct))
	// an accepted lead of the partner, with a company, and a foreign one
	own := e.leadWhere(dbx.NewExp("partner = {:p} AND private = false AND company != ''", dbx.Params{"p": partner}), "created")
	setField(t, e, own, "company", "Ownvisible Solaire")
	foreign := e.leadWhere(dbx.NewExp("partner != {:p} AND partner != '' AND private = false AND company != ''", dbx.Params{"p": partner}), "created")
	setField(t, e, foreign, "company", "Foreignhidden Toitures")

	api := apiLeadIDs(t, e, email)
	require.Contains(t, api, private.Id, "the partner sees the offered lead")
	require.Contains(t, api, own.Id)
	require.NotContains(t, api, foreign.Id)

	admin := e.signedIn("admin@demo.test")
	p := e.signedIn(email)
	for _, q := range []string{"Qwertzuiop", "qwertzuiop.canary"} {
		ids, _, _ := searchLeads(t, admin, q)
		assert.Equal(t, []string{private.Id}, ids, "admin finds a private customer by the contact's %q", q)
		ids, total, _ := searchLeads(t, p, q)
		assert.Empty(t, ids, "the partner may not read this contact: %q matches nothing", q)
		assert.Equal(t, 0, total)
	}
	ids, _, _ := searchLeads(t, p, "Ownvisible")
	assert.Equal(t, []string{own.Id}, ids, "the partner finds its own lead")
	ids, total, _ := searchLeads(t, p, "Foreignhidden")
	assert.Empty(t, ids, "a foreign company gives no result")
	assert.Equal(t, 0, total)
	ids, _, _ = searchLeads(t, admin, "Foreignhidden")
	assert.Equal(t, []string{foreign.Id}, ids)
}

// apiTotal is totalItems of GET /api/collections/leads/records for a
// user and a filter.
func apiTotal(t *testing.T, e *env, email, filter string) int {
	t.Helper()
	token := testapp.Token(t, e.app, e.user(email))
	r := e.apiCall(http.MethodGet, "/api/collections/leads/records?perPage=1&filter="+url.QueryEscape(filter), token, nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	var out struct {
		TotalItems int `json:"totalItems"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.Body), &out))
	return out.TotalItems
}

func TestLeadsSearchTotalIsTheAPIsTotal(t *testing.T) {
	e := newEnv(t)
	lead := e.leadWhere(dbx.NewExp("status = 'accepted' AND partner != '' AND city != ''"), "created")
	town := strings.Fields(lead.GetString("city"))[0]
	filter := `company ~ "` + town + `" || city ~ "` + town + `" || postal_code ~ "` + town + `"`
	for _, email := range []string{"admin@demo.test", "manager.ouest@demo.test", partnerUserOf(t, e, lead.GetString("partner"))} {
		t.Run(email, func(t *testing.T) {
			ids, total, _ := searchLeads(t, e.signedIn(email), town)
			want := apiTotal(t, e, email, filter)
			assert.Equal(t, want, total, "search %q", town)
			assert.Equal(t, min(want, 50), len(ids))
			_, all, _ := searchLeads(t, e.signedIn(email), "")
			assert.Equal(t, apiTotal(t, e, email, ""), all, "no search: every lead")
		})
	}
}

var page2Re = regexp.MustCompile(`<a href="([^"]+)" hx-get="[^"]+" hx-target="#main" hx-push-url="true" data-page="2">2</a>`)

func TestLeadsSearchPageTwoLinkKeepsTheSearch(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	first, total, r := searchLeads(t, b, "e")
	require.Greater(t, total, 50, "the demo has more than one page of leads with an e")
	m := page2Re.FindStringSubmatch(r.Body)
	require.NotNil(t, m, "a link to page 2")
	link := html.UnescapeString(m[1])
	assert.Equal(t, "/leads?page=2&q=e", link, "the link keeps the search in the URL")
	r2 := b.get(link, hx)
	require.Equal(t, http.StatusOK, r2.Status)
	assert.Contains(t, r2.Body, `<span aria-current="page">2</span>`)
	var second []string
	for _, mm := range leadRowRe.FindAllStringSubmatch(r2.Body, -1) {
		second = append(second, mm[1])
	}
	assert.Len(t, second, min(total-50, 50))
	for _, id := range second {
		assert.NotContains(t, first, id, "page 2 lists other leads")
	}
	assert.Contains(t, r2.Body, `rel="prev"`)
}

func TestPageLinks(t *testing.T) {
	link := func(n int) string { return "/p" + itoa(n) }
	nums := func(ls []pageLink) string {
		var s []string
		for _, l := range ls {
			switch {
			case l.Gap:
				s = append(s, "…")
			case l.Current:
				s = append(s, "["+itoa(l.N)+"]")
			default:
				s = append(s, itoa(l.N))
			}
		}
		return strings.Join(s, " ")
	}
	for _, c := range []struct {
		cur, total int
		want       string
	}{
		{1, 0, ""}, {1, 1, ""}, {1, 2, "[1] 2"},
		{1, 10, "[1] 2 3 … 10"}, {5, 10, "1 2 3 4 [5] 6 7 … 10"}, {10, 10, "1 … 8 9 [10]"},
		{4, 73, "1 2 3 [4] 5 6 … 73"},
	} {
		assert.Equal(t, c.want, nums(pageLinks(c.cur, c.total, link)), "%d of %d", c.cur, c.total)
	}
	assert.Equal(t, "/p3", pageLinks(1, 5, link)[2].URL)
}

func TestSearchWords(t *testing.T) {
	assert.Empty(t, searchWords("   "))
	assert.Equal(t, []string{"a", "b"}, searchWords(" a  b "))
	assert.Len(t, searchWords("1 2 3 4 5 6 7"), maxSearchWords)
	assert.Len(t, []rune(searchWords(strings.Repeat("é", 300))[0]), 100)
}

// apiFirstIDs is the first page (50) of the REST API's leads for a user,
// a filter and a sort.
func apiFirstIDs(t *testing.T, e *env, email, filter, sort string) []string {
	t.Helper()
	token := testapp.Token(t, e.app, e.user(email))
	v := url.Values{"perPage": {"50"}, "fields": {"id"}, "sort": {sort}, "skipTotal": {"1"}}
	if filter != "" {
		v.Set("filter", filter)
	}
	r := e.apiCall(http.MethodGet, "/api/collections/leads/records?"+v.Encode(), token, nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	var out struct {
		Items []struct{ ID string } `json:"items"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.Body), &out))
	ids := []string{}
	for _, it := range out.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

func TestLeadsSortFollowsTheAPI(t *testing.T) {
	e := newEnv(t)
	lead := e.leadWhere(dbx.NewExp("status = 'accepted' AND partner != ''"), "created")
	for _, email := range []string{"admin@demo.test", partnerUserOf(t, e, lead.GetString("partner"))} {
		b := e.signedIn(email)
		for _, sort := range []string{"score", "-score", "company", "-city"} {
			r := b.get("/leads?sort="+url.QueryEscape(sort), hx)
			require.Equal(t, http.StatusOK, r.Status)
			ids := []string{}
			for _, m := range leadRowRe.FindAllStringSubmatch(r.Body, -1) {
				ids = append(ids, m[1])
			}
			require.NotEmpty(t, ids)
			want := apiFirstIDs(t, e, email, "", leadSorts[sort])
			if email != "admin@demo.test" {
				want = want[:min(len(want), len(ids))] // the partner page cap
			}
			assert.Equal(t, want, ids, "%s sort=%s", email, sort)
		}
		// the header toggles the order and keeps the search
		r := b.get("/leads?sort=score&q=a", hx)
		assert.Contains(t, r.Body, `href="/leads?q=a&amp;sort=-score"`)
		assert.Contains(t, r.Body, `aria-sort="ascending"`)
		// an unknown sort is the default order
		r = b.get("/leads?sort=password", hx)
		def := b.get("/leads", hx)
		assert.Equal(t, leadRowRe.FindAllString(def.Body, -1), leadRowRe.FindAllString(r.Body, -1))
		assert.NotContains(t, r.Body, `aria-sort=`)
	}
}

// TestLeadsBackButtonGetsTheWholePage: htmx restores a history entry
// that is not in its cache by requesting the URL and swapping the whole
// body, so that request gets the full page (menu included), while a
// search or a page link gets the list's content only.
func TestLeadsBackButtonGetsTheWholePage(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	r := b.get("/leads?q=e&page=2", hx, header("HX-History-Restore-Request", "true"))
	require.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, r.Body, "<html")
	assert.Contains(t, r.Body, `<main id="main" tabindex="-1">`)
	assert.Contains(t, r.Body, `<span aria-current="page">2</span>`)
	r = b.get("/leads?q=e&page=2", hx)
	assert.NotContains(t, r.Body, "<html")
	assert.Contains(t, r.Body, `<span aria-current="page">2</span>`)
}
