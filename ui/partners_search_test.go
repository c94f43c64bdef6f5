package ui

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

var (
	partnerRowRe   = regexp.MustCompile(`<tr data-partner-id="([a-z0-9]+)"`)
	partnerTotalRe = regexp.MustCompile(`id="partners-total">(\d+) part`)
	partnerRateRe  = regexp.MustCompile(`data-answered="\d+">([^<]+)</td>`)
	partnerPage2Re = regexp.MustCompile(`<a href="([^"]+)" hx-get="[^"]+" hx-target="#main" hx-push-url="true" data-page="2">2</a>`)
)

// partnersList opens a partners list URL and returns the listed partner
// ids, the total shown and the response.
func partnersList(t *testing.T, b *browser, path string, opts ...reqOpt) ([]string, int, resp) {
	t.Helper()
	r := b.get(path, opts...)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	var ids []string
	for _, m := range partnerRowRe.FindAllStringSubmatch(r.Body, -1) {
		ids = append(ids, m[1])
	}
	m := partnerTotalRe.FindStringSubmatch(r.Body)
	require.NotNil(t, m, "the page shows the total")
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return ids, n, r
}

// shownRates returns the acceptance rates shown on a partners page, in
// order (-1 for "—", no answered offer).
func shownRates(t *testing.T, body string) []int {
	t.Helper()
	var out []int
	for _, m := range partnerRateRe.FindAllStringSubmatch(body, -1) {
		if m[1] == "—" {
			out = append(out, -1)
			continue
		}
		digits := regexp.MustCompile(`^(\d+)`).FindString(m[1])
		n, err := strconv.Atoi(digits)
		require.NoError(t, err, m[1])
		out = append(out, n)
	}
	return out
}

// apiPartners is what GET /api/collections/partners/records answers for a
// user and a filter: totalItems and the ids of its first 500.
func apiPartners(t *testing.T, e *env, email, filter string) (int, []string) {
	t.Helper()
	token := testapp.Token(t, e.app, e.user(email))
	r := e.apiCall(http.MethodGet, "/api/collections/partners/records?perPage=500&filter="+url.QueryEscape(filter), token, nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	var out struct {
		TotalItems int `json:"totalItems"`
		Items      []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.Body), &out))
	ids := make([]string, 0, len(out.Items))
	for _, it := range out.Items {
		ids = append(ids, it.ID)
	}
	return out.TotalItems, ids
}

// morePartners adds n active partners copied from a demo partner (its
// territories and tier; no offer, so no acceptance rate): the demo has
// fewer partners than a page.
func (e *env) morePartners(t *testing.T, n int) {
	t.Helper()
	src, err := e.app.FindFirstRecordByFilter("partners", "status = 'active' && territories != ''")
	require.NoError(t, err)
	for i := range n {
		r := core.NewRecord(src.Collection())
		for _, f := range []string{"kind", "tier", "status", "territories", "segments", "capacity"} {
			r.Set(f, src.Get(f))
		}
		r.Set("name", "Extra partenaire "+strconv.Itoa(i))
		r.Set("siren", strconv.Itoa(500000000+i))
		require.NoError(t, e.app.Save(r))
	}
}

// apiSearchFilter is the REST filter of a one-word partners search for a
// user: name, SIREN, or one of the territories (listed by the API for
// him) whose name contains w (client filters may not go through the
// multiple relation, so the territory ids are named).
func apiSearchFilter(t *testing.T, e *env, email, w string) string {
	t.Helper()
	token := testapp.Token(t, e.app, e.user(email))
	r := e.apiCall(http.MethodGet, "/api/collections/territories/records?perPage=500&filter="+url.QueryEscape(`name ~ "`+w+`"`), token, nil)
	f := `name ~ "` + w + `" || siren ~ "` + w + `"`
	if r.Status == http.StatusForbidden {
		return f
	}
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	var out struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.Body), &out))
	for _, it := range out.Items {
		f += ` || territories ~ "` + it.ID + `"`
	}
	return f
}

func TestPartnersSearchByNameAndSIREN(t *testing.T) {
	e := newEnv(t)
	p, err := e.app.FindFirstRecordByFilter("partners", "status = 'active'")
	require.NoError(t, err)
	setField(t, e, p, "name", "Zyxophane Solaire")
	setField(t, e, p, "siren", "987654321")
	b := e.signedIn("admin@demo.test")

	ids, total, _ := partnersList(t, b, "/partners?q=zyxophane")
	assert.Equal(t, []string{p.Id}, ids, "a word of the name, any case")
	assert.Equal(t, 1, total)

	ids, total, r := partnersList(t, b, "/partners?q=987654321", hx)
	assert.Equal(t, []string{p.Id}, ids, "the SIREN")
	assert.Equal(t, 1, total)
	assert.NotContains(t, r.Body, "<html", "htmx gets the content only")
	assert.Contains(t, r.Body, `value="987654321"`, "the box keeps the search")

	ids, _, _ = partnersList(t, b, "/partners?q="+url.QueryEscape("Zyxophane 111111111"))
	assert.Empty(t, ids, "every word must match")
	ids, _, _ = partnersList(t, b, "/partners?q=%25")
	assert.Empty(t, ids, "%% is a plain character")
}

