// Package assign is the pure lead-distribution engine of Relais (SPEC §4.4,
// §4.5): it picks the assignment rule that applies to a lead, filters the
// partners that may receive an offer for it, and chooses one of them with the
// rule's strategy.
//
// The package does no I/O and never reads the clock: callers load rules,
// partners and offer history from PocketBase, pass the current time in, and
// persist the Decision. Given the same inputs every function returns the same
// output.
package assign

import (
	"errors"
	"fmt"
	"time"
)

// Strategy names, as stored in assignment_rules.strategy.
const (
	// StrategyRoundRobin offers to the partner offered least recently.
	StrategyRoundRobin = "round_robin"
	// StrategyWeighted makes a deterministic choice proportional to partner weights.
	StrategyWeighted = "weighted"
	// StrategyLeastLoaded offers to the partner with the lowest load against capacity.
	StrategyLeastLoaded = "least_loaded"
	// StrategyBestConversion offers to the partner with the best smoothed win rate.
	StrategyBestConversion = "best_conversion"
	// StrategyExclusive gives the lead to a single partner and nobody else.
	StrategyExclusive = "exclusive"
)

// Partner statuses, as stored in partners.status.
const (
	// StatusActive is the only status that can receive offers.
	StatusActive = "active"
	// StatusSuspended is a partner temporarily barred from offers.
	StatusSuspended = "suspended"
	// StatusEnded is a partner whose relationship is over.
	StatusEnded = "ended"
)

// Skip reasons returned by Eligible and collected in Decision.Skipped. They are
// stable machine-readable codes (used in logs, audit entries and the UI).
const (
	// ReasonSuspended: partner status is suspended.
	ReasonSuspended = "suspended"
	// ReasonEnded: partner status is ended.
	ReasonEnded = "ended"
	// ReasonInactive: partner status is empty or unknown (not active).
	ReasonInactive = "inactive"
	// ReasonContractEnded: partner contract_end is before now.
	ReasonContractEnded = "contract_ended"
	// ReasonAtCapacity: partner already holds Capacity open leads or more.
	ReasonAtCapacity = "at_capacity"
	// ReasonNoActiveUser: partner has no active user to work the lead.
	ReasonNoActiveUser = "no_active_user"
	// ReasonAlreadyDeclined: partner declined this lead, let an offer for it
	// expire, or currently holds a pending offer for it.
	ReasonAlreadyDeclined = "already_declined"
	// ReasonNotInRule: the rule lists its partners and this one is not listed.
	ReasonNotInRule = "not_in_rule"
	// ReasonTerritory: the rule has no partner list and the partner does not
	// serve the lead's territory.
	ReasonTerritory = "territory"
	// ReasonKind: the partner's kind is not in the rule's partner kinds.
	ReasonKind = "kind"
	// ReasonTier: the partner's tier is not in the rule's tiers.
	ReasonTier = "tier"
	// ReasonSegment: the partner does not serve the lead's segment.
	ReasonSegment = "segment"
)

// Sentinel errors; compare with errors.Is.
var (
	// ErrNoRule means no active assignment rule matches the lead.
	ErrNoRule = errors.New("assign: no matching assignment rule")
	// ErrNoCandidate means no partner can receive the offer.
	ErrNoCandidate = errors.New("assign: no eligible partner")
	// ErrExclusiveConflict means an exclusive rule without a partner list has
	// more than one eligible partner. It wraps ErrNoCandidate: the lead must
	// not be given to anyone until a channel manager resolves the overlap.
	ErrExclusiveConflict = fmt.Errorf("%w: exclusive rule has several eligible partners", ErrNoCandidate)
	// ErrUnknownStrategy means the rule names a strategy this package does not know.
	ErrUnknownStrategy = errors.New("assign: unknown strategy")
)

// Lead is what the engine needs to know about a lead.
type Lead struct {
	ID        string
	Territory string // territory record ID ("" = unknown)
	Segment   string
	Score     int

	// Certificates are the certificates the lead requires (see
	// RequiredCertificates): for each list, one valid certificate of any
	// of its kinds. nil: none.
	Certificates [][]string
}

// Partner is a candidate partner company with its current state.
type Partner struct {
	ID     string
	Kind   string // installer|reseller|distributor|integrator|referrer
	Tier   string // pilot|standard|strategic
	Status string // active|suspended|ended

	// ContractEnd is the instant the contract stops; zero means no end date.
	ContractEnd time.Time

	Territories []string // territory IDs served
	Segments    []string // segments served; empty = all segments

	Capacity  int // max open leads; <= 0 = unlimited
	OpenLeads int // leads currently offered, accepted, contacted or in meeting

	Weight float64 // for the weighted strategy; <= 0 or non-finite counts as 1

	ActiveUsers int // active users able to work a lead

	// Offered and Won are the partner's history for best_conversion: offers
	// received and leads won. See ConversionRate.
	Offered, Won int

	// LastOfferedAt is the time of the partner's latest offer (zero = never).
	LastOfferedAt time.Time

	// Certificates holds, per certificate kind, the latest valid-until
	// date of the partner's certificates of that kind.
	Certificates map[string]time.Time
}

// Rule mirrors an assignment_rules record.
type Rule struct {
	ID       string
	Name     string
	Priority int // lower is tried first
	Active   bool

	// Lead filters.
	Territory string   // "" = any territory
	Segments  []string // empty = any segment
	MinScore  int

	// Partner filters.
	PartnerKinds []string // empty = any kind
	Tiers        []string // empty = any tier
	Partners     []string // candidate pool; empty = partners serving the territory

	Strategy    string
	AcceptHours int // <= 0 = use the default from settings_prm
	MaxOffers   int // <= 0 = use the default from settings_prm
}

// Decision is the outcome of Select: the rule applied, the partner chosen and,
// for every partner that was not a candidate, why.
type Decision struct {
	Rule    Rule
	Partner Partner
	Skipped map[string]string // partner ID → skip reason code
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
