package assign

import (
	"cmp"
	"slices"
	"time"
)

// MatchRule returns the first active rule, by Priority ascending then ID,
// whose lead filters accept l: territory ("" = any), segments (empty = any)
// and MinScore (l.Score >= MinScore). It reports false when none matches.
// rules is not modified.
func MatchRule(rules []Rule, l Lead) (Rule, bool) {
	sorted := slices.Clone(rules)
	slices.SortStableFunc(sorted, func(a, b Rule) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.ID, b.ID))
	})
	for _, r := range sorted {
		if ruleMatches(r, l) {
			return r, true
		}
	}
	return Rule{}, false
}

// ruleMatches reports whether r is active and its lead filters accept l.
func ruleMatches(r Rule, l Lead) bool {
	switch {
	case !r.Active:
		return false
	case r.Territory != "" && r.Territory != l.Territory:
		return false
	case len(r.Segments) > 0 && !contains(r.Segments, l.Segment):
		return false
	case l.Score < r.MinScore:
		return false
	}
	return true
}

// AcceptBy returns the deadline of an offer made at offeredAt under r: the
// rule's AcceptHours, or defaultHours when the rule leaves it unset (<= 0).
// When both are unset the deadline is offeredAt itself, so a misconfiguration
// expires offers at once rather than leaving them open for ever.
func AcceptBy(r Rule, offeredAt time.Time, defaultHours int) time.Time {
	hours := r.AcceptHours
	if hours <= 0 {
		hours = defaultHours
	}
	if hours <= 0 {
		return offeredAt
	}
	return offeredAt.Add(time.Duration(hours) * time.Hour)
}

// OffersExhausted reports whether a lead that has already received offersMade
// offers must go back to the pool instead of being offered again: the limit is
// the rule's MaxOffers, or defaultMax when the rule leaves it unset (<= 0).
// With no limit at all (both <= 0) it never reports true.
func OffersExhausted(r Rule, offersMade, defaultMax int) bool {
	limit := r.MaxOffers
	if limit <= 0 {
		limit = defaultMax
	}
	return limit > 0 && offersMade >= limit
}
