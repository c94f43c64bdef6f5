package dedup

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region assumed for numbers written without an
// international prefix.
const DefaultRegion = "FR"

// maxPhoneLen bounds the input handed to the phone parser.
const maxPhoneLen = 40

// ErrInvalidPhone is returned (wrapped) by [NormalizePhone] for input that is
// not a valid phone number.
var ErrInvalidPhone = errors.New("invalid phone number")

// NormalizePhone parses a phone number written in any usual notation
// ("06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78",
// "0033612345678") and returns it in E.164 ("+33612345678").
// defaultRegion (ISO 3166 code, "" means [DefaultRegion]) applies to numbers
// without an international prefix; with "FR", national numbers of the
// overseas départements ("0590 12 34 56") get their own country code
// (+590). Letters, incomplete and unallocated
// numbers are rejected with an error wrapping [ErrInvalidPhone].
func NormalizePhone(s, defaultRegion string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalidPhone)
	}
	if len(s) > maxPhoneLen {
		return "", fmt.Errorf("%w: too long", ErrInvalidPhone)
	}
	// The parser would turn vanity letters into digits ("1-800-FLOWERS");
	// in a lead form letters mean garbage, not a number.
	if strings.IndexFunc(s, unicode.IsLetter) >= 0 {
		return "", fmt.Errorf("%w: contains letters", ErrInvalidPhone)
	}
	if defaultRegion == "" {
		defaultRegion = DefaultRegion
	}
	defaultRegion = strings.ToUpper(defaultRegion)
	num, err := phonenumbers.Parse(s, defaultRegion)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalidPhone, err)
	}
	if phonenumbers.IsValidNumber(num) {
		return phonenumbers.Format(num, phonenumbers.E164), nil
	}
	// Overseas départements have their own country codes but are dialled
	// from mainland France as national numbers ("0590 12 34 56").
	if defaultRegion == "FR" && !strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "00") {
		for _, region := range frenchOverseasRegions() {
			dom, err := phonenumbers.Parse(s, region)
			if err == nil && phonenumbers.IsValidNumber(dom) {
				return phonenumbers.Format(dom, phonenumbers.E164), nil
			}
		}
	}
	return "", fmt.Errorf("%w: not a valid number", ErrInvalidPhone)
}

// frenchOverseasRegions lists the regions of the overseas départements
// (971 Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion, 975
// Saint-Pierre-et-Miquelon, 976 Mayotte) tried for national numbers that
// are not valid in mainland France.
func frenchOverseasRegions() []string {
	return []string{"GP", "MQ", "GF", "RE", "PM", "YT"}
}
