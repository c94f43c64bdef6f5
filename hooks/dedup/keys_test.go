package dedup

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKeys(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want []string
	}{
		{
			name: "everything",
			in: Input{
				Email: "Jean@ACME.fr", Phone: "04 78 12 34 56", Mobile: "06 12 34 56 78",
				SIRET: "732 829 320 00074", Company: "SARL Dupont & Fils", PostalCode: "69003",
			},
			want: []string{
				"company:dupont fils|69003",
				"domain:acme.fr|69003",
				"email:jean@acme.fr",
				"phone:+33478123456",
				"phone:+33612345678",
				"siren:732829320",
			},
		},
		{
			name: "empty input",
			in:   Input{},
			want: nil,
		},
		{
			name: "free mail gives no domain key",
			in:   Input{Email: "jean@gmail.com", Company: "Dupont", PostalCode: "69003"},
			want: []string{"company:dupont|69003", "email:jean@gmail.com"},
		},
		{
			name: "no postal code: no company or domain key",
			in:   Input{Email: "jean@acme.fr", Company: "Dupont"},
			want: []string{"email:jean@acme.fr"},
		},
		{
			name: "spaced postal code",
			in:   Input{Company: "Dupont", PostalCode: " 69 003 "},
			want: []string{"company:dupont|69003"},
		},
		{
			name: "invalid postal code",
			in:   Input{Company: "Dupont", PostalCode: "69|003"},
			want: nil,
		},
		{
			name: "same phone twice is one key",
			in:   Input{Phone: "06 12 34 56 78", Mobile: "+33 6 12 34 56 78"},
			want: []string{"phone:+33612345678"},
		},
		{
			name: "invalid parts skipped",
			in: Input{
				Email: "not-an-email", Phone: "n/a", Mobile: "0612345678",
				SIRET: "73282932000075", Company: "SARL", PostalCode: "69003",
			},
			want: []string{"phone:+33612345678"},
		},
		{
			name: "SIREN only",
			in:   Input{SIRET: "732829320"},
			want: []string{"siren:732829320"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Keys(tt.in))
		})
	}
}

func TestKeysMatchAcrossNotations(t *testing.T) {
	a := Keys(Input{
		Email: "contact@dupont-fils.fr", Phone: "06 12 34 56 78",
		SIRET: "73282932000074", Company: "SARL Dupont & Fils", PostalCode: "69003",
	})
	b := Keys(Input{
		Email: " CONTACT@Dupont-Fils.FR ", Mobile: "0033612345678",
		SIRET: "732 829 320", Company: "DUPONT ET FILS", PostalCode: "69003",
	})
	assert.Equal(t, a, b)

	// Two gmail users in the same town share nothing.
	c := Keys(Input{Email: "alice@gmail.com", PostalCode: "69003"})
	d := Keys(Input{Email: "bob@gmail.com", PostalCode: "69003"})
	assert.Empty(t, Overlap(c, d))
}

func TestPrimary(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want string
	}{
		{"nil", nil, ""},
		{"empty", []string{}, ""},
		{"unknown kinds only", []string{"fax:123", "nokind"}, ""},
		{"siren wins", []string{"company:dupont|69003", "email:a@acme.fr", "phone:+33612345678", "siren:732829320", "domain:acme.fr|69003"}, "siren:732829320"},
		{"email over phone", []string{"phone:+33612345678", "email:a@acme.fr"}, "email:a@acme.fr"},
		{"phone over company", []string{"company:dupont|69003", "phone:+33612345678"}, "phone:+33612345678"},
		{"company over domain", []string{"domain:acme.fr|69003", "company:dupont|69003"}, "company:dupont|69003"},
		{"domain alone", []string{"domain:acme.fr|69003"}, "domain:acme.fr|69003"},
		{"smallest of a kind, unsorted input", []string{"phone:+33700000000", "phone:+33612345678"}, "phone:+33612345678"},
		{"unknown kind ignored", []string{"fax:1", "domain:acme.fr|69003"}, "domain:acme.fr|69003"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Primary(tt.keys))
		})
	}
}

func TestPrimaryOfKeys(t *testing.T) {
	in := Input{Email: "jean@acme.fr", Phone: "0612345678", Company: "Dupont", PostalCode: "69003"}
	assert.Equal(t, "email:jean@acme.fr", Primary(Keys(in)))
	in.SIRET = "73282932000074"
	assert.Equal(t, "siren:732829320", Primary(Keys(in)))
}

func TestOverlap(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want []string
	}{
		{"both nil", nil, nil, nil},
		{"one empty", []string{"email:a@acme.fr"}, nil, nil},
		{"disjoint", []string{"email:a@acme.fr"}, []string{"email:b@acme.fr"}, nil},
		{
			"shared sorted",
			[]string{"siren:732829320", "email:a@acme.fr", "phone:+33612345678"},
			[]string{"phone:+33612345678", "siren:732829320", "company:dupont|69003"},
			[]string{"phone:+33612345678", "siren:732829320"},
		},
		{"duplicates collapsed", []string{"email:a@acme.fr", "email:a@acme.fr"}, []string{"email:a@acme.fr"}, []string{"email:a@acme.fr"}},
		{"empty strings never shared", []string{""}, []string{""}, nil},
		{"case sensitive", []string{"email:a@acme.fr"}, []string{"EMAIL:A@ACME.FR"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Overlap(tt.a, tt.b))
			assert.Equal(t, tt.want, Overlap(tt.b, tt.a), "symmetric")
		})
	}
}
