package demo

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/intake"
)

// seedHeldConflicts brings back customers who are already held by an
// installer, the way the intake holds them: their duplicate keys
// (dedup.Keys) are checked by the intake's own duplicate check
// (intake.FindConflicts) and each lead is held for the channel manager
// with the record it matched — installer001's and installer002's leads
// (the same e-mail), an account entrusted to an installer (the same SIREN)
// and the approved deal registration (the same SIREN). The records are
// saved with the seeder's ids, so the data stays deterministic.
func (s *seeder) seedHeldConflicts() error {
	if len(s.partners) < 2 {
		return nil
	}
	ingest := func(ref string, in heldInput) error {
		held, err := s.holdLead(ref, in)
		if err != nil {
			return fmt.Errorf("demo conflict %s: %w", ref, err)
		}
		if !held {
			return fmt.Errorf("demo conflict %s: the lead matched nothing", ref)
		}
		return nil
	}
	rows := []struct {
		Company string `db:"company"`
		Segment string `db:"segment"`
		PC      string `db:"postal_code"`
		City    string `db:"city"`
		First   string `db:"first_name"`
		Last    string `db:"last_name"`
		Email   string `db:"email"`
	}{}
	for _, p := range s.partners[:2] {
		if err := s.app.DB().NewQuery("SELECT l.company, l.segment, l.postal_code, l.city, c.first_name, c.last_name, c.email FROM leads l JOIN lead_contacts c ON c.lead = l.id " +
			"WHERE l.partner = {:p} AND l.company != '' AND l.status IN ('accepted', 'contacted', 'meeting') ORDER BY l.id LIMIT 2").
			Bind(dbx.Params{"p": p.Id}).All(&rows); err != nil {
			return err
		}
		for i, r := range rows {
			if err := ingest(fmt.Sprintf("%s-%d", p.Id[:4], i), heldInput{company: r.Company, segment: r.Segment, pc: r.PC, city: r.City,
				interest: "Rappel entrant : demande de devis pour le même projet", first: r.First, last: r.Last, email: r.Email}); err != nil {
				return err
			}
		}
	}
	for _, acc := range s.accounts {
		if acc.GetString("partner") == "" {
			continue
		}
		if err := ingest("ACCOUNT", heldInput{company: acc.GetString("name"), segment: acc.GetString("segment"), siren: acc.GetString("siren"),
			pc: acc.GetString("postal_code"), city: acc.GetString("city"), interest: "Extension de la centrale existante",
			first: "Gaëlle", last: "Morvan", email: "g.morvan@compte-client.fr"}); err != nil {
			return err
		}
		break
	}
	if r := s.approvedReg; r != nil {
		return ingest("REGISTRATION", heldInput{company: r.GetString("company"), segment: "farm", siren: r.GetString("siren"),
			pc: r.GetString("postal_code"), city: "Morlaix", interest: "Salon Energaïa : toiture de la laiterie",
			first: "Erwan", last: "Le Gall", email: "erwan.legall@gmail.com"})
	}
	return nil
}

// heldInput is a customer coming back: the lead and its contact.
type heldInput struct {
	company, segment, siren, pc, city, interest string
	first, last, email                          string
}

// holdLead saves a lead from the API for in, held when the intake's
// duplicate check finds a record holding the customer (held false and
// nothing saved otherwise), with its contact and duplicate keys.
func (s *seeder) holdLead(ref string, in heldInput) (bool, error) {
	keys := dedup.Keys(dedup.Input{Email: in.email, SIRET: in.siren, Company: in.company, PostalCode: in.pc})
	found, err := intake.FindConflicts(s.app, keys, "")
	if err != nil || len(found) == 0 {
		return false, err
	}
	c := found[0]
	dept, err := geo.DepartementFromPostalCode("FR", in.pc)
	if err != nil {
		return false, err
	}
	region, ok := geo.RegionOf(dept)
	if !ok {
		return false, fmt.Errorf("no région for %s", dept)
	}
	at := dt(s.opts.Now.Add(-time.Duration(2+len(ref)) * time.Hour))
	fields := map[string]any{
		"company": in.company, "segment": in.segment, "country": "FR", "postal_code": in.pc, "city": in.city, "department": dept,
		"territory": s.territories[region.Code].Id, "source": "api", "source_ref": "DEMO-CONFLICT-" + ref, "siret": in.siren,
		"score": 88, "status": "ready", "interest": in.interest, "consent": true, "created_by": s.internal["api"].Id,
		"held": true, "conflict_kind": c.Kind, "conflict_ref": c.Record, "conflict_partner": c.Partner,
		"dedup_key": dedup.Primary(keys), "created": at, "updated": at,
	}
	if c.Kind == "lead" {
		fields["duplicate_of"] = c.Record
	}
	lead, err := s.save("leads", "", fields)
	if err != nil {
		return false, err
	}
	if _, err := s.save("lead_contacts", "", map[string]any{"lead": lead.Id, "first_name": in.first, "last_name": in.last, "email": in.email}); err != nil {
		return false, err
	}
	for _, k := range keys {
		if _, err := s.save("dedup_keys", "", map[string]any{"key": k, "kind": "lead", "record": lead.Id}); err != nil {
			return false, err
		}
	}
	s.sum.Leads++
	s.sum.Contacts++
	s.sum.Conflicts++
	return true, nil
}
