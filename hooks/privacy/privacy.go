// Package privacy decides whether a lead is a private customer's and renders
// the neutral label shown instead of a person's name (SPEC §3.3.3: a
// residential lead's customer name is a contact detail).
//
// A private customer's name lives only in lead_contacts, whose rules open it
// to a partner once that partner has accepted the lead; the lead itself
// carries the non-secret flag `private` and an empty `company`. Everything
// here is pure: the intake, the lead hooks, the notifications and the UI
// call it with what they hold.
package privacy

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Residential is the segment of private homes: its leads are always private.
const Residential = "residential"

// MaxTitle is the length of lead_contacts.title (a name kept there is cut).
const MaxTitle = 120

// Lead is what the classifier looks at.
type Lead struct {
	Company, Segment string
	// Private is the flag as stored or sent: it can raise privacy, never
	// lower what the other fields say.
	Private bool
	// FirstName and LastName are the contact's, when known.
	FirstName, LastName string
}

// IsPrivate reports whether the lead is a private customer's: flagged so,
// residential, or with a company that names a person (LooksLikePerson).
func IsPrivate(l Lead) bool {
	return l.Private || l.Segment == Residential || LooksLikePerson(l.Company, l.FirstName, l.LastName)
}

// personPrefixes are the words that announce a person rather than a
// business, folded (see prefixWords); the prefixes of several words come
// first, so that "M. et Mme" is taken whole before "M.". Words that also start business names are left out: a
// bare "M" ("M Bricolage"), "Mr"/"Ms"/"Miss" without a dot ("Mr
// Bricolage", "Miss Pizza"), "Foyer" ("Foyer rural").
var personPrefixes = [][]string{
	{"monsieur", "et", "madame"}, {"m.", "et", "mme"}, {"m", "et", "mme"}, {"mr.", "and", "mrs."}, {"mr", "and", "mrs"},
	{"m.", "&", "mme"}, {"private", "customer"}, {"private", "individual"},
	{"particulier"}, {"particuliere"}, {"particuliers"}, {"famille"}, {"epoux"}, {"consorts"},
	{"monsieur"}, {"madame"}, {"mademoiselle"}, {"mme"}, {"mme."}, {"mlle"}, {"mlle."}, {"m."},
	{"mr."}, {"mrs"}, {"mrs."}, {"ms."}, {"mister"}, {"household"},
}

// prefixWords folds the words of s for prefix matching: like Fold, but
// each whitespace-separated word is kept whole with its dots ("M." stays
// "m.", "Mme" stays "mme").
func prefixWords(s string) []string {
	words := strings.Fields(s)
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = foldKeep(w, ".&")
	}
	return out
}

// personPrefix returns the number of words of s that form a person
// prefix (0 when there is none).
func personPrefix(s string) int {
	words := prefixWords(s)
	for _, p := range personPrefixes {
		if len(words) < len(p) {
			continue
		}
		ok := true
		for i := range p {
			if words[i] != p[i] {
				ok = false
				break
			}
		}
		if ok {
			return len(p)
		}
	}
	return 0
}

// LooksLikePerson reports whether a company field holds a person's name:
// it starts with a word announcing a person ("Particulier …", "Famille …",
// "M. …", "Mme …", "Monsieur …", "Madame …", "Mr. …", "Private customer…"),
// or it equals the contact's first and last names (in either order).
func LooksLikePerson(company, first, last string) bool {
	c := Fold(company)
	if c == "" {
		return false
	}
	if personPrefix(company) > 0 {
		return true
	}
	f, l := Fold(first), Fold(last)
	if f == "" || l == "" {
		return false
	}
	return c == f+" "+l || c == l+" "+f
}

// NamePart returns what a company field says beyond its person prefix:
// "Famille Blanchard" gives "Blanchard", "Particulier Jean Dupont" gives
// "Jean Dupont", "Mme" gives "" (spaces collapsed, case kept).
func NamePart(company string) string {
	words := strings.Fields(company)
	return strings.Join(words[personPrefix(company):], " ")
}

// Contact is the name part of a lead contact.
type Contact struct {
	FirstName, LastName, Title string
}

// Keep returns the contact after taking in the name that a private lead's
// company field held, so that nothing is lost when the field is emptied:
// the name goes to the last name when the contact has none (without the
// first name it repeats), else to the title; a name the contact already
// holds adds nothing. changed is false when the contact stays as it was.
func Keep(company string, c Contact) (out Contact, changed bool) {
	rest := NamePart(company)
	if Fold(rest) == "" {
		return c, false
	}
	f, l, r := Fold(c.FirstName), Fold(c.LastName), Fold(rest)
	if l != "" && (r == l || r == f+" "+l || r == l+" "+f) {
		return c, false
	}
	if l == "" {
		if f != "" && strings.HasPrefix(r, f+" ") {
			// "Jean Dupont" for the contact Jean: the last name is Dupont
			words := strings.Fields(rest)
			rest = strings.Join(words[len(strings.Fields(c.FirstName)):], " ")
		}
		c.LastName = rest
		return c, true
	}
	if strings.Contains(Fold(c.Title), r) {
		return c, false
	}
	if c.Title != "" {
		rest = c.Title + " · " + rest
	}
	if r := []rune(rest); len(r) > MaxTitle {
		rest = string(r[:MaxTitle])
	}
	c.Title = rest
	return c, true
}

