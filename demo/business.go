package demo

import (
	"fmt"
	"math"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/geo"
)

// The end customers and the deals of the demo: accounts with their
// contacts (entrusted to installers or worked directly by internal
// sales), opportunities in every stage, deal registrations pending,
// approved and rejected (one in conflict with another installer's lead)
// and the document library.

// oppStages are the opportunity stages, each given to some accounts.
var oppStages = []string{"prospecting", "qualified", "proposal", "negotiation", "won", "lost"}

// demoAccounts is the number of accounts of the demo.
const demoAccounts = 36

// siren draws a valid SIREN (8 digits and the Luhn check digit).
func (s *seeder) siren() string {
	digits := make([]int, 9)
	digits[0] = 3 + s.rng.IntN(6)
	for i := 1; i < 8; i++ {
		digits[i] = s.rng.IntN(10)
	}
	sum := 0
	for i := 0; i < 8; i++ {
		d := digits[i]
		if i%2 == 1 { // from the right, the check digit is position 0: double the odd ones
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	digits[8] = (10 - sum%10) % 10
	out := make([]byte, 9)
	for i, d := range digits {
		out[i] = byte('0' + d)
	}
	return string(out)
}

// seedAccounts saves the accounts and their contacts: the first ones in
// the west with the journeys' installers, a third worked directly by
// internal sales (no partner). Their duplicate keys are written by the
// accounts' model hook.
func (s *seeder) seedAccounts() error {
	lasts, firsts := LastNames(), FirstNames()
	for i := 0; i < demoAccounts; i++ {
		region := s.weightedRegion()
		if i < 18 {
			region = westRegions[i%len(westRegions)]
		}
		depts := geo.DepartementsOf(region)
		dept := depts[s.rng.IntN(len(depts))]
		towns := Towns(dept)
		town := towns[s.rng.IntN(len(towns))]
		fields := map[string]any{
			"name": s.pick(CompanyPrefixes()) + " " + s.pick(lasts), "siren": s.siren(), "postal_code": town.PostalCode, "city": town.Name,
			"department": dept, "territory": s.territories[region].Id, "segment": s.pick(allSegments[1:]),
		}
		switch cands := s.byRegion[region]; {
		case i%3 == 2 || len(cands) == 0:
			fields["owner"] = s.internal["sales"].Id // a direct account
		case i < 6 && len(s.partners) >= 2:
			fields["partner"] = s.partners[i%2].Id // installer001 and 002 see theirs
		default:
			fields["partner"] = cands[s.rng.IntN(len(cands))].Id
		}
		acc, err := s.save("accounts", "", fields)
		if err != nil {
			return err
		}
		s.accounts = append(s.accounts, acc)
		s.sum.Accounts++
		for c := 0; c < 1+s.rng.IntN(2); c++ {
			first, last := s.pick(firsts), s.pick(lasts)
			if _, err := s.save("contacts", "", map[string]any{
				"account": acc.Id, "first_name": first, "last_name": last,
				"title": s.pick([]string{"Gérant", "Directeur administratif", "Responsable des services techniques", "Exploitant"}),
				"email": emailOf(first, last, "client"+fmt.Sprint(i)+".fr"), "phone": fmt.Sprintf("+33 2 %02d %02d %02d %02d", s.rng.IntN(100), s.rng.IntN(100), s.rng.IntN(100), s.rng.IntN(100)),
			}); err != nil {
				return err
			}
			s.sum.AccountContacts++
		}
	}
	return nil
}

// seedOpportunities gives every account an opportunity, the stages in
// turn (so that every stage appears for partners and for internal sales),
// plus opportunities opened from installer001's leads being worked.
func (s *seeder) seedOpportunities() error {
	now := s.opts.Now
	turn := map[bool]int{} // direct or entrusted: each group goes through every stage
	for _, acc := range s.accounts {
		direct := acc.GetString("partner") == ""
		stage := oppStages[turn[direct]%len(oppStages)]
		turn[direct]++
		amount := math.Round((15000+s.rng.Float64()*185000)/100) * 100
		fields := map[string]any{
			"name": "Centrale " + acc.GetString("name"), "account": acc.Id, "partner": acc.GetString("partner"),
			"territory": acc.GetString("territory"), "stage": stage, "amount": amount, "company": acc.GetString("name"),
			"siren": acc.GetString("siren"), "postal_code": acc.GetString("postal_code"),
			"close_date": dt(now.AddDate(0, 1+s.rng.IntN(5), 0)),
		}
		switch stage {
		case "won":
			fields["close_date"] = dt(now.AddDate(0, 0, -s.rng.IntN(60)))
		case "lost":
			fields["close_date"] = dt(now.AddDate(0, 0, -s.rng.IntN(60)))
			fields["lost_reason"] = s.pick(lostReasons)
		}
		if _, err := s.save("opportunities", "", fields); err != nil {
			return err
		}
		s.sum.Opportunities++
	}
	if len(s.partners) == 0 {
		return nil
	}
	rows := []struct {
		ID      string  `db:"id"`
		Company string  `db:"company"`
		Value   float64 `db:"estimated_value"`
		PC      string  `db:"postal_code"`
		Terr    string  `db:"territory"`
	}{}
	if err := s.app.DB().NewQuery("SELECT id, company, estimated_value, postal_code, territory FROM leads WHERE partner = {:p} AND status IN ('contacted', 'meeting') ORDER BY id LIMIT 3").
		Bind(dbx.Params{"p": s.partners[0].Id}).All(&rows); err != nil {
		return err
	}
	for i, r := range rows {
		name := r.Company
		if name == "" {
			name = "Installation résidentielle"
		}
		if _, err := s.save("opportunities", "", map[string]any{
			"name": "Projet " + name, "lead": r.ID, "partner": s.partners[0].Id, "territory": r.Terr, "stage": oppStages[1+i%3],
			"amount": r.Value, "postal_code": r.PC, "close_date": dt(now.AddDate(0, 2, 0)),
		}); err != nil {
			return err
		}
		s.sum.Opportunities++
	}
	return nil
}

// seedRegistrations registers deals through the domain (deals.RegisterDeal,
// as the installers' salespeople would): one approved and one rejected by
// the west's channel manager, one pending, and one pending in conflict with
// a lead installer001 works (same customer e-mail).
func (s *seeder) seedRegistrations() error {
	if len(s.partners) < 3 {
		return nil
	}
	manager := access.ByUser(s.internal["manager.ouest"])
	register := func(p int, in deals.RegistrationInput) (*core.Record, error) {
		rec, err := deals.RegisterDeal(s.app, access.ByUser(s.salesOf[s.partners[p].Id]), in)
		if err == nil {
			s.sum.Registrations++
		}
		return rec, err
	}
	close := s.opts.Now.AddDate(0, 3, 0).Format("2006-01-02")
	approved, err := register(0, deals.RegistrationInput{Company: "Laiterie Le Gall", SIRET: s.siren(), PostalCode: "29600", City: "Morlaix",
		Email: "direction@laiterie-legall.fr", Amount: 145000, CloseDate: close})
	if err != nil {
		return err
	}
	if _, err := deals.ApproveRegistration(s.app, manager, approved.Id); err != nil {
		return err
	}
	s.approvedReg = approved
	rejected, err := register(2, deals.RegistrationInput{Company: "Mairie de Dinan", SIRET: s.siren(), PostalCode: "22100", City: "Dinan",
		Email: "services.techniques@dinan-mairie.fr", Amount: 98000, CloseDate: close})
	if err != nil {
		return err
	}
	if _, err := deals.RejectRegistration(s.app, manager, rejected.Id, "Appel d'offres public suivi en direct par le fabricant."); err != nil {
		return err
	}
	if _, err := register(1, deals.RegistrationInput{Company: "Ferme des Trois Chênes", SIRET: s.siren(), PostalCode: "29200", City: "Brest",
		Email: "earl.troischenes@orange.fr", Amount: 86000, CloseDate: close}); err != nil {
		return err
	}
	// the same customer as one of installer001's leads, registered by installer002
	rows := []struct {
		Company string `db:"company"`
		PC      string `db:"postal_code"`
		City    string `db:"city"`
		Email   string `db:"email"`
	}{}
	err = s.app.DB().NewQuery("SELECT l.company, l.postal_code, l.city, c.email FROM leads l JOIN lead_contacts c ON c.lead = l.id WHERE l.partner = {:p} AND l.company != '' AND l.status IN ('accepted', 'contacted', 'meeting') ORDER BY l.id LIMIT 1").
		Bind(dbx.Params{"p": s.partners[0].Id}).All(&rows)
	if err != nil || len(rows) == 0 { // a small dataset may have none
		return err
	}
	r := rows[0]
	_, err = register(1, deals.RegistrationInput{Company: r.Company, PostalCode: r.PC, City: r.City, Email: r.Email, Amount: 52000, CloseDate: close})
	return err
}

// demoDocuments are the internal documents of the library (title, file
// name, audience, tiers and kinds, body); the partners' documents are in
// teams.go.
var demoDocuments = []struct {
	title, file, audience string
	tiers, kinds          []string
	body                  string
}{
	{"Barème des marges réseau (interne)", "bareme-marges.pdf", "internal", nil, nil,
		"Document interne : marges cibles par palier et par segment. Ne pas diffuser aux partenaires."},
}

// seedDocuments saves the document library with small PDF files.
func (s *seeder) seedDocuments() error {
	for _, d := range demoDocuments {
		f, err := filesystem.NewFileFromBytes(demoPDF(d.title, d.body), d.file)
		if err != nil {
			return err
		}
		fields := map[string]any{"title": d.title, "file": f, "audience": d.audience, "tiers": d.tiers, "kinds": d.kinds,
			"sensitive": d.audience == "internal", "category": "price_list"}
		if _, err := s.save("documents", "", fields); err != nil {
			return err
		}
		s.sum.Documents++
	}
	return nil
}

// demoPDF is a one-page PDF holding a title and a line of text.
func demoPDF(title, body string) []byte {
	text := fmt.Sprintf("BT /F1 16 Tf 50 780 Td (%s) Tj 0 -30 Td /F1 11 Tf (%s) Tj ET", pdfEscape(title), pdfEscape(body))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	out := []byte("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = len(out)
		out = append(out, fmt.Sprintf("%d 0 obj\n%s\nendobj\n", i+1, o)...)
	}
	xref := len(out)
	out = append(out, fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)...)
	for _, off := range offsets {
		out = append(out, fmt.Sprintf("%010d 00000 n \n", off)...)
	}
	return append(out, fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)...)
}

// pdfEscape keeps a PDF string literal to Latin-1 with its delimiters
// escaped.
func pdfEscape(s string) string {
	var b []byte
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '—':
			b = append(b, '-')
		case r == '’':
			b = append(b, '\'')
		case r < 256:
			b = append(b, byte(r))
		default:
			b = append(b, '?')
		}
	}
	return string(b)
}
