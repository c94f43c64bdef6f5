package demo

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/geo"
)

// segmentMix is the demo's segment distribution (percent).
var segmentMix = []struct {
	seg      string
	pct      int
	min, max float64 // estimated value range in euros
}{
	{"residential", 58, 7000, 25000}, {"farm", 12, 30000, 120000}, {"business", 14, 20000, 90000},
	{"industry", 5, 80000, 400000}, {"public", 5, 40000, 200000}, {"collective", 6, 50000, 150000},
}

var interests = map[string][]string{
	"residential": {"Autoconsommation maison individuelle 6 kWc", "Panneaux + batterie, facture EDF trop élevée", "Remplacement chauffe-eau par solaire thermique", "Devis 3 kWc avec revente du surplus"},
	"farm":        {"Toiture hangar agricole 100 kWc", "Ombrières pour stabulation", "Pompage solaire irrigation"},
	"business":    {"Toiture atelier 36 kWc", "Ombrières parking clients", "Autoconsommation commerce"},
	"industry":    {"Centrale toiture entrepôt 500 kWc", "Contrat PPA site industriel", "Ombrières parking 200 places"},
	"public":      {"Toiture école communale", "Ombrières parking mairie", "Appel d'offres salle de sport"},
	"collective":  {"Autoconsommation collective copropriété", "Toiture résidence 60 logements"},
}

var lostReasons = []string{"Prix trop élevé", "Projet reporté", "Concurrent retenu", "Injoignable", "Toiture inadaptée", "Financement refusé"}
var declineReasons = []string{"Capacité atteinte ce mois-ci", "Hors de notre zone d'intervention", "Segment non traité", "Chantier trop petit"}

var sources = []struct {
	src string
	pct int
}{{"web", 35}, {"phone", 30}, {"campaign", 15}, {"import", 10}, {"api", 10}}

func (s *seeder) segment() (string, float64) {
	n := s.rng.IntN(100)
	for _, m := range segmentMix {
		n -= m.pct
		if n < 0 {
			v := m.min + s.rng.Float64()*(m.max-m.min)
			return m.seg, math.Round(v/100) * 100
		}
	}
	return "residential", 10000
}

// statusFor draws a status from the lead's age in days.
func (s *seeder) statusFor(age int) string {
	type w struct {
		st  string
		pct int
	}
	var table []w
	switch {
	case age < 7:
		table = []w{{"new", 30}, {"qualifying", 25}, {"ready", 20}, {"offered", 25}}
	case age < 30:
		table = []w{{"qualifying", 5}, {"ready", 5}, {"offered", 10}, {"accepted", 20}, {"contacted", 25}, {"meeting", 20}, {"lost", 10}, {"recycled", 5}}
	default:
		table = []w{{"accepted", 3}, {"contacted", 7}, {"meeting", 10}, {"won", 35}, {"lost", 40}, {"recycled", 5}}
	}
	n := s.rng.IntN(100)
	for _, x := range table {
		n -= x.pct
		if n < 0 {
			return x.st
		}
	}
	return table[len(table)-1].st
}

var withPartner = map[string]bool{"offered": true, "accepted": true, "contacted": true, "meeting": true, "won": true, "lost": true}

func (s *seeder) regionOfLead(i int) string {
	if i < 80 {
		return "BRE" // journeys: the first installers work Brittany
	}
	return s.weightedRegion()
}

// journeyStatuses gives installer001 and installer002 a full inbox.
var journeyStatuses = []string{"offered", "offered", "offered", "accepted", "contacted", "meeting", "won", "lost", "offered", "accepted", "contacted", "won"}

