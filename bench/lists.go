package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"

	"github.com/pocketbase/dbx"
)

// ListScenario is a page of leads read through the REST API and by the raw
// SQL a perfect implementation would run for the same rows.
type ListScenario struct {
	Name     string
	client   *Client
	ui       bool // a web UI page (HTML, session cookie) instead of the REST API
	accounts []Account
	url      func(a Account) string
	raw      func(a Account) (string, dbx.Params)
	// urlAt and rawAt, when set, replace url and raw: the request and its
	// raw SQL depend on the iteration (the searches).
	urlAt func(i int) string
	rawAt func(i int) (string, dbx.Params)
	env   *Env
}

// PageSize is the page of every list scenario (the partner page cap).
const PageSize = 50

func listURL(filter string, count bool) string {
	q := url.Values{}
	q.Set("sort", "-created")
	q.Set("perPage", fmt.Sprint(PageSize))
	if !count {
		q.Set("skipTotal", "1")
	}
	if filter != "" {
		q.Set("filter", filter)
	}
	return "/api/collections/leads/records?" + q.Encode()
}

// PartnerUserList: a partner salesperson lists their own leads, page of 50
// by -created (skipTotal, as a UI without a total would); the limit is
// `WHERE assignee = ? ORDER BY created DESC LIMIT 50`.
func (e *Env) PartnerUserList() ListScenario {
	return ListScenario{
		Name: "partner_user: own leads, page of 50 by -created", env: e, accounts: e.Sales,
		url: func(Account) string { return listURL("", false) },
		raw: func(a Account) (string, dbx.Params) {
			return "SELECT * FROM leads WHERE assignee = {:u} ORDER BY created DESC LIMIT 50", dbx.Params{"u": a.ID}
		},
	}
}

// PartnerUserListCount is PartnerUserList with the total count (the REST
// default without skipTotal); the limit adds the COUNT by the same index.
func (e *Env) PartnerUserListCount() ListScenario {
	s := e.PartnerUserList()
	s.Name = "partner_user: same page with totalItems (no skipTotal)"
	s.url = func(Account) string { return listURL("", true) }
	s.raw = func(a Account) (string, dbx.Params) {
		return "SELECT l.*, (SELECT COUNT(*) FROM leads WHERE assignee = {:u}) AS total FROM leads l WHERE l.assignee = {:u} ORDER BY l.created DESC LIMIT 50",
			dbx.Params{"u": a.ID}
	}
	return s
}

// PartnerUserListAssignee is PartnerUserList with a client filter on the
// user's own id: what a hint on `assignee` (instead of the company) gives.
func (e *Env) PartnerUserListAssignee() ListScenario {
	s := e.PartnerUserList()
	s.Name = "partner_user: same page, client filter assignee = own id"
	s.url = func(a Account) string { return listURL(fmt.Sprintf("assignee = '%s'", a.ID), false) }
	return s
}

// withoutHints is the scenario through the client without the list hint
// middleware (the figure before hooks/list_hints.go).
func (e *Env) withoutHints(s ListScenario) ListScenario {
	s.Name += " — without the list hint"
	s.client = e.NoHints
	return s
}

// PartnerManagerList: a partner manager lists the company's open pipeline
// (status filter), page of 50 by -created; the limit is
// `WHERE partner = ? AND status IN (…) ORDER BY created DESC LIMIT 50`.
func (e *Env) PartnerManagerList() ListScenario {
	return ListScenario{
		Name: "partner_manager: company leads, status filter, page of 50", env: e, accounts: e.Managers,
		url: func(Account) string {
			return listURL("status = 'accepted' || status = 'contacted' || status = 'meeting'", false)
		},
		raw: func(a Account) (string, dbx.Params) {
			return "SELECT * FROM leads WHERE partner = {:p} AND status IN ('accepted','contacted','meeting') ORDER BY created DESC LIMIT 50",
				dbx.Params{"p": a.Partner}
		},
	}
}

// ChannelManagerBoard: the channel manager's distribution board for one
// territory (leads ready or offered), page of 50 by -created; the limit is
// `WHERE territory = ? AND status IN ('ready','offered') ORDER BY created
// DESC LIMIT 50`.
func (e *Env) ChannelManagerBoard() ListScenario {
	return ListScenario{
		Name: "channel_manager: board of one territory (ready/offered)", env: e, accounts: []Account{e.CM},
		url: func(Account) string {
			return listURL(fmt.Sprintf("territory = '%s' && (status = 'ready' || status = 'offered')", e.Territory), false)
		},
		raw: func(Account) (string, dbx.Params) {
			return "SELECT * FROM leads WHERE territory = {:t} AND status IN ('ready','offered') ORDER BY created DESC LIMIT 50",
				dbx.Params{"t": e.Territory}
		},
	}
}

// PartnerUserPage: the same salesperson's leads page of the web UI
// (HTML, rendered by the server through the same rule-aware read path),
// sorted like the UI sorts (-updated, -created); the limit is the raw
// SQL of that page.
func (e *Env) PartnerUserPage() ListScenario {
	return ListScenario{
		Name: "partner_user: leads page of the web UI (HTML)", env: e, accounts: e.Sales, ui: true,
		url: func(Account) string { return "/leads" },
		raw: func(a Account) (string, dbx.Params) {
			return "SELECT * FROM leads WHERE assignee = {:u} ORDER BY updated DESC, created DESC LIMIT 50", dbx.Params{"u": a.ID}
		},
	}
}

