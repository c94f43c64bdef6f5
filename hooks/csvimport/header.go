// Package csvimport reads the lead files of the CSV import command
// (SPEC §4.1, §6 `import`): it maps French or English column names to the
// fields of `leads` and `lead_contacts` (SPEC §2), reads rows with a
// delimiter detected from the header line, validates each row, and writes
// the row-level error report.
//
// It is pure logic over an io.Reader: the command opens the file, shows the
// progress bar, creates the records (or not, with --dry-run) and writes the
// report with [WriteReport]. A row with errors must not be imported; the
// other rows are independent of it.
package csvimport

import (
	"fmt"
	"strings"
	"unicode"
)

// Column is one header cell mapped to a field.
type Column struct {
	Index   int    // 0-based position in the record
	Header  string // header text as in the file (trimmed, BOM removed)
	Field   string // field name in leads or lead_contacts, e.g. "postal_code"
	Contact bool   // true for a lead_contacts field, false for a leads field
}

// Mapping is the result of [MapHeader]: the recognised columns, in file
// order, and the number of cells in the header.
type Mapping struct {
	Columns []Column
	Width   int
}

// Column returns the column mapped to field, if any.
func (m Mapping) Column(field string) (Column, bool) {
	for _, c := range m.Columns {
		if c.Field == field {
			return c, true
		}
	}
	return Column{}, false
}

// fieldAliases lists, for each field, the header names that map to it, in
// the form people type them. The field name itself is always accepted too.
// Matching ignores case, accents, spaces and punctuation (see normalizeHeader).
type fieldAliases struct {
	field   string
	contact bool
	aliases []string
}

// knownFields returns the header vocabulary, leads fields first.
func knownFields() []fieldAliases {
	return []fieldAliases{
		{"company", false, []string{"société", "entreprise", "raison sociale", "company", "company name", "nom de la société", "nom entreprise", "organisation", "organization"}},
		{"segment", false, []string{"segment", "secteur", "secteur d'activité", "sector", "industry"}},
		{"company_size", false, []string{"taille", "effectif", "effectifs", "tranche d'effectif", "company size", "size", "employees", "headcount"}},
		{"country", false, []string{"pays", "country"}},
		{"postal_code", false, []string{"code postal", "cp", "zip", "zip code", "postcode", "postal code"}},
		{"city", false, []string{"ville", "commune", "localité", "city", "town"}},
		{"source_ref", false, []string{"référence", "ref", "id externe", "identifiant externe", "external id", "source ref"}},
		{"score", false, []string{"score"}},
		{"interest", false, []string{"besoin", "besoins", "intérêt", "demande", "message", "interest", "need", "needs"}},
		{"estimated_value", false, []string{"montant estimé", "montant", "valeur", "valeur estimée", "estimated value", "amount", "value"}},
		{"siret", false, []string{"siret", "siren", "n° siret", "numéro siret"}},
		{"first_name", true, []string{"prénom", "first name", "given name"}},
		{"last_name", true, []string{"nom", "nom de famille", "last name", "surname", "family name"}},
		{"title", true, []string{"fonction", "poste", "title", "job title"}},
		{"email", true, []string{"e-mail", "courriel", "mail", "adresse e-mail", "adresse mail", "email address"}},
		{"phone", true, []string{"téléphone", "tel", "téléphone fixe", "fixe", "phone", "phone number"}},
		{"mobile", true, []string{"portable", "mobile", "téléphone portable", "mobile phone", "cell", "gsm"}},
	}
}

// aliasIndex maps each normalised alias to its field.
func aliasIndex() map[string]fieldAliases {
	idx := map[string]fieldAliases{}
	for _, f := range knownFields() {
		idx[normalizeHeader(f.field)] = f
		for _, a := range f.aliases {
			idx[normalizeHeader(a)] = f
		}
	}
	return idx
}

// normalizeHeader lower-cases s, folds French accents and ligatures, and
// drops everything but letters and digits: "Code postal", "CODE_POSTAL" and
// "code-postal" all become "codepostal".
func normalizeHeader(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		folded := foldAccent(r)
		for _, f := range folded {
			if unicode.IsLetter(f) || unicode.IsDigit(f) {
				b.WriteRune(f)
			}
		}
	}
	return b.String()
}

// foldAccent returns the unaccented spelling of a lower-case letter.
func foldAccent(r rune) string {
	switch r {
	case 'à', 'â', 'ä', 'á', 'ã', 'å':
		return "a"
	case 'é', 'è', 'ê', 'ë':
		return "e"
	case 'î', 'ï', 'í', 'ì':
		return "i"
	case 'ô', 'ö', 'ó', 'ò', 'õ':
		return "o"
	case 'ù', 'û', 'ü', 'ú':
		return "u"
	case 'ç':
		return "c"
	case 'ñ':
		return "n"
	case 'ÿ':
		return "y"
	case 'œ':
		return "oe"
	case 'æ':
		return "ae"
	}
	return string(r)
}

// MapHeader maps header cells to fields. Unknown and empty columns are
// ignored with one warning each (an unknown name repeated in several columns
// is reported once). It returns an error when no column maps to company or
// when two columns map to the same field.
func MapHeader(header []string) (Mapping, []string, error) {
	idx := aliasIndex()
	m := Mapping{Width: len(header)}
	var warnings []string
	seenUnknown := map[string]bool{}
	byField := map[string]Column{}

	for i, raw := range header {
		h := strings.TrimSpace(strings.TrimPrefix(raw, "\ufeff"))
		key := normalizeHeader(h)
		if key == "" {
			if !seenUnknown[""] {
				warnings = append(warnings, fmt.Sprintf("column %d has no header: ignored", i+1))
				seenUnknown[""] = true
			}
			continue
		}
		f, ok := idx[key]
		if !ok {
			if !seenUnknown[key] {
				warnings = append(warnings, fmt.Sprintf("unknown column %q (column %d): ignored", h, i+1))
				seenUnknown[key] = true
			}
			continue
		}
		if prev, dup := byField[f.field]; dup {
			return Mapping{}, warnings, fmt.Errorf("columns %q (column %d) and %q (column %d) both map to %s: keep only one",
				prev.Header, prev.Index+1, h, i+1, f.field)
		}
		c := Column{Index: i, Header: h, Field: f.field, Contact: f.contact}
		byField[f.field] = c
		m.Columns = append(m.Columns, c)
	}
	if _, ok := byField["company"]; !ok {
		return Mapping{}, warnings, fmt.Errorf("no company column: name one of %s", strings.Join(knownFields()[0].aliases, ", "))
	}
	return m, warnings, nil
}
