package assign

import "time"

// Eligible reports whether partner p may receive an offer for lead l under
// rule r at time now. When it may not, reason is the code of the first check
// that failed, in this order:
//
//   - status not active: ReasonSuspended, ReasonEnded or ReasonInactive
//   - ContractEnd set and before now: ReasonContractEnded
//   - Capacity > 0 and OpenLeads >= Capacity: ReasonAtCapacity
//   - ActiveUsers <= 0: ReasonNoActiveUser
//   - excluded[p.ID] (declined, expired or pending offer for l): ReasonAlreadyDeclined
//   - r.Partners non-empty and p not listed: ReasonNotInRule
//   - r.Partners empty and p does not serve l.Territory (or it is ""): ReasonTerritory
//   - r.PartnerKinds non-empty and p.Kind not listed: ReasonKind
//   - r.Tiers non-empty and p.Tier not listed: ReasonTier
//   - p.Segments non-empty and l.Segment not listed: ReasonSegment
//   - l.Certificates not all met by p.Certificates at now: ReasonCertificate
//
// A rule that lists its partners overrides the territory check: the channel
// manager chose them explicitly. excluded may be nil.
func Eligible(p Partner, l Lead, r Rule, excluded map[string]bool, now time.Time) (ok bool, reason string) {
	if reason := statusReason(p, now); reason != "" {
		return false, reason
	}
	switch {
	case p.Capacity > 0 && p.OpenLeads >= p.Capacity:
		return false, ReasonAtCapacity
	case p.ActiveUsers <= 0:
		return false, ReasonNoActiveUser
	case excluded[p.ID]:
		return false, ReasonAlreadyDeclined
	}
	if reason := matchReason(p, l, r); reason != "" {
		return false, reason
	}
	if MissingCertificate(l.Certificates, p.Certificates, now) != nil {
		return false, ReasonCertificate
	}
	return true, ""
}

// statusReason is why a partner cannot work at now ("" when it can): not
// active, or past its contract end.
func statusReason(p Partner, now time.Time) string {
	switch p.Status {
	case StatusActive:
	case StatusSuspended:
		return ReasonSuspended
	case StatusEnded:
		return ReasonEnded
	default:
		return ReasonInactive
	}
	if !p.ContractEnd.IsZero() && p.ContractEnd.Before(now) {
		return ReasonContractEnded
	}
	return ""
}

// matchReason is why a partner does not fit the rule and the lead ("" when
// it does): not in the rule's partners (or, without them, not serving the
// lead's territory), not of the rule's kinds or tiers, not working the
// lead's segment.
func matchReason(p Partner, l Lead, r Rule) string {
	switch {
	case len(r.Partners) > 0 && !contains(r.Partners, p.ID):
		return ReasonNotInRule
	case len(r.Partners) == 0 && (l.Territory == "" || !contains(p.Territories, l.Territory)):
		return ReasonTerritory
	case len(r.PartnerKinds) > 0 && !contains(r.PartnerKinds, p.Kind):
		return ReasonKind
	case len(r.Tiers) > 0 && !contains(r.Tiers, p.Tier):
		return ReasonTier
	case len(p.Segments) > 0 && !contains(p.Segments, l.Segment):
		return ReasonSegment
	}
	return ""
}