// ListScenarios are the list figures, in report order: each list as
// shipped and without the list hint middleware, plus two variants of the
// salesperson's list.
func (e *Env) ListScenarios() []ListScenario {
	return []ListScenario{
		e.PartnerUserList(), e.withoutHints(e.PartnerUserList()), e.PartnerUserListCount(), e.PartnerUserListAssignee(),
		e.PartnerUserPage(),
		e.PartnerManagerList(), e.withoutHints(e.PartnerManagerList()),
		e.ChannelManagerBoard(), e.withoutHints(e.ChannelManagerBoard()),
	}
}

func (s ListScenario) account(i int) Account { return s.accounts[i%len(s.accounts)] }

func (s ListScenario) urlOf(i int) string {
	if s.urlAt != nil {
		return s.urlAt(i)
	}
	return s.url(s.account(i))
}

func (s ListScenario) rawOf(i int) (string, dbx.Params) {
	if s.rawAt != nil {
		return s.rawAt(i)
	}
	return s.raw(s.account(i))
}

func (s ListScenario) get(i int) ([]byte, error) {
	c := s.client
	if c == nil {
		c = s.env.Client
	}
	a, u := s.account(i), s.urlOf(i)
	if s.ui {
		st, body := c.Page(u, a.Token)
		return body, expect(st, http.StatusOK, body, "GET "+u)
	}
	return getWith(c, u, a)
}

// REST reads the page of the i-th account through the API.
func (s ListScenario) REST(i int) error {
	_, err := s.get(i)
	return err
}

// Raw reads the same page by raw SQL.
func (s ListScenario) Raw(i int) error {
	q, p := s.rawOf(i)
	rows := []dbx.NullStringMap{}
	return s.env.App.DB().NewQuery(q).Bind(p).All(&rows)
}

// Check compares the ids of the REST page with the raw SQL page (same rows
// in the same order) and, when the REST call counts, the totals. It
// returns the number of rows on the page.
func (s ListScenario) Check(i int) (int, error) {
	a := s.account(i)
	body, err := s.get(i)
	if err != nil {
		return 0, err
	}
	if s.ui {
		return s.checkPage(i, body)
	}
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
		TotalItems int `json:"totalItems"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return 0, err
	}
	q, p := s.rawOf(i)
	rows := []dbx.NullStringMap{}
	if err := s.env.App.DB().NewQuery(q).Bind(p).All(&rows); err != nil {
		return 0, err
	}
	var got, want []string
	for _, it := range page.Items {
		got = append(got, it.ID)
	}
	for _, r := range rows {
		want = append(want, r["id"].String)
	}
	if !slices.Equal(got, want) {
		return 0, fmt.Errorf("%s as %s: REST page %v, raw SQL page %v", s.Name, a.Email, got, want)
	}
	if len(rows) > 0 {
		if t, ok := rows[0]["total"]; ok && fmt.Sprint(page.TotalItems) != t.String {
			return 0, fmt.Errorf("%s as %s: REST totalItems %d, raw COUNT %s", s.Name, a.Email, page.TotalItems, t.String)
		}
	}
	return len(got), nil
}

// checkPage verifies that a web UI page links every lead of the raw page
// and, when the raw SQL counts, shows its total.
func (s ListScenario) checkPage(i int, body []byte) (int, error) {
	a := s.account(i)
	q, p := s.rawOf(i)
	rows := []dbx.NullStringMap{}
	if err := s.env.App.DB().NewQuery(q).Bind(p).All(&rows); err != nil {
		return 0, err
	}
	for _, r := range rows {
		// the lead's link (the pool's opens its qualification: #qualify)
		if !bytes.Contains(body, []byte(`href="/leads/`+r["id"].String)) {
			return 0, fmt.Errorf("%s as %s: lead %s of the raw page is not on the page", s.Name, a.Email, r["id"].String)
		}
	}
	if n := bytes.Count(body, []byte(`<a href="/leads/`)); n < len(rows) {
		return 0, fmt.Errorf("%s as %s: %d lead links on the page, %d rows by raw SQL", s.Name, a.Email, n, len(rows))
	}
	if len(rows) > 0 {
		t, ok := rows[0]["total"]
		want := t.String
		if want == fmt.Sprint(SearchCap+1) {
			// a search's total stops at the cap ("1 000+")
			want = fmt.Sprint(SearchCap)
		}
		if ok && pageTotal(body) != want {
			return 0, fmt.Errorf("%s as %s: the page shows a total of %q, raw COUNT %s", s.Name, a.Email, pageTotal(body), t.String)
		}
	}
	return len(rows), nil
}

// totalRe finds the total line of a list page (#leads-total, #pool-total).
var totalRe = regexp.MustCompile(`id="[a-z]+-total">([^<]*)<`)

// pageTotal is the digits of a list page's total ("1 234 leads" → "1234").
func pageTotal(body []byte) string {
	m := totalRe.FindSubmatch(body)
	if m == nil {
		return ""
	}
	text := m[1]
	var digits []byte
	for _, c := range text {
		if c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	return string(digits)
}