func (s *seeder) seedLeads() error {
	now := s.opts.Now
	firsts, lasts, prefixes := FirstNames(), LastNames(), CompanyPrefixes()
	for i := 0; i < s.opts.Leads; i++ {
		region := s.regionOfLead(i)
		depts := geo.DepartementsOf(region)
		dept := depts[s.rng.IntN(len(depts))]
		towns := Towns(dept)
		if len(towns) == 0 {
			return fmt.Errorf("demo: no town for département %s", dept)
		}
		town := towns[s.rng.IntN(len(towns))]
		age := s.rng.IntN(365)
		created := now.Add(-time.Duration(age)*24*time.Hour - time.Duration(s.rng.IntN(600))*time.Minute)
		status := s.statusFor(age)
		var partner *core.Record
		if i < 2*len(journeyStatuses) && len(s.partners) >= 2 {
			partner = s.partners[i%2]
			status = journeyStatuses[i/2]
			age = 1 + i/4
			created = now.Add(-time.Duration(age)*24*time.Hour - time.Hour)
		} else if withPartner[status] {
			cands := s.byRegion[region]
			if len(cands) == 0 {
				status = "ready" // coverage gap: nobody to offer it to
			} else {
				partner = cands[s.rng.IntN(len(cands))]
			}
		}
		seg, value := s.segment()
		first, last := firsts[s.rng.IntN(len(firsts))], lasts[s.rng.IntN(len(lasts))]
		// a household's name is a contact detail (SPEC §3.3.3): the lead
		// of a private customer has no company, the name is in its contact
		company, private := "", seg == "residential"
		domain := s.pick([]string{"gmail.com", "orange.fr", "free.fr", "laposte.net"})
		if !private {
			base := s.pick(prefixes) + " " + s.pick(lasts)
			company = base
			domain = strings.ToLower(strings.NewReplacer(" ", "-", "'", "", "é", "e", "è", "e", "ô", "o", "ç", "c", "É", "e", "ë", "e", "ï", "i", "â", "a", "û", "u", "î", "i").Replace(s.pick(lasts))) + "-" + seg + ".fr"
		}
		src := s.source()
		creator := s.internal["teleop"]
		switch src {
		case "api":
			creator = s.internal["api"]
		case "import":
			creator = s.internal["admin"]
		}
		score := 0
		switch status {
		case "new":
			score = s.rng.IntN(40)
		case "qualifying", "recycled":
			score = 30 + s.rng.IntN(40)
		default:
			score = 60 + s.rng.IntN(41)
		}
		fields := map[string]any{
			"company": company, "private": private, "segment": seg, "company_size": s.size(seg), "country": "FR",
			"postal_code": town.PostalCode, "city": town.Name, "department": dept, "territory": s.territories[region].Id,
			"source": src, "source_ref": fmt.Sprintf("%s-%05d", src, i+1), "score": score, "status": status,
			"interest": s.pick(interests[seg]), "estimated_value": value, "created_by": creator.Id,
			"consent": true, "created": dt(created), "updated": dt(created),
			"dedup_key": dedup.Primary(dedup.Keys(dedup.Input{Email: emailOf(first, last, domain), Company: company, PostalCode: town.PostalCode})),
		}
		if src == "campaign" {
			fields["campaign"] = s.campaigns[s.rng.IntN(len(s.campaigns))].Id
		}
		if status == "qualifying" || status == "ready" {
			fields["qualification_notes"] = "Appel de qualification: toiture " + s.pick([]string{"sud", "sud-ouest", "est-ouest"}) + ", décideur joint."
		}
		var offers []map[string]any
		if partner != nil {
			offers = s.offerHistory(partner, status, created, region)
			last := offers[len(offers)-1]
			fields["partner"] = partner.Id
			fields["assignee"] = s.salesOf[partner.Id].Id
			fields["offered_at"] = last["offered_at"]
			fields["accept_by"] = last["accept_by"]
			fields["offers_count"] = len(offers)
			if status != "offered" {
				fields["accepted_at"] = last["decided_at"]
			}
			switch status {
			case "meeting":
				fields["meeting_at"] = dt(now.Add(time.Duration(1+s.rng.IntN(14)) * 24 * time.Hour))
			case "won":
				fields["won_amount"] = math.Round(value * (0.8 + 0.3*s.rng.Float64()))
				fields["closed_at"] = dt(created.Add(time.Duration(20+s.rng.IntN(40)) * 24 * time.Hour))
			case "lost":
				fields["lost_reason"] = s.pick(lostReasons)
				fields["closed_at"] = dt(created.Add(time.Duration(10+s.rng.IntN(40)) * 24 * time.Hour))
			}
		}
		lead, err := s.save("leads", "", fields)
		if err != nil {
			return err
		}
		s.sum.Leads++
		if _, err := s.save("lead_contacts", "", map[string]any{
			"lead": lead.Id, "first_name": first, "last_name": last,
			"title":  s.pick([]string{"Propriétaire", "Gérant", "Directeur technique", "Exploitant", "Maire adjoint", "Syndic"}),
			"email":  emailOf(first, last, domain),
			"phone":  fmt.Sprintf("+33 2 %02d %02d %02d %02d", s.rng.IntN(100), s.rng.IntN(100), s.rng.IntN(100), s.rng.IntN(100)),
			"mobile": fmt.Sprintf("+33 6 %02d %02d %02d %02d", s.rng.IntN(100), s.rng.IntN(100), s.rng.IntN(100), s.rng.IntN(100)),
		}); err != nil {
			return err
		}
		s.sum.Contacts++
		keys := dedup.Keys(dedup.Input{Email: emailOf(first, last, domain), Company: company, PostalCode: town.PostalCode})
		for _, k := range keys {
			if _, err := s.save("dedup_keys", "", map[string]any{"key": k, "kind": "lead", "record": lead.Id, "partner": fields["partner"]}); err != nil {
				return err
			}
		}
		if partner != nil && withPartner[status] && i%300 == 150 {
			// the same customer comes back through another channel: a channel conflict for the manager
			if _, err := s.save("leads", "", map[string]any{
				"company": company, "private": private, "segment": seg, "country": "FR", "postal_code": town.PostalCode, "city": town.Name, "department": dept,
				"territory": s.territories[region].Id, "source": "web", "score": 75, "status": "ready", "interest": s.pick(interests[seg]),
				"held": true, "duplicate_of": lead.Id, "conflict_kind": "lead", "conflict_ref": lead.Id, "conflict_partner": partner.Id,
				"created_by": s.internal["teleop"].Id, "consent": true, "created": dt(now.Add(-6 * time.Hour)), "updated": dt(now.Add(-6 * time.Hour)),
			}); err != nil {
				return err
			}
			s.sum.Leads++
			s.sum.Conflicts++
		}
		for _, o := range offers {
			o["lead"] = lead.Id
			if _, err := s.save("lead_offers", "", o); err != nil {
				return err
			}
			s.sum.Offers++
		}
		if err := s.activities(lead, partner, status, created); err != nil {
			return err
		}
		if status == "won" && s.rng.IntN(3) == 0 {
			if _, err := s.save("deal_terms", "", map[string]any{
				"lead": lead.Id, "margin_pct": 18 + s.rng.IntN(18), "discount_pct": s.rng.IntN(11),
				"purchase_price": math.Round(value * 0.6), "conditions": "Paiement 30 % à la commande, solde à la mise en service.",
			}); err != nil {
				return err
			}
			s.sum.DealTerms++
		}
	}
	return nil
}

