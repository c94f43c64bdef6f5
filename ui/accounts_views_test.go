package ui

import (
	"github.com/relais/relais/hooks/csvimport"
	"github.com/relais/relais/hooks/intake"
)

// sampleAccounts is the sample data of the accounts, new lead and import
// views, every optional block filled.
func sampleAccounts(p *page, view string) viewData {
	m := []matchView{{Kind: "account", Name: "ACME", URL: "/accounts/a", KeyKind: "siren", Key: "123456789"},
		{Kind: "lead", Entrusted: true, PartnerName: "P", KeyKind: "company", Key: "acme · 69003"}, {Kind: "registration", Entrusted: true}}
	f := accountForm{Name: "ACME", Errors: map[string]string{"siren": "x"}, Matches: m, Confirm: true, Refused: true}
	opps := []oppRow{{ID: "o", Name: "O", Stage: "proposal", AccountID: "a", AccountName: "ACME", Amount: 12}}
	switch view {
	case "accounts":
		return &accountsPage{page: p, Accounts: []accountRow{{ID: "a", Name: "ACME", Segment: "farm", PostalCode: "69003", PartnerName: "P"}},
			CanCreate: true, ShowBook: true, Book: opps, Next: "/accounts?page=2"}
	case "account":
		return &accountPage{page: p, Account: accountRow{ID: "a", Name: "ACME", SIREN: "123456789", PartnerName: "P", OwnerName: "O", Segment: "farm"},
			TerritoryName: "T", Contacts: []accountContact{{Name: "N", Title: "T", Email: "e@x.fr", Phone: "+33"}}, Leads: []leadView{{ID: "l", Company: "ACME", Status: "new"}},
			Opps: opps, Activities: []accountActivity{{Kind: "call", Summary: "s", Internal: true}}, Segments: segments, Stages: oppStages,
			CanEdit: true, Edit: f, CanAddContact: true, Contact: contactForm{Errors: map[string]string{"x": "y"}}, CanAddOpp: true, Opp: oppForm{Errors: map[string]string{"x": "y"}}}
	case "account_new":
		return &accountNewPage{page: p, Form: f, Segments: segments}
	case "lead_new":
		return &leadNewPage{page: p, Form: leadForm{Errors: map[string]string{"x": "y"}}, Segments: segments, Sizes: companySizes,
			Result: &leadResult{ID: "l", Outcome: "held", ConflictKind: "account", ConflictPartner: "P", CanOpen: true}}
	}
	errs := []csvimport.RowError{{Line: 3, Column: "cp", Reason: "bad"}}
	return &importPage{page: p, Job: &importJob{ID: "j", State: jobChecked, Check: intake.ImportSummary{Rows: 4, Rejected: 1}, CheckErrs: errs, RowErrs: errs}, Ready: 3, Error: "x"}
}