// Fold is the comparable form of a name: lower-case, accents removed,
// punctuation read as spaces, spaces collapsed. "Lefèvre-Dupont" and
// "lefevre dupont" fold alike.
func Fold(s string) string { return foldKeep(s, "") }

// foldKeep is Fold keeping the runes of keep (prefix matching keeps the
// abbreviation dot of "M.").
func foldKeep(s, keep string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r), unicode.IsDigit(r), strings.ContainsRune(keep, r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// Noun is the word for a private customer in a language ("fr" unless "en").
func Noun(lang string) string {
	if lang == "en" {
		return "Private customer"
	}
	return "Particulier"
}

// BilingualNoun names a private customer in the bilingual texts that are
// stored once for every reader (notifications, e-mail subjects).
const BilingualNoun = "Particulier / Private customer"

// Label is the neutral name of a private customer's lead for a reader of
// language lang: "Particulier — Brest (29)", "Private customer — Brest (29)";
// the town and the département are left out when unknown.
func Label(lang, city, department string) string {
	noun := Noun(lang)
	city, department = strings.TrimSpace(city), strings.TrimSpace(department)
	switch {
	case city != "" && department != "":
		return noun + " — " + city + " (" + department + ")"
	case city != "":
		return noun + " — " + city
	case department != "":
		return noun + " (" + department + ")"
	}
	return noun
}

// IsLabel reports whether s is a label this package renders for the lead
// (in any language) or a bare noun: what a client that read a lead and
// writes it back sends in `company`. It names nobody.
func IsLabel(s, city, department string) bool {
	s = strings.TrimSpace(s)
	if s == "" || s == BilingualNoun {
		return true
	}
	for _, lang := range []string{"fr", "en"} {
		if s == Label(lang, city, department) || s == Noun(lang) {
			return true
		}
	}
	return false
}

// nameSeparator matches what separates the words of a name in free text.
const nameSeparator = `[\s\-'’.]+`

// accentedPrefixes are person prefixes as people type them with accents
// (personPrefixes are folded).
var accentedPrefixes = [][]string{{"particulière"}, {"époux"}, {"m.", "&", "mme."}}

// MentionPattern returns a regular expression (RE2 syntax, to be compiled
// case-insensitive) matching the mentions of a person in free text and in
// keys derived from a company field: "First Last", "Last First", and a
// person prefix followed by the last name, with or without the first name
// ("Famille Blanchard", "M. Paul Blanchard", "particulier paul blanchard"),
// accents optional; and the words to prefilter candidate values with
// (SQL LIKE). A last name shorter than two letters gives "" (it would
// match too much); a first name alone is never matched.
func MentionPattern(first, last string) (pattern string, likes []string) {
	if len([]rune(Fold(last))) < 2 {
		return "", nil
	}
	variants := func(s string) []string {
		var out []string
		for _, v := range []string{strings.TrimSpace(s), Fold(s)} {
			if w := nameWords(v); w != "" && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
		return out
	}
	// a word boundary before a name or a prefix that starts with an ASCII
	// letter keeps "Anne Roux" out of "Marianne Roux" (RE2's \b is ASCII)
	group := func(vars []string, start bool) string {
		out := make([]string, len(vars))
		for i, v := range vars {
			out[i] = v
			if start && isASCIIWordStart(v) {
				out[i] = `\b` + v
			}
		}
		return "(?:" + strings.Join(out, "|") + ")"
	}
	lasts, firsts := variants(last), variants(first)
	L := group(lasts, false)
	var alts []string
	opt := ""
	if len(firsts) > 0 {
		F := group(firsts, false)
		alts = append(alts, group(firsts, true)+nameSeparator+L, group(lasts, true)+`[\s,]+`+F)
		opt = "(?:" + F + nameSeparator + ")?"
	}
	var prefixes []string
	for _, p := range append(append([][]string{}, personPrefixes...), accentedPrefixes...) {
		q := make([]string, len(p))
		for i, w := range p {
			q[i] = regexp.QuoteMeta(w)
		}
		prefixes = append(prefixes, strings.Join(q, `\s+`))
	}
	alts = append(alts, group(prefixes, true)+`\s*`+opt+L)
	pattern = "(?:" + strings.Join(alts, "|") + ")"
	if isASCIIWordEnd(last) && isASCIIWordEnd(Fold(last)) {
		pattern += `\b`
	}
	for _, v := range []string{strings.TrimSpace(last), Fold(last)} {
		if w := longestWord(v); w != "" && !slices.Contains(likes, w) {
			likes = append(likes, w)
		}
	}
	return pattern, likes
}

// nameWords is the pattern of a name's words with any separator between.
func nameWords(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(words, nameSeparator)
}

func longestWord(s string) string {
	best := ""
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) > len([]rune(best)) {
			best = w
		}
	}
	return best
}

func isASCIIWordStart(s string) bool {
	return s != "" && isASCIIWordChar(s[0])
}

func isASCIIWordChar(c byte) bool {
	return c < 0x80 && (c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}

func isASCIIWordEnd(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	return isASCIIWordChar(s[len(s)-1])
}