func emailOf(first, last, domain string) string {
	clean := strings.NewReplacer(" ", "", "'", "", "é", "e", "è", "e", "ë", "e", "ê", "e", "ï", "i", "î", "i", "ô", "o", "ç", "c", "É", "e", "â", "a", "û", "u", "ü", "u")
	return strings.ToLower(clean.Replace(first) + "." + clean.Replace(last) + "@" + domain)
}

func (s *seeder) source() string {
	n := s.rng.IntN(100)
	for _, x := range sources {
		n -= x.pct
		if n < 0 {
			return x.src
		}
	}
	return "web"
}

func (s *seeder) size(seg string) string {
	switch seg {
	case "residential":
		return "1"
	case "industry":
		return s.pick([]string{"50-249", "250+"})
	default:
		return s.pick([]string{"2-9", "10-49", "50-249"})
	}
}

// offerHistory returns the offers of a lead, oldest first; the last one is
// made to partner and is pending (status offered) or accepted.
func (s *seeder) offerHistory(partner *core.Record, status string, created time.Time, region string) []map[string]any {
	var out []map[string]any
	at := created.Add(time.Duration(1+s.rng.IntN(20)) * time.Hour)
	if status == "offered" {
		at = s.opts.Now.Add(-time.Duration(1+s.rng.IntN(30)) * time.Hour)
	}
	// sometimes another partner of the region declined or let it expire first
	if others := s.byRegion[region]; len(others) > 1 && s.rng.IntN(4) == 0 && status != "offered" {
		other := others[s.rng.IntN(len(others))]
		if other.Id != partner.Id {
			outcome, reason := "declined", s.pick(declineReasons)
			decided := at.Add(time.Duration(1+s.rng.IntN(40)) * time.Hour)
			if s.rng.IntN(3) == 0 {
				outcome, reason, decided = "expired", "", at.Add(48*time.Hour)
			}
			out = append(out, map[string]any{
				"partner": other.Id, "assignee": s.salesOf[other.Id].Id, "offered_at": dt(at), "accept_by": dt(at.Add(48 * time.Hour)),
				"outcome": outcome, "reason": reason, "decided_at": dt(decided), "created": dt(at), "updated": dt(decided),
			})
			at = decided.Add(time.Hour)
		}
	}
	o := map[string]any{
		"partner": partner.Id, "assignee": s.salesOf[partner.Id].Id, "offered_at": dt(at), "accept_by": dt(at.Add(48 * time.Hour)),
		"outcome": "pending", "created": dt(at), "updated": dt(at),
	}
	if status != "offered" {
		decided := at.Add(time.Duration(1+s.rng.IntN(30)) * time.Hour)
		o["outcome"], o["decided_at"], o["decided_by"], o["updated"] = "accepted", dt(decided), s.salesOf[partner.Id].Id, dt(decided)
	}
	return append(out, o)
}

func (s *seeder) activities(lead, partner *core.Record, status string, created time.Time) error {
	add := func(kind, summary, outcome string, at time.Time, author string, internal bool) error {
		_, err := s.save("activities", "", map[string]any{
			"lead": lead.Id, "kind": kind, "summary": summary, "outcome": outcome, "at": dt(at), "author": author,
			"internal": internal, "created": dt(at), "updated": dt(at),
		})
		if err == nil {
			s.sum.Activities++
		}
		return err
	}
	if status == "qualifying" || status == "ready" || (partner != nil && s.rng.IntN(2) == 0) {
		if err := add("call", "Qualification: besoin confirmé, budget évoqué.", "qualifié", created.Add(2*time.Hour), s.internal["teleop"].Id, true); err != nil {
			return err
		}
	}
	if partner == nil || status == "offered" {
		return nil
	}
	sales := s.salesOf[partner.Id].Id
	at := created.Add(time.Duration(2+s.rng.IntN(4)) * 24 * time.Hour)
	if status != "accepted" {
		if err := add("call", "Premier appel, rendez-vous proposé.", "joint", at, sales, false); err != nil {
			return err
		}
	}
	if status == "meeting" || status == "won" || status == "lost" {
		if err := add("meeting", "Visite technique: toiture et compteur.", "visite faite", at.Add(7*24*time.Hour), sales, false); err != nil {
			return err
		}
	}
	return nil
}
