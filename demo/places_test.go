package demo

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wantDepartements is the full list of French département codes, built
// independently from the data under test.
func wantDepartements() []string {
	var out []string
	for i := 1; i <= 95; i++ {
		if i == 20 {
			out = append(out, "2A", "2B")
			continue
		}
		out = append(out, fmt.Sprintf("%02d", i))
	}
	return append(out, "971", "972", "973", "974", "976")
}

var fiveDigits = regexp.MustCompile(`^[0-9]{5}$`)

// postalCodeMatches reports whether a postal code belongs to a département.
func postalCodeMatches(dept, code string) bool {
	if !fiveDigits.MatchString(code) {
		return false
	}
	switch {
	case dept == "2A":
		return strings.HasPrefix(code, "200") || strings.HasPrefix(code, "201")
	case dept == "2B":
		return strings.HasPrefix(code, "20") && code[2] >= '2'
	default: // "01".."95" by their 2 digits, "971".."976" by their 3
		return strings.HasPrefix(code, dept)
	}
}

func TestPostalCodeMatches(t *testing.T) {
	cases := []struct {
		dept, code string
		want       bool
	}{
		{"01", "01000", true},
		{"01", "02000", false},
		{"01", "0100", false},
		{"01", "010000", false},
		{"01", "01A00", false},
		{"2A", "20000", true},
		{"2A", "20137", true},
		{"2A", "20200", false},
		{"2B", "20200", true},
		{"2B", "20620", true},
		{"2B", "20110", false},
		{"971", "97100", true},
		{"971", "97200", false},
		{"976", "97600", true},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, postalCodeMatches(c.dept, c.code), "%s %s", c.dept, c.code)
	}
}

func TestTownDepartements(t *testing.T) {
	got := TownDepartements()
	require.Len(t, got, 101)
	assert.Equal(t, wantDepartements(), got)
}

func TestTownsEveryDepartement(t *testing.T) {
	total := 0
	for _, dept := range TownDepartements() {
		towns := Towns(dept)
		require.Len(t, towns, 3, "département %s", dept)
		seenName := map[string]bool{}
		for _, town := range towns {
			total++
			assert.Equal(t, dept, town.Dept)
			assert.NotEmpty(t, strings.TrimSpace(town.Name), "département %s", dept)
			assert.Equal(t, strings.TrimSpace(town.Name), town.Name, "stray space in %q", town.Name)
			assert.True(t, utf8.ValidString(town.Name))
			assert.True(t, postalCodeMatches(dept, town.PostalCode),
				"%s: postal code %q of %s", dept, town.PostalCode, town.Name)
			assert.False(t, seenName[town.Name], "%s: duplicate town %s", dept, town.Name)
			seenName[town.Name] = true
		}
	}
	assert.Equal(t, 303, total)
	assert.Len(t, townList, total, "towns outside the listed départements")
}

func TestTownsPrefectureFirst(t *testing.T) {
	cases := map[string]Town{
		"01":  {"Bourg-en-Bresse", "01000", "01"},
		"2A":  {"Ajaccio", "20000", "2A"},
		"2B":  {"Bastia", "20200", "2B"},
		"13":  {"Marseille", "13001", "13"},
		"29":  {"Quimper", "29000", "29"},
		"42":  {"Saint-Étienne", "42000", "42"},
		"83":  {"Toulon", "83000", "83"},
		"974": {"Saint-Denis", "97400", "974"},
		"976": {"Mamoudzou", "97600", "976"},
	}
	for dept, want := range cases {
		towns := Towns(dept)
		require.NotEmpty(t, towns, dept)
		assert.Equal(t, want, towns[0])
	}
}

func TestTownsUnknownAndCopy(t *testing.T) {
	for _, bad := range []string{"", "20", "1", "96", "975", "2a", "01 "} {
		assert.Nil(t, Towns(bad), "%q", bad)
	}

	towns := Towns("35")
	towns[0].Name = "changed"
	assert.Equal(t, "Rennes", Towns("35")[0].Name, "Towns must return a copy")

	depts := TownDepartements()
	depts[0] = "changed"
	assert.Equal(t, "01", TownDepartements()[0])
}

func assertDistinctNonEmpty(t *testing.T, what string, list []string, want int) {
	t.Helper()
	assert.Len(t, list, want, what)
	seen := map[string]bool{}
	for _, s := range list {
		assert.NotEmpty(t, strings.TrimSpace(s), what)
		assert.Equal(t, strings.TrimSpace(s), s, "%s: stray space in %q", what, s)
		assert.False(t, seen[s], "%s: duplicate %q", what, s)
		seen[s] = true
	}
}

func TestNameLists(t *testing.T) {
	assertDistinctNonEmpty(t, "first names", FirstNames(), 60)
	assertDistinctNonEmpty(t, "last names", LastNames(), 100)
	assertDistinctNonEmpty(t, "company prefixes", CompanyPrefixes(), 30)
}

// An installer is named after a place, with French elision of "de".
func TestInstallerName(t *testing.T) {
	cases := []struct {
		place string
		k     int
		want  string
	}{
		{"Brest", 0, "Brest Solaire"},
		{"Brest", 1, "Soleil de Brest"},
		{"Ajaccio", 1, "Soleil d'Ajaccio"},
		{"Évreux", 5, "Lumière d'Évreux"},
		{"Le Puy-en-Velay", 1, "Soleil du Puy-en-Velay"},
		{"Les Abymes", 6, "Les Installateurs des Abymes"},
		{"La Rochelle", 3, "Photovoltaïque de La Rochelle"},
		{"Saint-Denis", 2, "Saint-Denis Énergies"},
		{"Bastia", 10, "Bastia Solaire"}, // the patterns cycle
	}
	for _, c := range cases {
		assert.Equal(t, c.want, InstallerName(c.place, c.k), "%s %d", c.place, c.k)
	}
	assert.Equal(t, 10, InstallerPatterns())
}

func TestNameListsReturnCopies(t *testing.T) {
	for name, get := range map[string]func() []string{
		"FirstNames":      FirstNames,
		"LastNames":       LastNames,
		"CompanyPrefixes": CompanyPrefixes,
	} {
		list := get()
		orig := list[0]
		list[0] = "changed"
		assert.Equal(t, orig, get()[0], "%s must return a copy", name)
	}
}
