package dedup

import (
	"slices"
	"strings"
	"unicode"
)

// Key kinds, in decreasing order of strength. A key is kind + ":" + value.
const (
	KindSIREN   = "siren"
	KindEmail   = "email"
	KindPhone   = "phone"
	KindCompany = "company"
	KindDomain  = "domain"
)

// Input is the lead (or account) data that dedup keys are derived from.
// Phone and Mobile may be in any notation; SIRET may hold a SIREN or a SIRET.
type Input struct {
	Email, Phone, Mobile, SIRET, Company, PostalCode string
}

// Keys returns the sorted, duplicate-free set of keys for in. Fields that are
// empty or invalid produce no key. The company and domain keys need a postal
// code, and the domain key a non-free e-mail domain (see [EmailDomain]);
// phone numbers without an international prefix are read as French.
func Keys(in Input) []string {
	var keys []string
	if siren, err := NormalizeSIREN(in.SIRET); err == nil {
		keys = append(keys, KindSIREN+":"+siren)
	}
	if e := NormalizeEmail(in.Email); e != "" {
		keys = append(keys, KindEmail+":"+e)
	}
	for _, p := range []string{in.Phone, in.Mobile} {
		if e164, err := NormalizePhone(p, DefaultRegion); err == nil {
			keys = append(keys, KindPhone+":"+e164)
		}
	}
	if pc := normalizePostalCode(in.PostalCode); pc != "" {
		if c := NormalizeCompany(in.Company); c != "" {
			keys = append(keys, KindCompany+":"+c+"|"+pc)
		}
		if d := EmailDomain(in.Email); d != "" {
			keys = append(keys, KindDomain+":"+d+"|"+pc)
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// normalizePostalCode removes spaces and upper-cases a postal code; it
// returns "" unless the result is 3 to 10 ASCII letters, digits or hyphens
// (French codes are 5 digits: "69 003" gives "69003").
func normalizePostalCode(s string) string {
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s))
	if len(s) < 3 || len(s) > 10 {
		return ""
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' {
			return ""
		}
	}
	return s
}

// rankUnknown is the rank of a key whose kind is not one of the Kind*
// constants; such keys are never primary.
const rankUnknown = 5

// kindRank orders key kinds by strength, 0 being the strongest.
func kindRank(key string) int {
	kind, _, _ := strings.Cut(key, ":")
	switch kind {
	case KindSIREN:
		return 0
	case KindEmail:
		return 1
	case KindPhone:
		return 2
	case KindCompany:
		return 3
	case KindDomain:
		return 4
	}
	return rankUnknown
}

// Primary returns the single key to store in leads.dedup_key: the strongest
// kind present (siren > email > phone > company > domain), the smallest key
// of that kind when there are several, and "" when keys holds no known kind.
func Primary(keys []string) string {
	best, bestRank := "", rankUnknown
	for _, k := range keys {
		r := kindRank(k)
		if r == rankUnknown {
			continue
		}
		if r < bestRank || (r == bestRank && k < best) {
			best, bestRank = k, r
		}
	}
	return best
}

// Overlap returns the keys present in both a and b, sorted and without
// duplicates; nil when they share none. Inputs need not be sorted.
func Overlap(a, b []string) []string {
	in := make(map[string]bool, len(b))
	for _, k := range b {
		in[k] = true
	}
	var shared []string
	for _, k := range a {
		if k != "" && in[k] {
			shared = append(shared, k)
		}
	}
	slices.Sort(shared)
	return slices.Compact(shared)
}
