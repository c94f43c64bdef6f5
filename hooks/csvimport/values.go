package csvimport

import (
	"net/mail"
	"strconv"
	"strings"
)

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
