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
	for i := 0; i < s.opts.Leads; i++ {
		if err := s.seedLead(i); err != nil {
			return err
		}
	}
	return nil
}

// demoLead is one lead of the dataset as it is drawn: every random draw is
// made in the same order as before the lead is saved, so that the data
// stays byte-identical for an anchor date.
type demoLead struct {
	i                   int
	region, dept        string
	town                Town
	status              string
	partner             *core.Record
	created             time.Time
	seg                 string
	value               float64
	first, last, domain string
	company             string
	private             bool
}

// seedLead draws and saves lead i with its contact, duplicate keys, offers,
// activities and deal terms (and now and then a channel conflict).
func (s *seeder) seedLead(i int) error {
	l, err := s.drawLead(i)
	if err != nil {
		return err
	}
	fields, offers := s.leadFields(l)
	lead, err := s.save("leads", "", fields)
	if err != nil {
		return err
	}
	s.sum.Leads++
	if err := s.saveLeadContact(lead, l); err != nil {
		return err
	}
	keys := dedup.Keys(dedup.Input{Email: emailOf(l.first, l.last, l.domain), Company: l.company, PostalCode: l.town.PostalCode})
	for _, k := range keys {
		if _, err := s.save("dedup_keys", "", map[string]any{"key": k, "kind": "lead", "record": lead.Id, "partner": fields["partner"]}); err != nil {
			return err
		}
	}
	if l.partner != nil && withPartner[l.status] && i%300 == 150 {
		if err := s.seedConflict(lead, l, keys); err != nil {
			return err
		}
	}
	for _, o := range offers {
		o["lead"] = lead.Id
		if _, err := s.save("lead_offers", "", o); err != nil {
			return err
		}
		s.sum.Offers++
	}
	if err := s.activities(lead, l.partner, l.status, l.created); err != nil {
		return err
	}
	if l.status == "won" && s.rng.IntN(3) == 0 {
		if _, err := s.save("deal_terms", "", map[string]any{
			"lead": lead.Id, "margin_pct": 18 + s.rng.IntN(18), "discount_pct": s.rng.IntN(11),
			"purchase_price": math.Round(l.value * 0.6), "conditions": "Paiement 30 % à la commande, solde à la mise en service.",
		}); err != nil {
			return err
		}
		s.sum.DealTerms++
	}
	return nil
}

// drawLead draws where lead i is, when it came, its status and partner,
// its segment and value, and who it is.
func (s *seeder) drawLead(i int) (demoLead, error) {
	now := s.opts.Now
	l := demoLead{i: i, region: s.regionOfLead(i)}
	depts := geo.DepartementsOf(l.region)
	l.dept = depts[s.rng.IntN(len(depts))]
	towns := Towns(l.dept)
	if len(towns) == 0 {
		return l, fmt.Errorf("demo: no town for département %s", l.dept)
	}
	l.town = towns[s.rng.IntN(len(towns))]
	age := s.rng.IntN(365)
	l.created = now.Add(-time.Duration(age)*24*time.Hour - time.Duration(s.rng.IntN(600))*time.Minute)
	l.status = s.statusFor(age)
	if i < 2*len(journeyStatuses) && len(s.partners) >= 2 {
		l.partner = s.partners[i%2]
		l.status = journeyStatuses[i/2]
		age = 1 + i/4
		l.created = now.Add(-time.Duration(age)*24*time.Hour - time.Hour)
	} else if withPartner[l.status] {
		cands := s.byRegion[l.region]
		if len(cands) == 0 {
			l.status = "ready" // coverage gap: nobody to offer it to
		} else {
			l.partner = cands[s.rng.IntN(len(cands))]
		}
	}
	l.seg, l.value = s.segment()
	firsts, lasts := FirstNames(), LastNames()
	l.first, l.last = firsts[s.rng.IntN(len(firsts))], lasts[s.rng.IntN(len(lasts))]
	// a household's name is a contact detail (SPEC §3.3.3): the lead of a
	// private customer has no company, the name is in its contact
	l.private = l.seg == "residential"
	l.domain = s.pick([]string{"gmail.com", "orange.fr", "free.fr", "laposte.net"})
	if !l.private {
		l.company = s.pick(CompanyPrefixes()) + " " + s.pick(lasts)
		l.domain = strings.ToLower(strings.NewReplacer(" ", "-", "'", "", "é", "e", "è", "e", "ô", "o", "ç", "c", "É", "e", "ë", "e", "ï", "i", "â", "a", "û", "u", "î", "i").Replace(s.pick(lasts))) + "-" + l.seg + ".fr"
	}
	return l, nil
}

