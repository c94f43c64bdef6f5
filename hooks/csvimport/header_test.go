package csvimport

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMapHeaderAliases(t *testing.T) {
	cases := []struct {
		header  string
		field   string
		contact bool
	}{
		{"Société", "company", false},
		{"SOCIETE", "company", false},
		{"entreprise", "company", false},
		{"Raison  sociale", "company", false},
		{"company_name", "company", false},
		{"Segment", "segment", false},
		{"Taille", "company_size", false},
		{"Effectif", "company_size", false},
		{"Pays", "country", false},
		{"Code postal", "postal_code", false},
		{"CP", "postal_code", false},
		{"ZIP", "postal_code", false},
		{"post-code", "postal_code", false},
		{"postal_code", "postal_code", false},
		{"Ville", "city", false},
		{"Commune", "city", false},
		{"Référence", "source_ref", false},
		{"Ref.", "source_ref", false},
		{"ID externe", "source_ref", false},
		{"External ID", "source_ref", false},
		{"Score", "score", false},
		{"Besoin", "interest", false},
		{"Intérêt", "interest", false},
		{"Message", "interest", false},
		{"Montant estimé", "estimated_value", false},
		{"Valeur", "estimated_value", false},
		{"SIRET", "siret", false},
		{"Siren", "siret", false},
		{"Prénom", "first_name", true},
		{"Nom", "last_name", true},
		{"Fonction", "title", true},
		{"Poste", "title", true},
		{"E-mail", "email", true},
		{"Courriel", "email", true},
		{"mail", "email", true},
		{"Téléphone", "phone", true},
		{"Tél.", "phone", true},
		{"Portable", "mobile", true},
		{"Mobile", "mobile", true},
	}
	for _, tc := range cases {
		t.Run(tc.header, func(t *testing.T) {
			header := []string{tc.header}
			if tc.field != "company" {
				header = append([]string{"company"}, tc.header)
			}
			m, warnings, err := MapHeader(header)
			require.NoError(t, err)
			assert.Empty(t, warnings)
			c, ok := m.Column(tc.field)
			require.True(t, ok)
			assert.Equal(t, tc.contact, c.Contact)
			assert.Equal(t, len(header)-1, c.Index)
			assert.Equal(t, tc.header, c.Header)
		})
	}
}

func TestMapHeader(t *testing.T) {
	m, warnings, err := MapHeader([]string{"\ufeff Société ", "Remarques", "", "cp", "remarques", "  "})
	require.NoError(t, err)
	assert.Equal(t, 6, m.Width)
	assert.Equal(t, []Column{
		{Index: 0, Header: "Société", Field: "company"},
		{Index: 3, Header: "cp", Field: "postal_code"},
	}, m.Columns)
	assert.Equal(t, []string{`unknown column "Remarques" (column 2): ignored`, "column 3 has no header: ignored"}, warnings)
	_, ok := m.Column("email")
	assert.False(t, ok)

	_, _, err = MapHeader([]string{"Nom", "Ville"})
	require.ErrorContains(t, err, "no company column: name one of société, entreprise")

	_, _, err = MapHeader(nil)
	require.ErrorContains(t, err, "no company column")

	_, _, err = MapHeader([]string{"Société", "Entreprise"})
	require.EqualError(t, err, `columns "Société" (column 1) and "Entreprise" (column 2) both map to company: keep only one`)

	_, _, err = MapHeader([]string{"company", "Tel", "Téléphone"})
	require.ErrorContains(t, err, "both map to phone")
}

func TestAliasesAreUnambiguous(t *testing.T) {
	seen := map[string]string{}
	for _, f := range knownFields() {
		for _, a := range append([]string{f.field}, f.aliases...) {
			key := normalizeHeader(a)
			require.NotEmpty(t, key, a)
			if prev, ok := seen[key]; ok {
				require.Equal(t, prev, f.field, "alias %q maps to both %s and %s", a, prev, f.field)
			}
			seen[key] = f.field
		}
	}
}

func TestNormalizeHeader(t *testing.T) {
	cases := map[string]string{
		"Code Postal":        "codepostal",
		"CODE_POSTAL":        "codepostal",
		"Téléphone":          "telephone",
		"ÉLÉMENT":            "element",
		"Intérêt":            "interet",
		"N° SIRET":           "nsiret",
		"Cœur":               "coeur",
		"  e-mail ":          "email",
		"secteur d'activité": "secteurdactivite",
		"":                   "",
	}
	for in, want := range cases {
		assert.Equal(t, want, normalizeHeader(in), in)
	}
}
