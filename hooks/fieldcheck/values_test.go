package fieldcheck

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/relais/relais/hooks/domain"
)

func TestText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		code string // "" when accepted
	}{
		{"Rennes", 120, ""},
		{"ligne 1\nligne 2\r\n\tindentée", 0, ""},
		{"Société Générale – 12 480,50 €", 0, ""},
		{"مرحبا עברית", 0, ""}, // right-to-left scripts are text, not overrides
		{"a\u200fb", 0, ""},    // a right-to-left mark is allowed
		{"\ufffd", 0, ""},      // a literal replacement character is valid UTF-8
		{strings.Repeat("é", 120), 120, ""},
		{strings.Repeat("é", 121), 120, CodeTooLong},
		{"a\x00b", 0, CodeInvalidChars},
		{"\x1b[31m", 0, CodeInvalidChars},
		{"a\x7fb", 0, CodeInvalidChars},
		{"a\u0085b", 0, CodeInvalidChars},
		{"a\u202eb", 0, CodeInvalidChars},
		{"a\u202ab", 0, CodeInvalidChars},
		{"a\u2066b", 0, CodeInvalidChars},
		{"a\u2069b", 0, CodeInvalidChars},
		{"a\xffb", 0, CodeInvalidChars}, // invalid UTF-8
	} {
		err := Text("city", tc.in, tc.max)
		if tc.code == "" {
			assert.NoError(t, err, "%q", tc.in)
			continue
		}
		var de *domain.Error
		if assert.True(t, errors.As(err, &de), "%q", tc.in) {
			assert.Equal(t, tc.code, de.Code, "%q", tc.in)
			assert.Equal(t, "city", de.Field)
		}
	}
}

func TestPostalCode(t *testing.T) {
	for in, want := range map[string][2]string{
		"35000": {"35000", "35"}, "1000": {"01000", "01"}, " 29 200 ": {"29200", "29"},
		"20000": {"20000", "2A"}, "20200": {"20200", "2B"}, "97100": {"97100", "971"}, "97600": {"97600", "976"},
	} {
		code, dept, err := PostalCode("postal_code", in)
		assert.NoError(t, err, in)
		assert.Equal(t, want, [2]string{code, dept}, in)
	}
	for _, in := range []string{"", "00000", "99999", "96000", "2A004", "98800", "98000", "97000", "ABCDE", "123", "350000"} {
		_, _, err := PostalCode("postal_code", in)
		var de *domain.Error
		if assert.True(t, errors.As(err, &de), in) {
			assert.Equal(t, CodeInvalidPostal, de.Code, in)
			assert.Equal(t, "postal_code", de.Field, in)
		}
	}
}

func TestAmount(t *testing.T) {
	for _, v := range []float64{0, 0.01, 12480.5, 1e9} {
		assert.NoError(t, Amount("estimated_value", v), v)
	}
	for _, v := range []float64{-0.01, 1e9 + 0.01, 1e17, math.Inf(1), math.NaN()} {
		assert.Error(t, Amount("estimated_value", v), v)
	}
}

func TestRawValues(t *testing.T) {
	for _, v := range []any{nil, 12.0, 0, "42", " 3.5 ", "", int64(7)} {
		assert.True(t, isNumber(v), "%#v", v)
	}
	for _, v := range []any{"abc", "12k", "NaN", "Inf", true, []any{1}, map[string]any{}, math.NaN()} {
		assert.False(t, isNumber(v), "%#v", v)
	}
	for _, v := range []any{nil, "", "2026-12-24 09:00:00.000Z", "2026-12-24", "2026-12-24T09:00:00Z", time.Now()} {
		assert.True(t, isDate(v), "%#v", v)
	}
	for _, v := range []any{"not a date", "yesterday", "garbage", 12.0, true} {
		assert.False(t, isDate(v), "%#v", v)
	}
	for _, v := range []any{nil, true, false, "true", "false", "1", "0", "", 1.0} {
		assert.True(t, isBool(v), "%#v", v)
	}
	for _, v := range []any{"maybe", "yes", "on", 2.0, "tru"} {
		assert.False(t, isBool(v), "%#v", v)
	}
}
