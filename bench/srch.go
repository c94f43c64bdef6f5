package bench

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/lifecycle"
)

// The other shapes of a search on the leads page, besides a full company
// name (search.go): one common word (the first word of a salesperson's
// company, e.g. "Ferme", in thousands of leads at 1M), a postal code and
// a contact's full e-mail address (of a lead the salesperson has
// accepted, so that it may read the contact), as the admin and as that
// salesperson, each against the raw SQL of the same page and COUNT.

// srchShape is one shape of search: its name and the term of each
// salesperson.
type srchShape struct {
	name  string
	terms []string
}

// srchShapes reads the terms of each shape, one per salesperson.
func (e *Env) srchShapes() ([]srchShape, error) {
	if _, err := e.searchTerms(); err != nil {
		return nil, err
	}
	word := srchShape{name: "a common word"}
	for _, c := range e.terms {
		word.terms = append(word.terms, strings.Fields(c)[0])
	}
	postal := srchShape{name: "a postal code"}
	email := srchShape{name: "a contact's e-mail"}
	accepted := "('" + strings.Join(lifecycle.AcceptedOrLaterStatuses(), "','") + "')"
	for _, a := range e.Sales {
		var pc, em string
		if err := e.App.DB().NewQuery("SELECT postal_code FROM leads WHERE assignee = {:u} AND postal_code != '' ORDER BY created DESC LIMIT 1").
			Bind(dbx.Params{"u": a.ID}).Row(&pc); err != nil {
			return nil, fmt.Errorf("bench: a postal code of %s: %w", a.Email, err)
		}
		if err := e.App.DB().NewQuery("SELECT c.email FROM leads l JOIN lead_contacts c ON c.lead = l.id WHERE l.assignee = {:u} AND l.status IN " + accepted +
			" AND c.email != '' ORDER BY l.created DESC LIMIT 1").Bind(dbx.Params{"u": a.ID}).Row(&em); err != nil {
			return nil, fmt.Errorf("bench: a contact e-mail of %s: %w", a.Email, err)
		}
		postal.terms = append(postal.terms, pc)
		email.terms = append(email.terms, em)
	}
	return []srchShape{word, postal, email}, nil
}

// SrchScenarios are the searches of the other shapes, admin then
// salesperson for each.
func (e *Env) SrchScenarios() ([]ListScenario, error) {
	shapes, err := e.srchShapes()
	if err != nil {
		return nil, err
	}
	var out []ListScenario
	for _, sh := range shapes {
		terms := sh.terms
		term := func(i int) string { return terms[i%len(terms)] }
		u := func(i int) string { return "/leads?" + url.Values{"q": {term(i)}}.Encode() }
		admin := ListScenario{Name: "admin: leads page searched by " + sh.name + " (HTML, total)", env: e, accounts: []Account{e.Admin}, ui: true, urlAt: u}
		admin.rawAt = func(i int) (string, dbx.Params) { return e.searchRaw("", dbx.Params{}, term(i), false) }
		sales := ListScenario{Name: "partner_user: leads page searched by " + sh.name + " (HTML, total)", env: e, accounts: e.Sales, ui: true, urlAt: u}
		sales.rawAt = func(i int) (string, dbx.Params) {
			return e.searchRaw("assignee = {:u}", dbx.Params{"u": sales.account(i).ID}, term(i), true)
		}
		out = append(out, admin, sales)
	}
	return out, nil
}
