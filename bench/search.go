package bench

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/textindex"
)

// The search figures: the leads page of the web UI searched by a company
// name (the search box of /leads, with its total and page numbers), as the
// admin (the whole network) and as a salesperson (own leads), against the
// raw SQL that finds the same rows: every word of the search in the
// company, town or postal code, or starting the e-mail or name of a
// contact the user may read, newest change first, one page and the COUNT.

// searchTerms are the searched company names, one per salesperson (the
// newest lead of theirs that names a company); the admin searches them in
// turn.
func (e *Env) searchTerms() ([]string, error) {
	if e.terms != nil {
		return e.terms, nil
	}
	var n int
	if err := e.App.DB().NewQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'lead_search_fts'").Row(&n); err != nil {
		return nil, err
	}
	e.indexed = n > 0
	for _, a := range e.Sales {
		var c string
		if err := e.App.DB().NewQuery("SELECT company FROM leads WHERE assignee = {:u} AND company != '' ORDER BY created DESC LIMIT 1").
			Bind(dbx.Params{"u": a.ID}).Row(&c); err != nil {
			return nil, fmt.Errorf("bench: a company of %s: %w", a.Email, err)
		}
		e.terms = append(e.terms, c)
	}
	return e.terms, nil
}

// searchURL is the leads page searched by the i-th term.
func (e *Env) searchURL(i int) string {
	return "/leads?" + url.Values{"q": {e.terms[i%len(e.terms)]}}.Encode()
}

// AdminSearch: the admin searches the leads by a company name.
func (e *Env) AdminSearch() ListScenario {
	s := ListScenario{
		Name: "admin: leads page searched by company (HTML, total)", env: e, accounts: []Account{e.Admin}, ui: true,
	}
	s.urlAt = func(i int) string { return e.searchURL(i) }
	s.rawAt = func(i int) (string, dbx.Params) { return e.searchRaw("", dbx.Params{}, e.terms[i%len(e.terms)], false) }
	return s
}

// PartnerUserSearch: a salesperson searches their leads by the company of
// one of them.
func (e *Env) PartnerUserSearch() ListScenario {
	s := ListScenario{
		Name: "partner_user: leads page searched by company (HTML, total)", env: e, accounts: e.Sales, ui: true,
	}
	s.urlAt = func(i int) string { return e.searchURL(i) }
	s.rawAt = func(i int) (string, dbx.Params) {
		return e.searchRaw("assignee = {:u}", dbx.Params{"u": s.account(i).ID}, e.terms[i%len(e.terms)], true)
	}
	return s
}

// SearchScenarios are the search figures.
func (e *Env) SearchScenarios() ([]ListScenario, error) {
	if _, err := e.searchTerms(); err != nil {
		return nil, err
	}
	pool, err := e.PoolSearch()
	if err != nil {
		return nil, err
	}
	more, err := e.SrchScenarios()
	if err != nil {
		return nil, err
	}
	return append([]ListScenario{e.AdminSearch(), e.PartnerUserSearch(), pool}, more...), nil
}

