package dedup

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeCompany reduces a company name to a comparable form: lower-case,
// accents and ligatures folded to ASCII letters, "&" read as "et",
// punctuation removed, spaces collapsed, and the words listed in
// [isNoiseWord] (legal forms and connectors) dropped. "SARL Dupont & Fils",
// "Dupont et fils SAS" and "DUPONT ET FILS" all give "dupont fils".
// A name made only of noise words gives "".
//
// Dots are deleted rather than turned into spaces so that "S.A.R.L." reads
// as "sarl"; every other punctuation mark separates words.
func NormalizeCompany(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '.':
			// Combining accent or abbreviation dot: drop.
		case r == '&':
			b.WriteString(" et ")
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		case unicode.IsLetter(r), unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	kept := words[:0]
	for _, w := range words {
		if !isNoiseWord(w) {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// isNoiseWord reports whether a normalised word carries no identity in a
// French company name: the legal forms (SARL, SAS, SASU, SA, EURL, SCI, SNC,
// SCOP, SCP, SCS, SCA, SELARL, SELAS, GIE, EI, EIRL, EARL, GAEC), the words
// that announce them (société/sté, établissement(s)/ets, cie) and the
// connector "et" ("Dupont & Fils" = "Dupont et Fils" = "Dupont Fils").
//
// "groupe", "compagnie" and "fils" are kept: they often tell distinct legal
// entities apart, which the SIREN key then confirms or not.
func isNoiseWord(w string) bool {
	switch w {
	case "sarl", "sarlu", "sas", "sasu", "sa", "eurl", "sci", "snc",
		"scop", "scp", "scs", "sca", "selarl", "selas", "gie",
		"ei", "eirl", "earl", "gaec",
		"societe", "ste", "etablissement", "etablissements", "ets", "cie",
		"et":
		return true
	}
	return false
}
