package privacy

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLooksLikePerson(t *testing.T) {
	for _, tc := range []struct {
		company, first, last string
		want                 bool
	}{
		// the forms the web form, the demo and sources write
		{"Particulier Jean Dupont", "", "", true},
		{"Famille Blanchard", "", "", true},
		{"famille  blanchard", "", "", true},
		{"FAMILLE Blanchard", "", "", true},
		{"M. Dupont", "", "", true},
		{"M. et Mme Dupont", "", "", true},
		{"M et Mme Dupont", "", "", true},
		{"Mme Lefèvre", "", "", true},
		{"Mme. Lefèvre", "", "", true},
		{"Mlle Roux", "", "", true},
		{"Monsieur Martin", "", "", true},
		{"Madame Martin", "", "", true},
		{"Monsieur et Madame Martin", "", "", true},
		{"Mr. John Smith", "", "", true},
		{"Mrs Smith", "", "", true},
		{"Private customer", "", "", true},
		{"Particulier — Brest (29)", "", "", true},
		{"Particulière Anne Roux", "", "", true},
		{"Époux Garnier", "", "", true},
		{"Consorts Le Gall", "", "", true},
		// equal to the contact's name, in either order, any case or accents
		{"Jean Dupont", "Jean", "Dupont", true},
		{"DUPONT Jean", "Jean", "Dupont", true},
		{"Hélène Lefèvre-Roux", "Helene", "Lefevre Roux", true},
		// businesses
		{"Boulangerie Martin", "", "", false},
		{"Ferme Dupont", "Jean", "Dupont", false},
		{"Dupont", "Jean", "Dupont", false}, // a surname alone is often a trade name
		{"M Bricolage", "", "", false},
		{"Mr Bricolage", "", "", false},
		{"Miss Pizza", "", "", false},
		{"MS Énergie", "", "", false},
		{"Foyer rural de Plouha", "", "", false},
		{"Mairie de Brest", "", "", false},
		{"Famillesol SARL", "", "", false},
		{"Jean Dupont", "", "Dupont", false}, // no first name to compare with
		{"", "Jean", "Dupont", false},
		{"   ", "", "", false},
	} {
		assert.Equal(t, tc.want, LooksLikePerson(tc.company, tc.first, tc.last), "%q (%s %s)", tc.company, tc.first, tc.last)
	}
}

func TestIsPrivate(t *testing.T) {
	for _, tc := range []struct {
		name string
		lead Lead
		want bool
	}{
		{"residential, business-like name", Lead{Company: "SCI Les Tilleuls", Segment: "residential"}, true},
		{"residential, no company", Lead{Segment: "residential"}, true},
		{"flagged", Lead{Company: "", Segment: "farm", Private: true}, true},
		{"person's name on a farm", Lead{Company: "Famille Le Bihan", Segment: "farm"}, true},
		{"contact's name", Lead{Company: "Anne Roux", Segment: "business", FirstName: "Anne", LastName: "Roux"}, true},
		{"business", Lead{Company: "Boulangerie Le Fournil", Segment: "business"}, false},
		{"no segment, business", Lead{Company: "Garage Central"}, false},
		{"the flag cannot lower it", Lead{Company: "Famille Roux", Segment: "business", Private: false}, true},
	} {
		assert.Equal(t, tc.want, IsPrivate(tc.lead), tc.name)
	}
}

func TestNamePart(t *testing.T) {
	for in, want := range map[string]string{
		"Famille Blanchard":            "Blanchard",
		"Particulier Jean  Dupont":     "Jean Dupont",
		"M. et Mme Dupont":             "Dupont",
		"Mme":                          "",
		"Particulier":                  "",
		"SCI Les Tilleuls":             "SCI Les Tilleuls",
		"Monsieur et Madame Le Goff":   "Le Goff",
		"  Famille   de la Fontaine  ": "de la Fontaine",
	} {
		assert.Equal(t, want, NamePart(in), in)
	}
}

