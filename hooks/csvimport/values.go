package csvimport

import (
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
)

// ParseAmount parses a money amount written the French or the English way:
// "12 500,50", "12500.50", "12,500.50", "12.500,50", "1 234 €". Spaces
// (including non-breaking ones) and a euro sign or "EUR" are ignored. With
// both separators, the last one is the decimal mark; with one comma alone
// it is the decimal mark ("1,234" is 1.234, the French reading); a
// separator repeated is a thousands separator and must group three digits.
func ParseAmount(s string) (float64, error) {
	t := stripAmount(s)
	if t == "" {
		return 0, errors.New("empty amount")
	}
	sign := ""
	if t[0] == '-' || t[0] == '+' {
		sign, t = t[:1], t[1:]
	}
	thousands, decimal := amountSeparators(t)
	intPart, fracPart := t, ""
	if decimal != "" {
		i := strings.LastIndex(t, decimal)
		intPart, fracPart = t[:i], t[i+1:]
		if fracPart == "" || !allDigits(fracPart) {
			return 0, fmt.Errorf("%q is not a number", s)
		}
	}
	intPart, ok := ungroup(intPart, thousands)
	if !ok || intPart == "" || !allDigits(intPart) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	num := sign + intPart
	if fracPart != "" {
		num += "." + fracPart
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}

// stripAmount drops the euro sign or "EUR" and the spaces of an amount.
func stripAmount(s string) string {
	t := strings.TrimSpace(s)
	for _, suffix := range []string{"€", "EUR", "eur", "Eur"} {
		t = strings.TrimSuffix(t, suffix)
	}
	t = strings.TrimPrefix(t, "€")
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'', '\t':
			return -1
		}
		return r
	}, t)
}

// amountSeparators reads the thousands separator and the decimal mark of
// an amount ("" when it has none): with both, the last one is the decimal
// mark; a separator repeated groups thousands; a single one is the decimal
// mark.
func amountSeparators(t string) (thousands, decimal string) {
	commas, dots := strings.Count(t, ","), strings.Count(t, ".")
	switch {
	case commas > 0 && dots > 0:
		if strings.LastIndex(t, ",") > strings.LastIndex(t, ".") {
			return ".", ","
		}
		return ",", "."
	case commas > 1:
		return ",", ""
	case dots > 1:
		return ".", ""
	case commas == 1:
		return "", ","
	case dots == 1:
		return "", "."
	}
	return "", ""
}

// ungroup removes the thousands separator sep (none when "") from the
// integer part of an amount; ok is false when the groups are not of three
// digits (the first of one to three).
func ungroup(intPart, sep string) (string, bool) {
	if sep == "" {
		return intPart, true
	}
	groups := strings.Split(intPart, sep)
	if groups[0] == "" || len(groups[0]) > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ValidEmail reports whether s is a single bare e-mail address (no display
// name or angle brackets) whose domain has at least one dot and no empty
// label.
func ValidEmail(s string) bool {
	if s == "" || len(s) > 254 || strings.ContainsAny(s, " \t\r\n<>,;") {
		return false
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if at <= 0 || !strings.Contains(domain, ".") {
		return false
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
	}
	return true
}

// IsFrance reports whether a country cell means France: "FR", "FRA",
// "France" in any case, or empty (the import default).
func IsFrance(country string) bool {
	switch normalizeHeader(country) {
	case "", "fr", "fra", "france":
		return true
	}
	return false
}

// NormalizePostalCode returns a French postal code as five digits. Spaces
// are removed and a four-digit code gets back the leading zero a
// spreadsheet dropped ("1000" → "01000"). ok is false when the result is not
// five digits.
func NormalizePostalCode(s string) (code string, ok bool) {
	code = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if len(code) == 4 && allDigits(code) {
		code = "0" + code
	}
	return code, len(code) == 5 && allDigits(code)
}

// quoteValue quotes a cell value for an error message, cut to 40 runes.
func quoteValue(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return strconv.Quote(string(r[:40]) + "…")
	}
	return strconv.Quote(s)
}