// leadFields are the fields of the lead record and its offer history.
func (s *seeder) leadFields(l demoLead) (map[string]any, []map[string]any) {
	src := s.source()
	creator := s.internal["teleop"]
	switch src {
	case "api":
		creator = s.internal["api"]
	case "import":
		creator = s.internal["admin"]
	}
	score := s.scoreFor(l.status)
	fields := map[string]any{
		"company": l.company, "private": l.private, "segment": l.seg, "company_size": s.size(l.seg), "country": "FR",
		"postal_code": l.town.PostalCode, "city": l.town.Name, "department": l.dept, "territory": s.territories[l.region].Id,
		"source": src, "source_ref": fmt.Sprintf("%s-%05d", src, l.i+1), "score": score, "status": l.status,
		"interest": s.pick(interests[l.seg]), "estimated_value": l.value, "created_by": creator.Id,
		"consent": true, "created": dt(l.created), "updated": dt(l.created),
		"dedup_key": dedup.Primary(dedup.Keys(dedup.Input{Email: emailOf(l.first, l.last, l.domain), Company: l.company, PostalCode: l.town.PostalCode})),
	}
	if src == "campaign" {
		fields["campaign"] = s.campaigns[s.rng.IntN(len(s.campaigns))].Id
	}
	if l.status == "qualifying" || l.status == "ready" {
		fields["qualification_notes"] = "Appel de qualification: toiture " + s.pick([]string{"sud", "sud-ouest", "est-ouest"}) + ", décideur joint."
	}
	if l.partner == nil {
		return fields, nil
	}
	return fields, s.partnerFields(fields, l)
}

// scoreFor draws a score that fits the status.
func (s *seeder) scoreFor(status string) int {
	switch status {
	case "new":
		return s.rng.IntN(40)
	case "qualifying", "recycled":
		return 30 + s.rng.IntN(40)
	}
	return 60 + s.rng.IntN(41)
}

// partnerFields sets the fields of a lead entrusted to a partner (its
// offer, acceptance, meeting or outcome) and returns its offer history.
func (s *seeder) partnerFields(fields map[string]any, l demoLead) []map[string]any {
	now := s.opts.Now
	offers := s.offerHistory(l.partner, l.status, l.created, l.region)
	last := offers[len(offers)-1]
	fields["partner"] = l.partner.Id
	fields["assignee"] = s.salesOf[l.partner.Id].Id
	fields["offered_at"] = last["offered_at"]
	fields["accept_by"] = last["accept_by"]
	fields["offers_count"] = len(offers)
	if l.status != "offered" {
		fields["accepted_at"] = last["decided_at"]
	}
	switch l.status {
	case "meeting":
		fields["meeting_at"] = dt(now.Add(time.Duration(1+s.rng.IntN(14)) * 24 * time.Hour))
	case "won":
		fields["won_amount"] = math.Round(l.value * (0.8 + 0.3*s.rng.Float64()))
		fields["closed_at"] = dt(l.created.Add(time.Duration(20+s.rng.IntN(40)) * 24 * time.Hour))
	case "lost":
		fields["lost_reason"] = s.pick(lostReasons)
		fields["closed_at"] = dt(l.created.Add(time.Duration(10+s.rng.IntN(40)) * 24 * time.Hour))
	}
	return offers
}

// saveLeadContact saves the contact of a lead: the person and how to
// reach them.
func (s *seeder) saveLeadContact(lead *core.Record, l demoLead) error {
	if _, err := s.save("lead_contacts", "", map[string]any{
		"lead": lead.Id, "first_name": l.first, "last_name": l.last,
		"title":  s.pick([]string{"Propriétaire", "Gérant", "Directeur technique", "Exploitant", "Maire adjoint", "Syndic"}),
		"email":  emailOf(l.first, l.last, l.domain),
		"phone":  fmt.Sprintf("+33 2 %02d %02d %02d %02d", s.rng.IntN(100), s.rng.IntN(100), s.rng.IntN(100), s.rng.IntN(100)),
		"mobile": fmt.Sprintf("+33 6 %02d %02d %02d %02d", s.rng.IntN(100), s.rng.IntN(100), s.rng.IntN(100), s.rng.IntN(100)),
	}); err != nil {
		return err
	}
	s.sum.Contacts++
	return nil
}

// seedConflict saves the same customer coming back through another
// channel: a channel conflict for the manager, with the duplicate keys it
// shares with the lead it matched.
func (s *seeder) seedConflict(lead *core.Record, l demoLead, keys []string) error {
	now := s.opts.Now
	held, err := s.save("leads", "", map[string]any{
		"company": l.company, "private": l.private, "segment": l.seg, "country": "FR", "postal_code": l.town.PostalCode, "city": l.town.Name, "department": l.dept,
		"territory": s.territories[l.region].Id, "source": "web", "score": 75, "status": "ready", "interest": s.pick(interests[l.seg]),
		"held": true, "duplicate_of": lead.Id, "conflict_kind": "lead", "conflict_ref": lead.Id, "conflict_partner": l.partner.Id,
		"created_by": s.internal["teleop"].Id, "consent": true, "created": dt(now.Add(-6 * time.Hour)), "updated": dt(now.Add(-6 * time.Hour)),
	})
	if err != nil {
		return err
	}
	for n, k := range keys {
		// ids made from the lead's, not drawn: the leads after it stay as
		// they were drawn before held leads had keys
		if _, err := s.save("dedup_keys", fmt.Sprintf("%s%02d", held.Id[:13], n), map[string]any{"key": k, "kind": "lead", "record": held.Id}); err != nil {
			return err
		}
	}
	s.sum.Leads++
	s.sum.Conflicts++
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
