package bench

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/textindex"
)

// The search figures: the leads page of the web UI searched by a company
// name (the search box of /leads, with its total and page numbers), as the
// admin (the whole network) and as a salesperson (own leads), against the
// raw SQL that finds the same rows: every word of the search in the
// company, town or postal code, or in the e-mail or name of a contact the
// user may read, newest change first, one page and the COUNT.

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
	return []ListScenario{e.AdminSearch(), e.PartnerUserSearch(), pool}, nil
}

// searchRaw is the raw SQL of a search: scope (empty: every lead) and the
// words of q, the leads' texts through the full-text index when the data
// dir has it (a LIKE otherwise, and for words shorter than a trigram), the
// contacts' by LIKE;
// partner restricts the contacts matched to the leads a partner has
// accepted (SPEC §3.3.2). The first row carries the COUNT. Unlike the web
// UI, which reads at most 1,000 matching contacts per word, it matches
// every contact.
func (e *Env) searchRaw(scope string, p dbx.Params, q string, partner bool) (string, dbx.Params) {
	var conds []string
	if scope != "" {
		conds = append(conds, scope)
	}
	contactScope := ""
	if partner {
		contactScope = "status IN ('" + strings.Join(lifecycle.AcceptedOrLaterStatuses(), "','") + "') AND "
	}
	for i, w := range strings.Fields(q) {
		k := fmt.Sprintf("w%d", i)
		if e.indexed && textindex.Indexed(w) {
			p[k] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
			conds = append(conds, fmt.Sprintf(`id IN (SELECT lead FROM lead_search WHERE id IN (SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:%[1]s})
			UNION SELECT c.lead FROM lead_contacts c JOIN leads cl ON cl.id = c.lead WHERE %[2]s(c.email LIKE {:%[1]sl} OR c.last_name LIKE {:%[1]sl} OR c.first_name LIKE {:%[1]sl}))`,
				k, strings.ReplaceAll(contactScope, "status IN", "cl.status IN")))
			p[k+"l"] = "%" + w + "%"
			continue
		}
		p[k] = "%" + w + "%"
		conds = append(conds, fmt.Sprintf(`(company LIKE {:%[1]s} OR city LIKE {:%[1]s} OR postal_code LIKE {:%[1]s} OR (%[2]sid IN
			(SELECT lead FROM lead_contacts WHERE email LIKE {:%[1]s} OR last_name LIKE {:%[1]s} OR first_name LIKE {:%[1]s})))`, k, contactScope))
	}
	where := strings.Join(conds, " AND ")
	return "SELECT l.*, (SELECT COUNT(*) FROM leads WHERE " + where + ") AS total FROM leads l WHERE " + where +
		" ORDER BY l.updated DESC, l.created DESC LIMIT 50", p
}