func TestKeep(t *testing.T) {
	for _, tc := range []struct {
		name    string
		company string
		in      Contact
		want    Contact
		changed bool
	}{
		{"no contact name: the last name", "Famille Blanchard", Contact{}, Contact{LastName: "Blanchard"}, true},
		{"first name only: the rest", "Particulier Jean Dupont", Contact{FirstName: "Jean"}, Contact{FirstName: "Jean", LastName: "Dupont"}, true},
		{"same name: nothing", "Famille Blanchard", Contact{FirstName: "Paul", LastName: "Blanchard"}, Contact{FirstName: "Paul", LastName: "Blanchard"}, false},
		{"full name: nothing", "Particulier Paul Blanchard", Contact{FirstName: "Paul", LastName: "Blanchard"}, Contact{FirstName: "Paul", LastName: "Blanchard"}, false},
		{"reversed, accents: nothing", "BLANCHARD Hélène", Contact{FirstName: "Helene", LastName: "Blanchard"}, Contact{FirstName: "Helene", LastName: "Blanchard"}, false},
		{"another name: the title", "SCI Les Tilleuls", Contact{FirstName: "Paul", LastName: "Roux"}, Contact{FirstName: "Paul", LastName: "Roux", Title: "SCI Les Tilleuls"}, true},
		{"after the title", "SCI Les Tilleuls", Contact{LastName: "Roux", Title: "Gérant"}, Contact{LastName: "Roux", Title: "Gérant · SCI Les Tilleuls"}, true},
		{"already in the title", "SCI Les Tilleuls", Contact{LastName: "Roux", Title: "Gérant · SCI les tilleuls"}, Contact{LastName: "Roux", Title: "Gérant · SCI les tilleuls"}, false},
		{"a bare prefix: nothing", "Particulier", Contact{LastName: "Roux"}, Contact{LastName: "Roux"}, false},
		{"cut to the title's length", strings.Repeat("x", 200), Contact{LastName: "Roux"}, Contact{LastName: "Roux", Title: strings.Repeat("x", MaxTitle)}, true},
	} {
		got, changed := Keep(tc.company, tc.in)
		assert.Equal(t, tc.want, got, tc.name)
		assert.Equal(t, tc.changed, changed, tc.name)
	}
}

func TestFold(t *testing.T) {
	assert.Equal(t, "lefevre dupont", Fold("  Lefèvre-DUPONT "))
	assert.Equal(t, "o neill", Fold("O'Neill"))
	assert.Equal(t, "", Fold(" — "))
}

func TestLabel(t *testing.T) {
	for _, tc := range []struct{ lang, city, dept, want string }{
		{"fr", "Brest", "29", "Particulier — Brest (29)"},
		{"en", "Brest", "29", "Private customer — Brest (29)"},
		{"", "Brest", "29", "Particulier — Brest (29)"},
		{"de", "Brest", "29", "Particulier — Brest (29)"},
		{"fr", "Brest", "", "Particulier — Brest"},
		{"en", "", "2A", "Private customer (2A)"},
		{"fr", " ", "", "Particulier"},
		{"en", "", "", "Private customer"},
	} {
		assert.Equal(t, tc.want, Label(tc.lang, tc.city, tc.dept), "%+v", tc)
	}
}

func TestIsLabel(t *testing.T) {
	for _, s := range []string{"", "Particulier — Brest (29)", "Private customer — Brest (29)", "Particulier", "Private customer", BilingualNoun, " Particulier — Brest (29) "} {
		assert.True(t, IsLabel(s, "Brest", "29"), s)
	}
	for _, s := range []string{"Particulier — Quimper (29)", "Particulier Jean Dupont", "Famille Blanchard", "Boulangerie"} {
		assert.False(t, IsLabel(s, "Brest", "29"), s)
	}
}

func TestMentionPattern(t *testing.T) {
	pat, likes := MentionPattern("Hélène", "Lefèvre-Roux")
	re := regexp.MustCompile(`(?i)` + pat)
	for _, s := range []string{
		"Rappeler Hélène Lefèvre-Roux demain",
		"rdv avec helene lefevre roux",
		"LEFÈVRE-ROUX, Hélène",
		"Nouvelle offre / New offer: Famille Lefèvre-Roux (Brest)",
		"Particulier Hélène Lefèvre-Roux",
		"Mme Lefèvre Roux a rappelé",
		"M. et Mme Lefevre-Roux",
		"company:famille lefevre roux|29200",
		"Particulière Hélène Lefèvre-Roux",
	} {
		assert.True(t, re.MatchString(s), s)
	}
	for _, s := range []string{
		"Hélène a rappelé",                // a first name alone
		"Lefèvre-Roux Menuiserie",         // a surname alone is a trade name
		"Famille Lefèvre-Rouxel",          // another name
		"Boulangerie Roux, Hélène Dupont", // other people
		"Programme. Lefèvre-Roux",         // "m." inside a word is no prefix
	} {
		assert.False(t, re.MatchString(s), s)
	}
	assert.Equal(t, []string{"Lefèvre", "lefevre"}, likes)

	pat, _ = MentionPattern("Anne", "Canary")
	re = regexp.MustCompile(`(?i)` + pat)
	assert.True(t, re.MatchString("rappeler anne canary"))
	assert.False(t, re.MatchString("Marianne Canary"), "another first name")
	assert.False(t, re.MatchString("Canary Annette"), "another first name")

	pat, _ = MentionPattern("", "Blanchard")
	re = regexp.MustCompile(`(?i)` + pat)
	assert.True(t, re.MatchString("famille blanchard"))
	assert.True(t, re.MatchString("Visite chez M. Blanchard"))
	assert.False(t, re.MatchString("Blanchard et fils"))

	pat, likes = MentionPattern("Jo", "L")
	assert.Empty(t, pat, "a one-letter last name matches too much")
	assert.Empty(t, likes)
}
