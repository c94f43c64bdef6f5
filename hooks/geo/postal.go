package geo

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Errors returned by DepartementFromPostalCode and NormalizePostalCode. They
// are wrapped with the offending value; test them with errors.Is.
var (
	// ErrNotFrance means the country (or a Monaco 980xx postal code) is not France.
	ErrNotFrance = errors.New("geo: not a French address")
	// ErrInvalidPostalCode means the value is not a well-formed French postal code.
	ErrInvalidPostalCode = errors.New("geo: invalid French postal code")
	// ErrNoDepartement means a valid French postal code of an overseas
	// collectivité that has no département (984 TAAF, 986 Wallis-et-Futuna,
	// 987 Polynésie française, 988 Nouvelle-Calédonie).
	ErrNoDepartement = errors.New("geo: French postal code outside any département")
)

// frenchCountries are the country values treated as France: empty, the
// ISO codes and name of France, and the ISO codes of the overseas territories
// whose postal codes resolve to a département-like code (Saint-Barthélemy and
// Saint-Martin use Guadeloupe's 971xx postal codes).
var frenchCountries = []string{
	"", "FR", "FRA", "FRANCE",
	"GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF",
}

// IsFrance reports whether country designates France (case-insensitive,
// surrounding spaces ignored). An empty country is France: leads are French
// unless told otherwise.
func IsFrance(country string) bool {
	return slices.Contains(frenchCountries, upperTrim(country))
}

// NormalizePostalCode removes every space (including inside the code) and
// left-pads a 4-digit code with "0" ("1000" → "01000"). It returns a wrapped
// ErrInvalidPostalCode unless the result is exactly five ASCII digits.
func NormalizePostalCode(postal string) (string, error) {
	p := strings.Join(strings.Fields(postal), "")
	if len(p) == 4 && allDigits(p) {
		p = "0" + p
	}
	if len(p) != 5 || !allDigits(p) {
		return "", fmt.Errorf("%w: %q", ErrInvalidPostalCode, postal)
	}
	return p, nil
}

// DepartementFromPostalCode derives the département code of a French address
// from its postal code.
//
// Metropolitan codes give their first two digits, except Corsica: 200xx and
// 201xx are Corse-du-Sud ("2A"), 202xx and above Haute-Corse ("2B"). Overseas
// codes give three digits: 971 Guadeloupe (also Saint-Barthélemy 97133 and
// Saint-Martin 97150), 972 Martinique, 973 Guyane, 974 La Réunion,
// 975 Saint-Pierre-et-Miquelon, 976 Mayotte.
//
// Errors (all wrapped with the bad value): ErrNotFrance for a non-French
// country or a Monaco 980xx code; ErrNoDepartement for 984/986/987/988;
// ErrInvalidPostalCode for anything else that is not a real prefix
// ("00", "96", "99", 970, 977–979, ...).
func DepartementFromPostalCode(country, postal string) (string, error) {
	if !IsFrance(country) {
		return "", fmt.Errorf("%w: country %q", ErrNotFrance, country)
	}
	p, err := NormalizePostalCode(postal)
	if err != nil {
		return "", err
	}
	switch p[:2] {
	case "00", "96", "99":
		return "", fmt.Errorf("%w: %q", ErrInvalidPostalCode, postal)
	case "20":
		if p[2] == '0' || p[2] == '1' {
			return "2A", nil
		}
		return "2B", nil
	case "97":
		switch p[:3] {
		case "971", "972", "973", "974", "975", "976":
			return p[:3], nil
		}
		return "", fmt.Errorf("%w: %q", ErrInvalidPostalCode, postal)
	case "98":
		switch p[:3] {
		case "980":
			return "", fmt.Errorf("%w: Monaco postal code %q", ErrNotFrance, postal)
		case "984", "986", "987", "988":
			return "", fmt.Errorf("%w: %q", ErrNoDepartement, postal)
		}
		return "", fmt.Errorf("%w: %q", ErrInvalidPostalCode, postal)
	}
	return p[:2], nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func upperTrim(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}