func TestPartnersSearchByTerritoryName(t *testing.T) {
	e := newEnv(t)
	p, err := e.app.FindFirstRecordByFilter("partners", "territories != ''")
	require.NoError(t, err)
	terr, err := e.app.FindRecordById("territories", p.GetStringSlice("territories")[0])
	require.NoError(t, err)
	name := terr.GetString("name")
	ids, total, _ := partnersList(t, e.signedIn("admin@demo.test"), "/partners?q="+url.QueryEscape(name))
	require.NotEmpty(t, ids)
	assert.Contains(t, ids, p.Id, "a partner of the territory %q", name)
	want, _ := apiPartners(t, e, "admin@demo.test", apiSearchFilter(t, e, "admin@demo.test", name))
	assert.Equal(t, want, total)
}

func TestPartnersSortByAcceptanceRate(t *testing.T) {
	e := newEnv(t)
	e.morePartners(t, partnersPerPage)
	b := e.signedIn("admin@demo.test")
	_, _, def := partnersList(t, b, "/partners")
	assert.Contains(t, def.Body, `href="/partners?sort=rate"`, "the rate column sorts")
	for _, c := range []struct {
		sort string
		desc bool
	}{{"-rate", true}, {"rate", false}} {
		t.Run(c.sort, func(t *testing.T) {
			ids, total, r1 := partnersList(t, b, "/partners?sort="+c.sort)
			require.Greater(t, total, partnersPerPage, "the demo has more than one page of partners")
			assert.Len(t, ids, partnersPerPage)
			ids2, _, r2 := partnersList(t, b, "/partners?page=2&sort="+c.sort, hx)
			for _, id := range ids2 {
				assert.NotContains(t, ids, id, "page 2 lists other partners")
			}
			rates := append(shownRates(t, r1.Body), shownRates(t, r2.Body)...)
			require.Len(t, rates, len(ids)+len(ids2))
			distinct := map[int]bool{}
			for i := 1; i < len(rates); i++ {
				distinct[rates[i]] = true
				if rates[i] == -1 {
					continue // no answered offer: last
				}
				require.NotEqual(t, -1, rates[i-1], "partners without a rate come last (%v)", rates)
				if c.desc {
					assert.GreaterOrEqual(t, rates[i-1], rates[i], "non-increasing at %d: %v", i, rates)
				} else {
					assert.LessOrEqual(t, rates[i-1], rates[i], "non-decreasing at %d: %v", i, rates)
				}
			}
			assert.Greater(t, len(distinct), 3, "the demo partners have different rates: %v", rates)
		})
	}
	_, _, asc := partnersList(t, b, "/partners?sort=rate")
	assert.Contains(t, asc.Body, `aria-sort="ascending"`)
	assert.Contains(t, asc.Body, `href="/partners?sort=-rate"`, "a second click sorts descending")
}

func TestPartnersTotalIsTheAPIsTotal(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{"admin@demo.test", "manager@demo.test", "manager.ouest@demo.test"} {
		t.Run(email, func(t *testing.T) {
			b := e.signedIn(email)
			_, total, _ := partnersList(t, b, "/partners")
			want, _ := apiPartners(t, e, email, "")
			assert.Equal(t, want, total, "no search")
			_, total, _ = partnersList(t, b, "/partners?status=active&q=e")
			want, _ = apiPartners(t, e, email, `status = "active" && (`+apiSearchFilter(t, e, email, "e")+`)`)
			assert.Equal(t, want, total, "active partners with an e")
		})
	}
}

func TestPartnersPageTwoLinkKeepsTheSearch(t *testing.T) {
	e := newEnv(t)
	e.morePartners(t, partnersPerPage)
	b := e.signedIn("admin@demo.test")
	first, total, r := partnersList(t, b, "/partners?q=e&sort=-rate")
	require.Greater(t, total, partnersPerPage, "the demo has more than one page of partners with an e")
	m := partnerPage2Re.FindStringSubmatch(r.Body)
	require.NotNil(t, m, "a link to page 2")
	link := html.UnescapeString(m[1])
	assert.Equal(t, "/partners?page=2&q=e&sort=-rate", link, "the link keeps the search and the sort")
	second, total2, r2 := partnersList(t, b, link, hx)
	assert.Equal(t, total, total2)
	assert.Contains(t, r2.Body, `<span aria-current="page">2</span>`)
	assert.Len(t, second, min(total-partnersPerPage, partnersPerPage))
	for _, id := range second {
		assert.NotContains(t, first, id, "page 2 lists other partners")
	}
}

