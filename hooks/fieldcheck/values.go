// Package fieldcheck is the one validation of the values Relais receives,
// whoever sends them: the intake (ingest, batch, web form, CSV import)
// checks its input with Text, PostalCode and Amount; the REST API checks
// the raw JSON types of a record body with Body (a number, a date, a bool
// that PocketBase would otherwise cast to 0, "" or false without a word);
// every write of a record (REST, UI, commands) runs Record on the fields it
// changes (characters, French postal codes, amount bounds). Its errors name
// the field: domain errors for the intake, validation.Errors (PocketBase's
// `data: {field: {code, message}}`) for records.
//
// Text policy: NUL and the other control characters (tab, line feed and
// carriage return excepted), bidirectional overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) and invalid UTF-8 are refused, not
// stripped: what is stored is what was sent, or nothing.
package fieldcheck

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/money"
)

// Error codes of the checks (stable: clients and the UI catalogues key on
// them).
const (
	CodeInvalidChars  = "invalid_characters"
	CodeTooLong       = "too_long"
	CodeInvalidPostal = "invalid_value" // the code the intake always used
	CodeOutOfRange    = "out_of_range"
	CodeInvalidNumber = "validation_invalid_number"
	CodeInvalidDate   = "validation_invalid_date"
	CodeInvalidBool   = "validation_invalid_bool"
)

// BadRune reports whether a text may not hold r: a control character other
// than tab, line feed and carriage return (NUL included), a C1 control, or a
// bidirectional embedding, override or isolate (the "Trojan Source"
// characters that make a text display other than it reads).
func BadRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// CleanText reports whether s is valid UTF-8 without a BadRune.
func CleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, BadRune) < 0
}

// Text checks a text value: clean characters (CleanText) and, when max > 0,
// at most max characters. The error names field.
func Text(field, s string, max int) error {
	if !CleanText(s) {
		return domain.Invalid(CodeInvalidChars, field, field+" contains control or bidirectional-override characters")
	}
	if max > 0 && utf8.RuneCountInString(s) > max {
		return domain.Invalid(CodeTooLong, field, fmt.Sprintf("%s is longer than %d characters", field, max))
	}
	return nil
}

// PostalCode normalises a French postal code (spaces removed, a dropped
// leading zero restored) and returns it with its département; a code that
// is not five digits or that no département has (00xxx, 96xxx, 99xxx,
// 984–988xx, 980xx Monaco) is refused: such a lead could never be routed.
func PostalCode(field, s string) (code, dept string, err error) {
	code, err = geo.NormalizePostalCode(s)
	if err == nil {
		dept, err = geo.DepartementFromPostalCode("FR", code)
	}
	if err != nil {
		msg := field + " must be a French postal code of 5 digits"
		if !errors.Is(err, geo.ErrInvalidPostalCode) || code != "" {
			msg = field + " is not the postal code of a French département"
		}
		return "", "", domain.Invalid(CodeInvalidPostal, field, msg)
	}
	return code, dept, nil
}

// Amount checks an amount in euros: a finite number in [0, money.Max]
// (the reports sum amounts in cents: larger values would overflow them).
func Amount(field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > money.Max {
		return domain.Invalid(CodeOutOfRange, field, fmt.Sprintf("%s must be an amount from 0 to %d", field, money.Max))
	}
	return nil
}
