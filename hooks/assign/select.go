package assign

import (
	"slices"
	"time"
)

// Select decides who receives the next offer for lead l: the rule from
// MatchRule, the candidates from Eligible, the partner from Pick with the
// rule's strategy, seeded with the rule ID. excluded holds the partner IDs
// that declined l, let an offer for it expire or hold a pending offer for it;
// it may be nil.
//
// For an exclusive rule that lists partners, only the first listed eligible
// partner is a candidate; without a list, exactly one partner must be eligible
// (ErrExclusiveConflict otherwise).
//
// Errors: ErrNoRule when no rule matches; ErrNoCandidate (or
// ErrExclusiveConflict, which wraps it) when nobody can take the lead, in
// which case the Decision still carries the Rule and Skipped so the caller can
// alert the channel manager with reasons; ErrUnknownStrategy for a rule with
// an unknown strategy. Decision.Skipped is never nil once a rule matched.
func Select(rules []Rule, l Lead, partners []Partner, excluded map[string]bool, now time.Time) (Decision, error) {
	r, ok := MatchRule(rules, l)
	if !ok {
		return Decision{}, ErrNoRule
	}
	d := Decision{Rule: r, Skipped: map[string]string{}}
	var candidates []Partner
	for _, p := range partners {
		if ok, reason := Eligible(p, l, r, excluded, now); ok {
			candidates = append(candidates, p)
		} else {
			d.Skipped[p.ID] = reason
		}
	}
	if r.Strategy == StrategyExclusive && len(r.Partners) > 0 {
		candidates = firstListed(candidates, r.Partners)
	}
	p, err := Pick(r.Strategy, candidates, l, r.ID)
	if err != nil {
		return d, err
	}
	d.Partner = p
	return d, nil
}

// firstListed returns the candidate that comes first in order, as a slice of
// at most one element.
func firstListed(candidates []Partner, order []string) []Partner {
	var best []Partner
	bestAt := len(order)
	for _, p := range candidates {
		if at := slices.Index(order, p.ID); at >= 0 && at < bestAt {
			best, bestAt = []Partner{p}, at
		}
	}
	return best
}
