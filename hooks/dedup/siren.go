package dedup

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidSIREN is returned (wrapped) by [NormalizeSIREN] for input that is
// neither a valid SIREN nor a valid SIRET.
var ErrInvalidSIREN = errors.New("invalid SIREN/SIRET")

// laPostePrefix is the SIREN of La Poste, whose establishments' SIRETs do not
// follow the Luhn rule: their digit sum is a multiple of 5 instead.
const laPostePrefix = "356000000"

// NormalizeSIREN accepts a SIREN (9 digits) or a SIRET (14 digits), with
// spaces, dots, dashes or non-breaking spaces as separators, checks it and
// returns the 9-digit SIREN.
//
// Checks: a SIREN must pass the Luhn checksum; a SIRET must pass the Luhn
// checksum on its 14 digits, except La Poste SIRETs (prefix 356000000) whose
// digit sum is a multiple of 5, and its SIREN part must pass too. An all-zero
// number is rejected although it is Luhn-valid.
func NormalizeSIREN(s string) (siren string, err error) {
	digits := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '\t', '\u00a0', '\u202f':
			return -1
		}
		return r
	}, s)
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("%w: %q contains non-digits", ErrInvalidSIREN, s)
		}
	}
	switch len(digits) {
	case 9:
		siren = digits
	case 14:
		if !siretChecksumOK(digits) {
			return "", fmt.Errorf("%w: SIRET %s fails its checksum", ErrInvalidSIREN, digits)
		}
		siren = digits[:9]
	default:
		return "", fmt.Errorf("%w: %q has %d digits, want 9 or 14", ErrInvalidSIREN, s, len(digits))
	}
	if strings.Trim(siren, "0") == "" {
		return "", fmt.Errorf("%w: SIREN is all zeros", ErrInvalidSIREN)
	}
	if !luhnValid(siren) {
		return "", fmt.Errorf("%w: SIREN %s fails its checksum", ErrInvalidSIREN, siren)
	}
	return siren, nil
}

// siretChecksumOK applies the SIRET rule to 14 ASCII digits. La Poste SIRETs
// are accepted with either rule, since its head office
// (35600000000048) follows Luhn while its other establishments do not.
func siretChecksumOK(siret string) bool {
	if luhnValid(siret) {
		return true
	}
	return strings.HasPrefix(siret, laPostePrefix) && digitSum(siret)%5 == 0
}

// luhnValid reports whether a string of ASCII digits passes the Luhn check.
func luhnValid(digits string) bool {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// digitSum adds up a string of ASCII digits.
func digitSum(digits string) int {
	sum := 0
	for i := 0; i < len(digits); i++ {
		sum += int(digits[i] - '0')
	}
	return sum
}
