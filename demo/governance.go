package demo

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/notify"
)

// The governance side of the demo, made through the domain so that the
// audit log holds what these decisions write (with the registrations'):
// access requests (one pending, one approved into a grant, one rejected),
// a running territory grant, the quarter's open access review with a few
// decisions, and notifications waiting for the demo logins.

// seedGovernance saves the access requests, the grant and the review.
func (s *seeder) seedGovernance() error {
	now := s.opts.Now
	admin := s.internal["admin"]
	byAdmin := audit.ActorOfUser(admin)
	request := func(who, kind, territory, resource, details, why string) (*core.Record, error) {
		r, err := s.save("access_requests", "", map[string]any{"requester": s.internal[who].Id, "kind": kind, "territory": territory,
			"resource": resource, "details": details, "justification": why, "status": "pending"})
		if err == nil {
			s.sum.AccessRequests++
		}
		return r, err
	}
	if _, err := request("sales", "territory", s.territories["PDL"].Id, "", "Pays de la Loire",
		"Je reprends les comptes directs de Nantes pendant le congé de ma collègue."); err != nil {
		return err
	}
	exp, err := request("manager.ouest", "export", "", "leads", "Export des leads de l'Ouest",
		"Préparation du comité trimestriel avec la direction.")
	if err != nil {
		return err
	}
	if _, err := governance.ApproveAccessRequest(s.app, admin, byAdmin, exp.Id, now.Add(72*time.Hour), "Pour le comité de la semaine", now); err != nil {
		return err
	}
	rej, err := request("teleop", "export", "", "leads", "Export complet des leads", "Pour travailler hors ligne.")
	if err != nil {
		return err
	}
	if err := governance.RejectAccessRequest(s.app, admin, byAdmin, rej.Id, "Les exports complets ne sortent pas du service.", now); err != nil {
		return err
	}
	if _, err := governance.CreateGrant(s.app, byAdmin, governance.GrantSpec{User: s.internal["sales"].Id, Kind: "territory",
		Territory: s.territories["NOR"].Id, Starts: now.Add(-24 * time.Hour), Expires: now.Add(14 * 24 * time.Hour),
		Reason: "Remplacement du commercial de Normandie", GrantedBy: admin.Id}, now); err != nil {
		return err
	}
	s.sum.Grants += 2 // the approved request's and this one
	return s.seedReview(admin, byAdmin)
}

// seedReview opens the quarter's access review (one item per user) and
// decides a few items, leaving the campaign open.
func (s *seeder) seedReview(admin *core.Record, by audit.Actor) error {
	now := s.opts.Now
	review, _, err := governance.OpenReviewCampaign(s.app, now)
	if err != nil {
		return err
	}
	decisions := []struct{ who, decision, note string }{
		{"teleop", "keep", "Accès conformes à la mission."},
		{"api", "keep", "Compte technique de la plateforme de télémarketing."},
		{"sales", "change", "Retirer la délégation Normandie à son retour."},
	}
	for _, d := range decisions {
		item, err := s.app.FindFirstRecordByFilter("access_review_items", "review = {:r} && user = {:u}",
			dbx.Params{"r": review.Id, "u": s.internal[d.who].Id})
		if err != nil {
			return err
		}
		if err := governance.DecideReviewItem(s.app, admin, by, item.Id, d.decision, d.note, now); err != nil {
			return err
		}
	}
	return nil
}

// seedNotifications leaves unread notifications for the demo logins,
// written in their language by the notification catalogue (kinds that
// are not mailed: seeding sends no e-mail).
func (s *seeder) seedNotifications() error {
	if len(s.partners) < 2 {
		return nil
	}
	leads := []struct {
		ID      string `db:"id"`
		Company string `db:"company"`
		City    string `db:"city"`
	}{}
	if err := s.app.DB().NewQuery("SELECT id, company, city FROM leads WHERE partner = {:p} AND status IN ('accepted', 'contacted', 'meeting') ORDER BY company = '', id LIMIT 1").
		Bind(dbx.Params{"p": s.partners[0].Id}).All(&leads); err != nil {
		return fmt.Errorf("demo notifications: %w", err)
	}
	if len(leads) == 0 {
		return fmt.Errorf("demo notifications: installer001 works no lead")
	}
	lead := leads[0]
	if lead.Company == "" {
		lead.Company = "Particulier" // a private customer's name is a contact detail
	}
	p0 := s.partners[0]
	sends := []struct {
		user *core.Record
		kind string
		lead string
		msg  notify.Message
	}{
		{s.salesOf[p0.Id], "lead_dispatched", lead.ID, notify.Msg("lead_dispatched", "lead", lead.Company, "city", lead.City, "reason", "Client de votre secteur, rappel souhaité avant vendredi.")},
		{s.internal["manager.ouest"], "no_candidate", "", notify.Msg("no_candidate", "lead", "Ferme de Kerlann", "city", "Quimper", "reason", "capacité atteinte")},
		{s.internal["manager"], "partner_left", "", notify.Msg("partner_left", "partner", s.partners[len(s.partners)-1].GetString("name"), "count", 3, "link", "/reassign")},
		{s.internal["teleop"], "lead_withdrawn", "", notify.Msg("lead_withdrawn", "lead", "Camping Les Dunes", "city", "Carnac")},
	}
	for _, n := range sends {
		if err := notify.Send(s.app, n.user.Id, n.kind, n.lead, n.msg); err != nil {
			return err
		}
		s.sum.Notifications++
	}
	return nil
}
