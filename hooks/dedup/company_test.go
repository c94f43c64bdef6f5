package dedup

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalizeCompany(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"legal form first, ampersand", "SARL Dupont & Fils", "dupont fils"},
		{"legal form last", "Dupont et fils SAS", "dupont fils"},
		{"upper-case", "DUPONT ET FILS", "dupont fils"},
		{"dotted legal form", "Dupont et Fils S.A.R.L.", "dupont fils"},
		{"ampersand without spaces", "Dupont&Fils", "dupont fils"},
		{"accents", "Électricité Générale du Rhône", "electricite generale du rhone"},
		{"no accents plus legal form", "ELECTRICITE GENERALE DU RHONE SARL", "electricite generale du rhone"},
		{"cedilla and diaeresis", "Façades Noël", "facades noel"},
		{"ligature", "Œuvres Cœur SA", "oeuvres coeur"},
		{"société and cie", "Société Martin & Cie", "martin"},
		{"sté abbreviation", "Sté Martin", "martin"},
		{"établissements", "Ets Martin", "martin"},
		{"établissements spelt out", "Établissements Martin", "martin"},
		{"sasu and eurl", "EURL Bati-Pro", "bati pro"},
		{"apostrophe", "L'Atelier du Bois", "l atelier du bois"},
		{"collapse spaces and punctuation", "  Acme  --  Solaire ,  Lyon ", "acme solaire lyon"},
		{"digits kept", "3D Concept 69", "3d concept 69"},
		{"groupe kept", "Groupe Dupont", "groupe dupont"},
		{"legal form inside a word kept", "Sasson Sarlat", "sasson sarlat"},
		{"only legal forms", "SARL", ""},
		{"only noise", "S.A. & Cie", ""},
		{"empty", "", ""},
		{"punctuation only", "!!! ---", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, NormalizeCompany(tt.in))
		})
	}
}

func TestNormalizeCompanyVariantsAgree(t *testing.T) {
	groups := [][]string{
		{"SARL Dupont & Fils", "Dupont et fils SAS", "DUPONT ET FILS", "dupont & fils s.a.s."},
		{"Électricité Générale du Rhône", "ELECTRICITE GENERALE DU RHONE SARL", "electricite generale du rhone"},
	}
	for _, g := range groups {
		want := NormalizeCompany(g[0])
		assert.NotEmpty(t, want)
		for _, v := range g[1:] {
			assert.Equal(t, want, NormalizeCompany(v), v)
		}
	}
	assert.NotEqual(t, NormalizeCompany("Dupont et Fils"), NormalizeCompany("Dupont"),
		"distinct names must stay distinct")
}
