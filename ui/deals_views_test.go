package ui

import (
	"time"

	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/deals"
)

// sampleDeals gives the deal views data with each optional block filled
// (TestEveryViewRenders).
func sampleDeals(p *page, view string) viewData {
	now, _ := types.ParseDateTime(time.Now())
	o := oppView{ID: "o1", Name: "Toiture 36 kWc", Company: "Ferme", SIRET: "73282932000074", PostalCode: "35000", Stage: "negotiation",
		Registration: "approved", RejectionReason: "r", LostReason: "l", Note: "n", PartnerName: "P", TerritoryName: "T", RegistrantName: "U",
		Amount: 1000, CloseDate: now, ProtectedUntil: now, Created: now, WonPending: true,
		Conflicts: []deals.RegistrationConflict{{Kind: "lead", Record: "l1", Partner: "p2", Keys: []string{"siren"}}}}
	c := []conflictView{{Kind: "lead", ID: "l1", PartnerName: "Other", Keys: []string{"siren", "email"}, Visible: true, Title: "Ferme", Place: "35000", Status: "status.offered", Amount: 5, Link: "/leads/l1"},
		{Kind: "registration", Pending: true, Keys: []string{"company"}}}
	p.Caps.DecideDeals = view == "opportunities" || view == "registrations"
	switch view {
	case "registrations":
		return &registrationsPage{page: p, Queue: []queueItem{{Reg: o, Conflicts: c}, {Reg: o}}, Decide: decideForm{ID: "o1", Reason: "r", Error: "x"},
			Mine: []oppView{o}}
	case "opportunities":
		return &opportunitiesPage{page: p, Stages: deals.Stages(), PendingWins: []oppView{o}, Partial: true,
			Columns:     []stageColumn{{Stage: "won", Opps: []oppView{o}, Total: 3, Amount: 1000, More: 2}},
			Territories: []territoryRow{{Name: "T", Count: map[string]int{"won": 1}, Amount: map[string]float64{"won": 1000}, Open: 5}, {Count: map[string]int{}, Amount: map[string]float64{}}}}
	}
	p.Active = "opportunities"
	return &opportunityPage{page: p, Opp: o, Conflicts: c, CanUpdate: true, CanValidate: true, Stages: deals.Stages(),
		Form: stageForm{Stage: "won", Errors: map[string]string{"amount": "x"}}, Validate: decideForm{Error: "x"}}
}

// sampleRegistrationForm renders the partner's side of the registrations
// view (the form with every field's error, the list).
func sampleRegistrationForm(p *page) viewData {
	errs := map[string]string{"company": "a", "siret": "b", "postal_code": "c", "email": "d", "amount": "e", "close_date": "f", "need": "g", "form": "h"}
	o := oppView{ID: "o1", Company: "Ferme", Registration: "rejected", RejectionReason: "déjà suivi"}
	return &registrationsPage{page: p, Form: regForm{Company: "F", Errors: errs}, Mine: []oppView{o, {ID: "o2", Registration: "pending"}}}
}