func TestPartnersChannelManagerSeesOnlyHisPartners(t *testing.T) {
	e := newEnv(t)
	email := "manager.ouest@demo.test"
	// every partner by default (the matrix's partners read is "all" for
	// channel managers): his list is the API's
	apiAll, _ := apiPartners(t, e, email, "")
	_, total, _ := partnersList(t, e.signedIn(email), "/partners")
	assert.Equal(t, apiAll, total)

	// the partners of his territories only, once the matrix says so
	cell, err := e.app.FindFirstRecordByFilter("permissions", "role = {:r} && resource = 'partners'", dbx.Params{"r": e.user(email).GetString("role")})
	require.NoError(t, err)
	cell.Set("read", "territory")
	require.NoError(t, e.app.Save(cell))
	b := e.signedIn(email)
	var listed []string
	for page := 1; page <= 10; page++ {
		ids, _, _ := partnersList(t, b, "/partners?page="+strconv.Itoa(page))
		if len(ids) == 0 {
			break
		}
		listed = append(listed, ids...)
	}
	apiTotal, apiIDs := apiPartners(t, e, email, "")
	slices.Sort(listed)
	slices.Sort(apiIDs)
	assert.Equal(t, apiIDs, listed, "exactly the partners the API lists for him")
	require.Less(t, apiTotal, apiAll, "he no longer sees every partner")
	require.NotZero(t, apiTotal)
	_, total, _ = partnersList(t, b, "/partners")
	assert.Equal(t, apiTotal, total)

	// a partner he may not see cannot be found by its name or SIREN
	var foreign string
	all, err := e.app.FindAllRecords("partners")
	require.NoError(t, err)
	for _, p := range all {
		if !slices.Contains(apiIDs, p.Id) {
			foreign = p.Id
			setField(t, e, p, "name", "Qwertuvian Toitures")
			setField(t, e, p, "siren", "123456789")
			ids, total, _ := partnersList(t, b, "/partners?q=qwertuvian")
			assert.Empty(t, ids)
			assert.Zero(t, total)
			ids, _, _ = partnersList(t, b, "/partners?q=123456789")
			assert.NotContains(t, ids, p.Id)
			ids, _, _ = partnersList(t, e.signedIn("admin@demo.test"), "/partners?q=qwertuvian")
			assert.Equal(t, []string{p.Id}, ids, "the admin finds it")
			break
		}
	}
	require.NotEmpty(t, foreign, "a partner outside his territories")
}

func TestSortByRate(t *testing.T) {
	col := core.NewBaseCollection("partners")
	rec := func(id string) *core.Record {
		r := core.NewRecord(col)
		r.Id = id
		return r
	}
	stats := map[string]partnerLoad{
		"half": {accepted: 1, answered: 2}, "all": {accepted: 3, answered: 3},
		"none": {accepted: 0, answered: 4}, "half2": {accepted: 2, answered: 4},
	}
	order := func(desc bool) []string {
		recs := []*core.Record{rec("new"), rec("half"), rec("all"), rec("none"), rec("half2")}
		sortByRate(recs, stats, desc)
		return recordIDs(recs)
	}
	assert.Equal(t, []string{"all", "half", "half2", "none", "new"}, order(true), "no answered offer last, ties keep their order")
	assert.Equal(t, []string{"none", "half", "half2", "all", "new"}, order(false))
}

// A search word's own % and _ are plain characters that still match: the
// partner named with them is found, the look-alike is not.
func TestPartnersSearchMatchesWildcardCharactersLiterally(t *testing.T) {
	e := newEnv(t)
	recs, err := e.app.FindRecordsByFilter("partners", "status = 'active'", "created", 2, 0)
	require.NoError(t, err)
	require.Len(t, recs, 2)
	setField(t, e, recs[0], "name", "Remise 50% Solaire_Ouest")
	setField(t, e, recs[1], "name", "Remise 500 SolaireXOuest")
	b := e.signedIn("admin@demo.test")

	ids, total, _ := partnersList(t, b, "/partners?q="+url.QueryEscape("50%"))
	assert.Equal(t, []string{recs[0].Id}, ids, "50%% finds the name with 50%%, not 500")
	assert.Equal(t, 1, total)
	ids, _, _ = partnersList(t, b, "/partners?q="+url.QueryEscape("solaire_ouest"))
	assert.Equal(t, []string{recs[0].Id}, ids, "_ is not a one-character wildcard")
}
