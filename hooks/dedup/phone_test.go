package dedup

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, in, region, want string
	}{
		{"spaced national", "06 12 34 56 78", "FR", "+33612345678"},
		{"international spaced", "+33 6 12 34 56 78", "FR", "+33612345678"},
		{"00 prefix", "0033612345678", "FR", "+33612345678"},
		{"dotted", "06.12.34.56.78", "FR", "+33612345678"},
		{"dashed", "06-12-34-56-78", "FR", "+33612345678"},
		{"compact", "0612345678", "FR", "+33612345678"},
		{"trunk zero in brackets", "+33 (0)6 12 34 56 78", "FR", "+33612345678"},
		{"surrounding spaces", "  06 12 34 56 78  ", "FR", "+33612345678"},
		{"empty region means FR", "06 12 34 56 78", "", "+33612345678"},
		{"lower-case region", "06 12 34 56 78", "fr", "+33612345678"},
		{"landline", "04 78 12 34 56", "FR", "+33478123456"},
		{"freephone", "0800 123 456", "FR", "+33800123456"},
		{"foreign with prefix", "+44 20 7946 0958", "FR", "+442079460958"},
		{"other default region", "020 7946 0958", "GB", "+442079460958"},
		{"guadeloupe national", "0590 12 34 56", "FR", "+590590123456"},
		{"reunion national", "0262 12 34 56", "FR", "+262262123456"},
		{"reunion international", "+262 262 12 34 56", "FR", "+262262123456"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizePhone(tt.in, tt.region)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNormalizePhoneRejectsGarbage(t *testing.T) {
	for _, in := range []string{
		"",
		"   ",
		"n/a",
		"abc",
		"06 12 AB 56 78",
		"1-800-FLOWERS",
		"12",
		"06 12 34 56",
		"06 12 34 56 78 90",
		"0000000000",
		"00 00 00 00 00",
		"+33",
		"+999 123456789",
		strings.Repeat("0", 100),
		"0590 12 34 56 with text",
	} {
		t.Run(in, func(t *testing.T) {
			got, err := NormalizePhone(in, "FR")
			require.ErrorIs(t, err, ErrInvalidPhone)
			assert.Empty(t, got)
		})
	}
}

func TestNormalizePhoneNotationsAgree(t *testing.T) {
	notations := []string{"06 12 34 56 78", "+33 6 12 34 56 78", "0033612345678", "06.12.34.56.78", "+33612345678"}
	want, err := NormalizePhone(notations[0], "FR")
	require.NoError(t, err)
	for _, n := range notations[1:] {
		got, err := NormalizePhone(n, "FR")
		require.NoError(t, err, n)
		assert.Equal(t, want, got, n)
	}
}
