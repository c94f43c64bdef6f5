package distribution

import (
	"strings"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
)

// The decisions a channel manager takes on a lead held as a channel
// conflict (a lead matching an open lead, an account entrusted to a
// partner or a protected deal registration: intake holds it).
const (
	// ArbitrateAssignHolder offers the lead to the partner that holds the
	// customer (the matched record's partner).
	ArbitrateAssignHolder = "assign_holder"
	// ArbitrateAssignOther offers the lead to another partner.
	ArbitrateAssignOther = "assign_other"
	// ArbitrateMerge closes the lead as merged into the lead it matched;
	// its activities and contact are kept on that lead.
	ArbitrateMerge = "merge"
	// ArbitrateReturn releases the hold and sends the lead back to the
	// pool for qualification (not distributed).
	ArbitrateReturn = "return_pool"
	// ArbitrateDismiss says the lead is not a duplicate: the hold and the
	// match are cleared and a ready lead is distributed at once.
	ArbitrateDismiss = "dismiss"
)

// ActionArbitrate is the audit action of an arbitration.
const ActionArbitrate = "lead.arbitrate"

// MergedReason is the lost_reason of a lead closed as merged into another.
const MergedReason = "merged"

// ArbitrationActions lists the actions in the order the UI shows them.
func ArbitrationActions() []string {
	return []string{ArbitrateAssignHolder, ArbitrateAssignOther, ArbitrateMerge, ArbitrateReturn, ArbitrateDismiss}
}

// heldLead is what the arbitration decision reads of a held lead.
type heldLead struct {
	Held         bool
	Status       string
	ConflictKind string // lead, account, registration
	ConflictRef  string // id of the matched record
	Holder       string // partner holding the matched record ("" if none)
}

// arbitrationStep decides whether action may be taken on the lead and, for
// the two assignments, to which partner (target is the partner chosen for
// ArbitrateAssignOther). It refuses a lead that is not held or no longer in
// the pool, an assignment to the holder when the match has no partner, and
// a merge unless the lead matched another lead.
func arbitrationStep(action string, l heldLead, target string) (partner string, err error) {
	if !l.Held {
		return "", domain.Conflict("not_held", "this lead is not held as a channel conflict")
	}
	if !lifecycle.InPool(l.Status) {
		return "", domain.Conflict("not_assignable", "a lead in status "+l.Status+" cannot be arbitrated")
	}
	switch action {
	case ArbitrateAssignHolder:
		if l.Holder == "" {
			return "", domain.Conflict("no_holder", "the matched record is not held by a partner")
		}
		return l.Holder, nil
	case ArbitrateAssignOther:
		if strings.TrimSpace(target) == "" {
			return "", domain.Invalid("required", "partner", "partner is required")
		}
		return target, nil
	case ArbitrateMerge:
		if l.ConflictKind != "lead" || l.ConflictRef == "" {
			return "", domain.Conflict("not_mergeable", "only a lead that matched another lead can be merged into it")
		}
		return "", nil
	case ArbitrateReturn, ArbitrateDismiss:
		return "", nil
	}
	return "", domain.Invalid("invalid_value", "action", "unknown arbitration action")
}

// checkArbitrationReason validates the mandatory reason of an arbitration
// (3 to 500 characters once trimmed) and returns it trimmed.
func checkArbitrationReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := len([]rune(reason)); {
	case n < 3:
		return "", domain.Invalid("required", "reason", "a reason is required to arbitrate a conflict")
	case n > 500:
		return "", domain.Invalid("too_long", "reason", "the reason is longer than 500 characters")
	}
	return reason, nil
}
