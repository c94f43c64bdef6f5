package bench

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/lifecycle"
)

// The pool search figure: the pool page of the web UI (unassigned leads
// in a pool status, newest first, with the total and page numbers)
// searched by the company of a pool lead, as the admin, against the raw
// SQL of the same page and COUNT (searchRaw's conditions in the pool).

// poolTerms are the searched companies: those of the newest pool leads
// that name one (as many as there are salespeople, at least one).
func (e *Env) poolTerms() ([]string, error) {
	var terms []string
	err := e.App.DB().NewQuery("SELECT company FROM leads WHERE partner = '' AND company != '' AND status IN ({:s0},{:s1},{:s2},{:s3}) ORDER BY created DESC LIMIT {:n}").
		Bind(poolParams(dbx.Params{"n": max(1, len(e.Sales))})).Column(&terms)
	if err != nil {
		return nil, fmt.Errorf("bench: the pool's companies: %w", err)
	}
	if len(terms) == 0 {
		return nil, fmt.Errorf("bench: no pool lead names a company")
	}
	return terms, nil
}

// poolParams adds the pool statuses s0…s3 to p.
func poolParams(p dbx.Params) dbx.Params {
	for i, st := range lifecycle.PoolStatuses() {
		p[fmt.Sprintf("s%d", i)] = st
	}
	return p
}

// PoolSearch: the admin searches the pool by a pool lead's company.
func (e *Env) PoolSearch() (ListScenario, error) {
	terms, err := e.poolTerms()
	if err != nil {
		return ListScenario{}, err
	}
	s := ListScenario{Name: "admin: pool page searched by company (HTML, total)", env: e, accounts: []Account{e.Admin}, ui: true}
	s.urlAt = func(i int) string { return "/pool?" + url.Values{"q": {terms[i%len(terms)]}}.Encode() }
	s.rawAt = func(i int) (string, dbx.Params) {
		sql, p := e.searchRaw("partner = '' AND status IN ({:s0},{:s1},{:s2},{:s3})", poolParams(dbx.Params{}), terms[i%len(terms)], false)
		// the pool's order: newest first
		return strings.Replace(sql, "ORDER BY l.updated DESC, l.created DESC", "ORDER BY l.created DESC", 1), p
	}
	return s, nil
}
