package money

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		err  error
	}{
		// the app's own French display format, and what people type
		{in: "12\u202f480,50", want: 12480.5},
		{in: "12\u202f480,50\u00a0€", want: 12480.5},
		{in: "12 480,50 €", want: 12480.5},
		{in: "12.480,50", want: 12480.5},
		{in: "14 500", want: 14500},
		{in: "12,480.50", want: 12480.5},
		{in: "€12,480.50", want: 12480.5},
		{in: "12 500,50", want: 12500.5},
		{in: "12\u00a0500,50", want: 12500.5},
		{in: "12500.50", want: 12500.5},
		{in: "1.234.567", want: 1234567},
		{in: "1,234,567", want: 1234567},
		{in: "1,234", want: 1.23}, // the French reading, to the cent
		{in: "1.5", want: 1.5},
		{in: "0", want: 0},
		{in: "-0", want: 0},
		{in: "  42 ", want: 42},
		{in: "€ 99", want: 99},
		{in: "1 000 EUR", want: 1000},
		{in: "+7", want: 7},
		{in: "0,005", want: 0.01},
		{in: "1 000 000 000", want: Max},
		{in: "", err: ErrEmpty},
		{in: "   ", err: ErrEmpty},
		{in: "€", err: ErrEmpty},
		{in: "-3,5", err: ErrNegative},
		{in: "1 000 000 000,01", err: ErrTooLarge},
		{in: "100000000000000000", err: ErrTooLarge},
		{in: "douze", err: ErrSyntax},
		{in: "NaN", err: ErrSyntax},
		{in: "Inf", err: ErrSyntax},
		{in: "1e5", err: ErrSyntax},
		{in: "1e17", err: ErrSyntax},
		{in: "12,", err: ErrSyntax},
		{in: ",5", err: ErrSyntax},
		{in: "1,2,3", err: ErrSyntax},
		{in: "12.34.5", err: ErrSyntax},
		{in: "12 480,50,1", err: ErrSyntax},
		{in: "1.23,4", err: ErrSyntax},
		{in: "0x10", err: ErrSyntax},
		{in: "--5", err: ErrSyntax},
	}
	for _, tc := range cases {
		got, err := Parse(tc.in)
		if tc.err != nil {
			assert.ErrorIs(t, err, tc.err, "%q", tc.in)
			continue
		}
		if assert.NoError(t, err, "%q", tc.in) {
			assert.InDelta(t, tc.want, got, 1e-9, "%q", tc.in)
		}
	}
}

func TestHasCentsAndRound(t *testing.T) {
	assert.True(t, HasCents(12480.5))
	assert.True(t, HasCents(0.01))
	assert.False(t, HasCents(12480))
	assert.False(t, HasCents(12480.004)) // rounds to a whole euro
	assert.InDelta(t, 12480.51, Round(12480.505), 1e-9)
	require.Equal(t, 0.0, Round(0.004))
}
