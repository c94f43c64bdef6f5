package geo

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDepartementFromPostalCode(t *testing.T) {
	tests := []struct {
		name, country, postal, want string
		err                         error
	}{
		{"Paris", "FR", "75001", "75", nil},
		{"Lyon", "France", "69003", "69", nil},
		{"empty country is France", "", "33000", "33", nil},
		{"lower-case country", "fr", "13001", "13", nil},
		{"upper FRANCE padded", "  FRANCE ", "59000", "59", nil},
		{"alpha-3", "FRA", "44000", "44", nil},
		{"Ajaccio", "FR", "20000", "2A", nil},
		{"Ajaccio cedex", "FR", "20090", "2A", nil},
		{"Sartène", "FR", "20100", "2A", nil},
		{"Porto-Vecchio", "FR", "20137", "2A", nil},
		{"20167", "FR", "20167", "2A", nil},
		{"20190", "FR", "20190", "2A", nil},
		{"Bastia", "FR", "20200", "2B", nil},
		{"Corte", "FR", "20250", "2B", nil},
		{"20600", "FR", "20600", "2B", nil},
		{"Biguglia", "FR", "20620", "2B", nil},
		{"Pointe-à-Pitre", "FR", "97110", "971", nil},
		{"Saint-Barthélemy", "BL", "97133", "971", nil},
		{"Fort-de-France", "FR", "97200", "972", nil},
		{"Fort-de-France with country MQ", "MQ", "97200", "972", nil},
		{"Cayenne", "FR", "97300", "973", nil},
		{"Saint-Denis Réunion", "FR", "97400", "974", nil},
		{"Saint-Pierre-et-Miquelon", "FR", "97500", "975", nil},
		{"Mamoudzou", "FR", "97600", "976", nil},
		{"4 digits padded", "FR", "1000", "01", nil},
		{"Ain", "FR", "01000", "01", nil},
		{"spaces inside", "FR", " 75 001", "75", nil},
		{"Belfort", "FR", "90000", "90", nil},
		{"Cergy", "FR", "95000", "95", nil},

		{"letters", "FR", "ABCDE", "", ErrInvalidPostalCode},
		{"3 digits", "FR", "123", "", ErrInvalidPostalCode},
		{"6 digits", "FR", "750011", "", ErrInvalidPostalCode},
		{"00 prefix", "FR", "00123", "", ErrInvalidPostalCode},
		{"4 digits starting 0 gives 00", "FR", "0123", "", ErrInvalidPostalCode},
		{"empty", "FR", "", "", ErrInvalidPostalCode},
		{"only spaces", "FR", "   ", "", ErrInvalidPostalCode},
		{"96 prefix", "FR", "96000", "", ErrInvalidPostalCode},
		{"99 prefix", "FR", "99000", "", ErrInvalidPostalCode},
		{"970", "FR", "97000", "", ErrInvalidPostalCode},
		{"977", "FR", "97700", "", ErrInvalidPostalCode},
		{"hyphen", "FR", "75-001", "", ErrInvalidPostalCode},
		{"unicode digits", "FR", "７５００１", "", ErrInvalidPostalCode},
		{"Monaco", "FR", "98000", "", ErrNotFrance},
		{"Nouvelle-Calédonie", "FR", "98800", "", ErrNoDepartement},
		{"Polynésie", "FR", "98714", "", ErrNoDepartement},
		{"Wallis-et-Futuna", "FR", "98600", "", ErrNoDepartement},
		{"Belgium", "BE", "1000", "", ErrNotFrance},
		{"Germany by name", "Germany", "75001", "", ErrNotFrance},
		{"Monaco by country", "MC", "98000", "", ErrNotFrance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DepartementFromPostalCode(tt.country, tt.postal)
			if tt.err != nil {
				require.Error(t, err)
				assert.ErrorIs(t, err, tt.err)
				for _, other := range []error{ErrNotFrance, ErrInvalidPostalCode, ErrNoDepartement} {
					if other != tt.err {
						assert.NotErrorIs(t, err, other)
					}
				}
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			_, ok := DepartementByCode(got)
			assert.True(t, ok, "derived code %s must exist in the reference data", got)
		})
	}
}

func TestPostalErrorNamesValue(t *testing.T) {
	_, err := DepartementFromPostalCode("FR", "ABCDE")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"ABCDE"`)

	_, err = DepartementFromPostalCode("Spain", "28001")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"Spain"`)
	assert.True(t, errors.Is(err, ErrNotFrance))
}

func TestNormalizePostalCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"75001", "75001", true},
		{" 75 001 ", "75001", true},
		{"1000", "01000", true},
		{"2\u00a0000", "02000", true}, // non-breaking space, 4 digits
		{"123", "", false},
		{"A1234", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizePostalCode(tt.in)
			if !tt.ok {
				assert.ErrorIs(t, err, ErrInvalidPostalCode)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestIsFrance(t *testing.T) {
	for _, c := range []string{"", "FR", "fr", " France ", "france", "FRA", "RE", "gp", "PM"} {
		assert.True(t, IsFrance(c), c)
	}
	for _, c := range []string{"BE", "MC", "Belgique", "F", "FRANCE X", "DE"} {
		assert.False(t, IsFrance(c), c)
	}
}
