package demo

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// teamDocument is a document of the demo library with the lines of its
// one-page PDF.
type teamDocument struct {
	title, category, audience, file string
	tiers, kinds                    []string
	sensitive                       bool
	years                           int // expires after this many years (0: never)
	lines                           []string
}

// teamDocuments are the documents of the demo library: a price list for
// pilot partners (sensitive), an installation guide for installers and
// the brand kit for every partner.
var teamDocuments = []teamDocument{
	{
		title: "Grille tarifaire partenaires pilotes 2027", category: "price_list", audience: "tiers", tiers: []string{"pilot"},
		file: "tarifs-pilotes-2027.pdf", sensitive: true, years: 1,
		lines: []string{
			"Soleil de France - Grille tarifaire partenaires pilotes 2027",
			"Prix nets HT, franco a partir de 20 modules. Confidentiel.",
			"",
			"Module monocristallin 425 Wc ............ 96,00 EUR",
			"Micro-onduleur 2 entrees ................ 142,00 EUR",
			"Kit de fixation bac acier (10 modules) .. 310,00 EUR",
			"Batterie 5 kWh .......................... 2 450,00 EUR",
			"",
			"Remise pilote: 4 % supplementaires sur la commande annuelle.",
		},
	},
	{
		title: "Guide d'installation - kit résidentiel 9 kWc", category: "guide", audience: "kinds", kinds: []string{"installer"},
		file: "guide-installation-9kwc.pdf",
		lines: []string{
			"Guide d'installation - kit residentiel 9 kWc",
			"",
			"1. Verifier la charpente et l'orientation (sud, pente 15 a 45 degres).",
			"2. Poser les crochets tous les 1,20 m, etancheite sous chaque crochet.",
			"3. Monter les rails, puis les modules de bas en haut.",
			"4. Raccorder les micro-onduleurs, puis le coffret AC.",
			"5. Mise en service: application Soleil de France, appairage des onduleurs.",
			"6. Remettre au client le dossier Consuel et l'attestation d'installation.",
		},
	},
	{
		title: "Kit de marque (logos, charte, visuels)", category: "marketing", audience: "all_partners",
		file: "kit-de-marque.pdf",
		lines: []string{
			"Kit de marque Soleil de France",
			"",
			"Logo: toujours sur fond blanc ou bleu nuit, zone de protection = hauteur du S.",
			"Couleurs: bleu nuit #14213D, jaune soleil #FCA311, gris #E5E5E5.",
			"Typographie: Source Sans, titres en gras.",
			"Mention partenaire: \"Installateur partenaire Soleil de France\".",
			"Les visuels haute definition sont envoyes sur demande au service marketing.",
		},
	},
}

// seedTeamDocuments adds the demo library's documents.
func (s *seeder) seedTeamDocuments() error {
	coll, err := s.app.FindCollectionByNameOrId("documents")
	if err != nil {
		return err
	}
	for _, d := range teamDocuments {
		f, err := filesystem.NewFileFromBytes(onePagePDF(d.lines), d.file)
		if err != nil {
			return err
		}
		r := core.NewRecord(coll)
		r.Set("title", d.title)
		r.Set("category", d.category)
		r.Set("audience", d.audience)
		r.Set("tiers", d.tiers)
		r.Set("kinds", d.kinds)
		r.Set("sensitive", d.sensitive)
		r.Set("file", f)
		if d.years > 0 {
			r.Set("expires", dt(s.opts.Now.AddDate(d.years, 0, 0)))
		}
		if err := s.app.Save(r); err != nil {
			return fmt.Errorf("demo document %q: %w", d.title, err)
		}
		s.sum.Documents++
	}
	return nil
}

// onePagePDF writes a valid one-page A4 PDF showing lines of ASCII text
// in Helvetica (objects, cross-reference table and trailer with exact
// offsets).
func onePagePDF(lines []string) []byte {
	var content strings.Builder
	content.WriteString("BT /F1 16 Tf 56 780 Td 20 TL\n")
	for i, l := range lines {
		if i == 1 {
			content.WriteString("/F1 11 Tf\n")
		}
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		content.WriteString("(" + l + ") Tj T*\n")
	}
	content.WriteString("ET\n")
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}