// searchRaw is the raw SQL of a search: scope (empty: every lead) and the
// words of q: the leads whose company, town or postal code hold every
// word (one FTS5 MATCH of the words of a trigram or more when the data
// dir has the index, a LIKE otherwise), and the leads one of whose words
// starts the e-mail, last or first name of their contact, where each word
// is in the texts or starts the contact's (a word with an "@" only the
// contact's: textindex.ContactOnly); partner restricts the contacts
// matched to the salesperson's leads it has accepted (SPEC §3.3.2). The
// first row carries the COUNT. Unlike the web UI, which reads at most
// 1,000 matching contacts per word, it matches every contact.
func (e *Env) searchRaw(scope string, p dbx.Params, q string, partner bool) (string, dbx.Params) {
	words := strings.Fields(q)
	var all, texts, prefixes []string
	for i, w := range words {
		k := fmt.Sprintf("w%d", i)
		p[k+"lo"], p[k+"hi"], p[k+"pre"] = w, w+"\U0010FFFF", textindex.EscapeLike(w)+"%"
		var pre []string
		for _, f := range textindex.ContactFields {
			pre = append(pre, fmt.Sprintf(`(c.%[1]s >= {:%[2]slo} COLLATE NOCASE AND c.%[1]s < {:%[2]shi} COLLATE NOCASE AND c.%[1]s LIKE {:%[2]spre} ESCAPE '\')`, f, k))
		}
		prefixes = append(prefixes, "("+strings.Join(pre, " OR ")+")")
		if textindex.ContactOnly(w) {
			texts = append(texts, "FALSE")
			all = append(all, "")
			continue
		}
		if e.indexed && textindex.Indexed(w) {
			p[k] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
			all = append(all, p[k].(string))
			texts = append(texts, fmt.Sprintf("s.id IN (SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:%s})", k))
			continue
		}
		p[k] = "%" + textindex.EscapeLike(w) + "%"
		texts = append(texts, fmt.Sprintf(`(s.company LIKE {:%[1]s} ESCAPE '\' OR s.city LIKE {:%[1]s} ESCAPE '\' OR s.postal_code LIKE {:%[1]s} ESCAPE '\')`, k))
	}
	byText := "SELECT s.lead FROM lead_search s WHERE " + strings.Join(texts, " AND ")
	// the probe of one lead l: its index row, holding the words, is not null
	probe := "(SELECT s.id FROM lead_search s WHERE s.lead = l.id AND " + strings.Join(texts, " AND ") + ") IS NOT NULL"
	if phrases := slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == "" }); len(phrases) > 0 {
		p["wall"] = strings.Join(phrases, " ")
		byText = "SELECT s.lead FROM lead_search s WHERE s.id IN (SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:wall})"
		// with the words in one MATCH: its row (holding the short words) among the matches
		probe = "(SELECT s.id FROM lead_search s WHERE s.lead = l.id"
		for i, w := range words {
			if textindex.ContactOnly(w) || !(e.indexed && textindex.Indexed(w)) {
				probe += " AND " + texts[i]
			}
		}
		probe += ") IN (SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:wall})"
		for i, w := range words {
			if textindex.ContactOnly(w) || !(e.indexed && textindex.Indexed(w)) {
				byText += " AND " + texts[i]
			}
		}
	}
	byContact := "SELECT c.lead FROM lead_contacts c JOIN lead_search s ON s.lead = c.lead WHERE (" + strings.Join(prefixes, " OR ") + ")"
	if partner {
		byContact += " AND c.lead IN (SELECT id FROM leads WHERE " + scope + " AND status IN ('" + strings.Join(lifecycle.AcceptedOrLaterStatuses(), "','") + "'))"
	}
	for i := range words {
		byContact += " AND (" + texts[i] + " OR " + prefixes[i] + ")"
	}
	where := "id IN (" + byText + " UNION " + byContact + ")"
	// the page: when the salesperson's own leads drive the query, or when
	// the text matches are dense, each lead (walked newest first) is
	// probed in the index, as the web UI does (textindex.Shape); the
	// matches drive it otherwise
	page, count := "l."+where, where
	dense, err := textindex.Dense(e.App.DB(), words, PageSize)
	if partner || (err == nil && dense) {
		page = "(" + probe + " OR l.id IN (" + byContact + "))"
	}
	switch m, err := textindex.Matches(e.App.DB(), words, 2*(SearchCap+1)+1); {
	case partner:
		count = strings.ReplaceAll(page, "l.id", "leads.id")
	case err == nil && scope == "" && m > 2*(SearchCap+1):
		// as many text matches as that: the cap is reached among the
		// index's first ones (the admin sees every lead)
		first := strings.Replace(byText, "MATCH {:wall})", fmt.Sprintf("MATCH {:wall} LIMIT %d)", 2*(SearchCap+1)), 1)
		count = "id IN (" + first + " UNION " + byContact + ")"
	}
	if scope != "" {
		page, count = scope+" AND "+page, scope+" AND "+count
	}
	// the total stops past the web UI's cap (it shows "1 000+")
	return "SELECT l.*, (SELECT COUNT(*) FROM (SELECT 1 FROM leads WHERE " + count + " LIMIT " + fmt.Sprint(SearchCap+1) + ")) AS total FROM leads l WHERE " + page +
		" ORDER BY l.updated DESC, l.created DESC LIMIT 50", p
}

// SearchCap is where the web UI's search total stops ("1 000+").
const SearchCap = 1000
