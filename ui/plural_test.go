package ui

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCountsAgreeWithTheirNoun checks that every count shown with a noun
// takes the singular or plural form of its language: French uses the
// singular for 0 and 1, English only for 1.
func TestCountsAgreeWithTheirNoun(t *testing.T) {
	tr, err := newTranslator()
	require.NoError(t, err)
	cases := []struct {
		lang, id string
		want     [3]string // for 0, 1, 2
	}{
		{"fr", "report.won_n", [3]string{"0 gagné", "1 gagné", "2 gagnés"}},
		{"en", "report.won_n", [3]string{"0 won", "1 won", "2 won"}},
		{"fr", "report.map.area_partners", [3]string{", 0 partenaire actif", ", 1 partenaire actif", ", 2 partenaires actifs"}},
		{"en", "report.map.area_partners", [3]string{", 0 active partners", ", 1 active partner", ", 2 active partners"}},
		{"fr", "audit.verify_ok", [3]string{"Chaîne intacte : 0 entrée vérifiée, tête n°7.", "Chaîne intacte : 1 entrée vérifiée, tête n°7.", "Chaîne intacte : 2 entrées vérifiées, tête n°7."}},
		{"en", "audit.verify_ok", [3]string{"Chain intact: 0 entries verified, head #7.", "Chain intact: 1 entry verified, head #7.", "Chain intact: 2 entries verified, head #7."}},
		{"fr", "report.map.area", [3]string{"44 Loire : 0 lead, — acceptés", "44 Loire : 1 lead, — acceptés", "44 Loire : 2 leads, — acceptés"}},
		{"en", "report.map.area", [3]string{"44 Loire: 0 leads, — accepted", "44 Loire: 1 lead, — accepted", "44 Loire: 2 leads, — accepted"}},
	}
	for _, c := range cases {
		l := tr.locale(c.lang)
		for n, want := range c.want {
			got := l.T(c.id, "N", l.Num(n), "Leads", l.Num(n), "Count", n, "Seq", 7, "Code", "44", "Name", "Loire", "Rate", "—")
			require.Equal(t, want, got, "%s %s count %d", c.lang, c.id, n)
		}
	}
}

// TestEmployeesSingularForOne checks the company size band "1" reads
// "1 salarié" / "1 employee" and the other bands stay plural.
func TestEmployeesSingularForOne(t *testing.T) {
	tr, err := newTranslator()
	require.NoError(t, err)
	fr, en := &page{locale: tr.locale("fr")}, &page{locale: tr.locale("en")}
	require.Equal(t, "1 salarié", fr.Employees("1"))
	require.Equal(t, "2-9 salariés", fr.Employees("2-9"))
	require.Equal(t, "250+ salariés", fr.Employees("250+"))
	require.Equal(t, "1 employee", en.Employees("1"))
	require.Equal(t, "2-9 employees", en.Employees("2-9"))
	require.Equal(t, "250+ employees", en.Employees("250+"))
}
