package deals

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fieldsOf lists the fields of CheckRegistration's errors, in order.
func fieldsOf(in RegistrationInput) []string {
	var out []string
	for _, de := range CheckRegistration(in) {
		out = append(out, de.Field+":"+de.Code)
	}
	return out
}

func TestCheckRegistrationReportsEveryField(t *testing.T) {
	ok := RegistrationInput{Company: "Ferme du Bocage", SIRET: "732 829 320 00074", PostalCode: "35000", Email: "achat@bocage.fr", Amount: 42000, CloseDate: "2027-03-31"}
	cases := []struct {
		name string
		in   func(RegistrationInput) RegistrationInput
		want []string
	}{
		{"valid", func(in RegistrationInput) RegistrationInput { return in }, nil},
		{"siren alias and expected_close alias", func(in RegistrationInput) RegistrationInput {
			in.SIRET, in.SIREN, in.CloseDate, in.ExpectedClose = "", "732829320", "", "2027-01-15"
			return in
		}, nil},
		{"everything wrong at once", func(in RegistrationInput) RegistrationInput {
			in.Company, in.SIRET, in.PostalCode, in.Email, in.Amount, in.CloseDate = "  ", "123", "ABCDE", "not-an-email", -5, "next week"
			return in
		}, []string{"company:required", "siret:invalid_value", "postal_code:invalid_value", "email:invalid_value", "amount:out_of_range", "close_date:invalid_value"}},
		{"missing postal code", func(in RegistrationInput) RegistrationInput { in.PostalCode = ""; return in }, []string{"postal_code:invalid_value"}},
		{"company too long", func(in RegistrationInput) RegistrationInput { in.Company = strings.Repeat("é", 201); return in }, []string{"company:too_long"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, fieldsOf(c.in(ok)))
		})
	}
}

func TestNormalizeStopsAtTheFirstErrorCheckRegistrationFinds(t *testing.T) {
	in := RegistrationInput{Company: "", PostalCode: "xx", Amount: -1}
	errs := CheckRegistration(in)
	require.Len(t, errs, 3)
	err := in.normalize()
	require.Error(t, err)
	assert.Equal(t, errs[0].Error(), err.Error(), "the domain refuses on the form's first error")

	good := RegistrationInput{Company: " Ferme ", SIRET: "732 829 320 00074", PostalCode: "35000"}
	require.NoError(t, good.normalize())
	assert.Equal(t, "Ferme", good.Company)
	assert.Equal(t, "73282932000074", good.SIRET)
	assert.Empty(t, CheckRegistration(RegistrationInput{Company: "Ferme", PostalCode: "35000"}))
}
