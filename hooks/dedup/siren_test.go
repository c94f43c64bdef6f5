package dedup

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeSIREN(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"SIRET", "73282932000074", "732829320"},
		{"SIRET spaced", "732 829 320 00074", "732829320"},
		{"SIRET dotted", "732.829.320.00074", "732829320"},
		{"SIRET non-breaking spaces", "732\u00a0829\u00a0320\u00a000074", "732829320"},
		{"SIRET surrounding spaces", "  73282932000074 ", "732829320"},
		{"SIREN", "732829320", "732829320"},
		{"SIREN spaced", "732 829 320", "732829320"},
		{"SIREN dashed", "732-829-320", "732829320"},
		{"SIREN other", "552100554", "552100554"},
		{"SIRET other", "55210055400013", "552100554"},
		{"La Poste SIREN", "356000000", "356000000"},
		// Head office: plain Luhn, digit sum 26.
		{"La Poste head office", "35600000000048", "356000000"},
		// Establishment: fails Luhn, digit sum 45.
		{"La Poste establishment", "35600000049837", "356000000"},
		{"La Poste establishment spaced", "356 000 000 49837", "356000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeSIREN(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNormalizeSIRENRejects(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"spaces only", "   "},
		{"SIRET bad checksum", "73282932000075"},
		{"SIRET one digit changed", "73282932100074"},
		// Digit sum 45 passes the La Poste rule, but only La Poste uses it.
		{"SIRET sum of 5 outside La Poste", "73282932000072"},
		{"SIREN bad checksum", "732829321"},
		{"SIREN transposed digits", "723829320"},
		// Luhn-valid as 14 digits, but its SIREN 123456789 is not.
		{"SIRET with invalid SIREN part", "12345678900007"},
		{"La Poste establishment bad sum", "35600000049838"},
		{"all zeros SIREN", "000000000"},
		{"all zeros SIRET", "00000000000000"},
		{"too short", "73282932"},
		{"ten digits", "7328293200"},
		{"thirteen digits", "7328293200007"},
		{"fifteen digits", "732829320000740"},
		{"letters", "73282932A"},
		{"FR VAT number", "FR44732829320"},
		{"fullwidth digits", "７３２８２９３２０"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeSIREN(tt.in)
			require.ErrorIs(t, err, ErrInvalidSIREN)
			assert.Empty(t, got)
		})
	}
}

func TestLuhnValid(t *testing.T) {
	assert.True(t, luhnValid("732829320"))
	assert.True(t, luhnValid("73282932000074"))
	assert.True(t, luhnValid("0"))
	assert.False(t, luhnValid("732829321"))
	assert.False(t, luhnValid("73282932000075"))
}
