// Package money reads and writes the amounts of Relais (estimated values,
// won amounts, opportunity amounts, budgets) in euros: one parser for every
// amount a person types or a file carries, the way the French and the
// English write them, and the bounds every amount must keep.
package money

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Max is the largest amount Relais accepts (one billion euros). Amounts are
// summed in cents by the reports: a million leads at Max still fit in an
// int64 of cents.
const Max = 1_000_000_000

// Errors of Parse, for callers that word them per language.
var (
	ErrEmpty    = errors.New("empty amount")
	ErrSyntax   = errors.New("not an amount")
	ErrNegative = errors.New("negative amount")
	ErrTooLarge = errors.New("amount too large")
)

// Parse reads an amount in euros written the French or the English way:
// "12 480,50", "12 480,50 €" (with a space, a non-breaking or a narrow
// non-breaking one, as the app itself prints), "12.480,50", "12480.50",
// "12,480.50", "€ 99", "1 000 EUR", "14 500". Spaces and a euro sign or
// "EUR" are ignored. With both separators, the last one is the decimal
// mark; with one comma alone it is the decimal mark ("1,234" is 1.234, the
// French reading); a separator repeated groups thousands and must group
// three digits. The result is rounded to the cent and lies in [0, Max].
func Parse(s string) (float64, error) {
	t := strings.TrimSpace(s)
	for _, suffix := range []string{"€", "EUR", "eur", "Eur"} {
		t = strings.TrimSuffix(t, suffix)
	}
	t = strings.TrimPrefix(t, "€")
	t = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'', '\t':
			return -1
		}
		return r
	}, t)
	if t == "" {
		return 0, ErrEmpty
	}
	negative := false
	switch t[0] {
	case '-':
		negative, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	v, err := parseDigits(t)
	if err != nil {
		return 0, err
	}
	if negative && v != 0 {
		return 0, ErrNegative
	}
	if v > Max {
		return 0, ErrTooLarge
	}
	return Round(v), nil
}

// parseDigits reads an unsigned number with its thousands and decimal
// separators (see Parse).
func parseDigits(t string) (float64, error) {
	thousands, decimal := separators(t)
	intPart, fracPart := t, ""
	if decimal != "" {
		i := strings.LastIndex(t, decimal)
		intPart, fracPart = t[:i], t[i+1:]
		if !allDigits(fracPart) {
			return 0, ErrSyntax
		}
	}
	if thousands != "" {
		groups := strings.Split(intPart, thousands)
		if groups[0] == "" || len(groups[0]) > 3 {
			return 0, ErrSyntax
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, ErrSyntax
			}
		}
		intPart = strings.Join(groups, "")
	}
	if !allDigits(intPart) {
		return 0, ErrSyntax
	}
	num := intPart
	if fracPart != "" {
		num += "." + fracPart
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, ErrSyntax
	}
	return v, nil
}

// separators returns the thousands and decimal marks of t.
func separators(t string) (thousands, decimal string) {
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

// Round rounds an amount to the cent.
func Round(v float64) float64 { return math.Round(v*100) / 100 }

// HasCents reports whether an amount, rounded to the cent, is not a whole
// number of euros (it is then shown with its cents).
func HasCents(v float64) bool {
	c := math.Round(v * 100)
	return math.Mod(c, 100) != 0
}
