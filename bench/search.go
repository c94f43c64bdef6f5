package bench

import (
	"fmt"
	"net/url"

	"github.com/pocketbase/dbx"
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

// searchRaw is the raw SQL of a search (searchRawBest): scope (empty:
// every lead), the words of q, partner for a salesperson's own leads.
func (e *Env) searchRaw(scope string, p dbx.Params, q string, partner bool) (string, dbx.Params) {
	return e.searchRawBest(scope, p, q, partner)
}

// SearchCap is where the web UI's search total stops ("1 000+").
const SearchCap = 1000
