package lifecycle

import (
	"fmt"
	"math"
	"strings"

	"github.com/relais/relais/hooks/roles"
)

// Error codes returned by [TransitionError.Code] and [OutcomeError.Code].
const (
	CodeNotAllowed      = "transition_not_allowed"
	CodeUseOfferRoute   = "use_offer_route"
	CodeUnknownStatus   = "unknown_status"
	CodeUnknownKind     = "unknown_role_kind"
	CodeOutcomeRequired = "outcome_required"
)

// edges is a set of allowed status moves, keyed by "from" then "to".
type edges map[string]map[string]bool

// allows reports whether the move from → to is in the set.
func (e edges) allows(from, to string) bool {
	return e[from][to]
}

// poolEdges are the moves of the prospecting team (teleoperator), limited to
// the central pool (SPEC §4.3):
//
//	new        → qualifying, ready
//	qualifying → ready
//	ready      → qualifying
//	recycled   → qualifying
func poolEdges() edges {
	return edges{
		StatusNew:        {StatusQualifying: true, StatusReady: true},
		StatusQualifying: {StatusReady: true},
		StatusReady:      {StatusQualifying: true},
		StatusRecycled:   {StatusQualifying: true},
	}
}

// workEdges are the moves of whoever works an accepted lead: partner roles,
// and internal sales on the leads assigned to them (SPEC §4.6):
//
//	accepted  → contacted, meeting, lost
//	contacted → meeting, won, lost
//	meeting   → contacted (rescheduled), won, lost
//
// offered → accepted or declined is not a status edit: it goes through the
// accept and decline routes.
func workEdges() edges {
	return edges{
		StatusAccepted:  {StatusContacted: true, StatusMeeting: true, StatusLost: true},
		StatusContacted: {StatusMeeting: true, StatusWon: true, StatusLost: true},
		StatusMeeting:   {StatusContacted: true, StatusWon: true, StatusLost: true},
	}
}

// managerEdges are the moves of channel managers and admins: every move
// except into offered or accepted (set only by the assign and accept routes)
// and, out of won or lost, every move except back to recycled.
func managerEdges() edges {
	e := edges{}
	for _, from := range Statuses() {
		e[from] = map[string]bool{}
		for _, to := range Statuses() {
			switch {
			case from == to:
			case to == StatusOffered || to == StatusAccepted:
			case Closed(from) && to != StatusRecycled:
			default:
				e[from][to] = true
			}
		}
	}
	return e
}

// roleEdges returns the moves a role may make by editing a lead's status,
// before the ceiling of its kind is applied. The boolean is false for a role
// name outside the default matrix.
//
//	role                           moves
//	admin, channel_manager         managerEdges
//	teleoperator                   poolEdges
//	partner_manager, partner_user  workEdges
//	sales                          workEdges (caller checks the lead is assigned to them)
//	integration                    none
func roleEdges(roleName string) (edges, bool) {
	switch roleName {
	case roles.Admin, roles.ChannelManager:
		return managerEdges(), true
	case roles.Teleoperator:
		return poolEdges(), true
	case roles.PartnerManager, roles.PartnerUser, roles.Sales:
		return workEdges(), true
	case roles.IntegrationRole:
		return edges{}, true
	}
	return nil, false
}

// effectiveEdges applies the ceiling of kind to the moves of roleName. A
// partner-kind role never gets more than workEdges and an integration-kind
// role gets nothing, whatever its name. A role added by an admin (a name
// outside the default matrix) gets its kind's default: workEdges for
// partner kinds, nothing otherwise.
func effectiveEdges(roleName string, kind roles.Kind) edges {
	own, known := roleEdges(roleName)
	switch kind {
	case roles.Integration:
		return edges{}
	case roles.Partner:
		ceiling := workEdges()
		if !known {
			return ceiling
		}
		out := edges{}
		for from, tos := range own {
			for to := range tos {
				if ceiling.allows(from, to) {
					if out[from] == nil {
						out[from] = map[string]bool{}
					}
					out[from][to] = true
				}
			}
		}
		return out
	default: // Internal
		if !known {
			return edges{}
		}
		return own
	}
}

// TransitionError explains why a status move was refused.
type TransitionError struct {
	From   string // stored status
	To     string // requested status
	Role   string // role name of the actor
	Reason string // why, in English, for logs and API messages
	code   string
}

// Error implements error.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("lead status %q → %q not allowed for role %q: %s", e.From, e.To, e.Role, e.Reason)
}

// Code returns a stable machine-readable code: one of [CodeNotAllowed],
// [CodeUseOfferRoute], [CodeUnknownStatus] or [CodeUnknownKind].
func (e *TransitionError) Code() string {
	if e.code == "" {
		return CodeNotAllowed
	}
	return e.code
}

// CanTransition returns nil when a user with role roleName of kind kind may
// move a lead from status from to status to by editing it, and a
// *TransitionError otherwise. Keeping the same status is always a no-op
// (nil), once both statuses and the kind are known.
//
// Callers still check record access: sales may work only leads assigned to
// them, and the permission matrix decides which leads a role can update.
func CanTransition(roleName string, kind roles.Kind, from, to string) error {
	fail := func(code, reason string) error {
		return &TransitionError{From: from, To: to, Role: roleName, Reason: reason, code: code}
	}
	switch {
	case !Valid(from):
		return fail(CodeUnknownStatus, fmt.Sprintf("unknown status %q", from))
	case !Valid(to):
		if from == StatusOffered && strings.EqualFold(to, "declined") {
			return fail(CodeUseOfferRoute, "an offer is declined with the decline route, not by editing the status")
		}
		return fail(CodeUnknownStatus, fmt.Sprintf("unknown status %q", to))
	}
	switch kind {
	case roles.Internal, roles.Partner, roles.Integration:
	default:
		return fail(CodeUnknownKind, fmt.Sprintf("unknown role kind %q", kind))
	}
	if from == to {
		return nil
	}
	if effectiveEdges(roleName, kind).allows(from, to) {
		return nil
	}
	code, reason := whyRefused(roleName, kind, from, to)
	return fail(code, reason)
}

// whyRefused explains a status move that the role's moves do not allow:
// the routes that make it, or why the role cannot.
func whyRefused(roleName string, kind roles.Kind, from, to string) (code, reason string) {
	switch {
	case from == StatusOffered && (to == StatusAccepted || kind == roles.Partner):
		return CodeUseOfferRoute, "an offer is answered with the accept or decline route, not by editing the status"
	case to == StatusOffered:
		return CodeUseOfferRoute, "a lead is offered with the assign route, not by editing the status"
	case to == StatusAccepted:
		return CodeUseOfferRoute, "a lead is accepted with the accept route, not by editing the status"
	case kind == roles.Integration || len(effectiveEdges(roleName, kind)) == 0:
		return CodeNotAllowed, "this role cannot change a lead's status"
	case Closed(from) && (roleName == roles.Admin || roleName == roles.ChannelManager) && kind == roles.Internal:
		return CodeNotAllowed, "a won or lost lead can only be recycled"
	case roleName == roles.Teleoperator && kind == roles.Internal:
		return CodeNotAllowed, "the prospecting team only moves leads within the central pool"
	}
	return CodeNotAllowed, "this status move is not part of the lead lifecycle for this role"
}

// Targets returns the statuses a role may move a lead to from status from,
// in lifecycle order (for a status drop-down). It excludes from itself and
// returns nil for an unknown status or kind.
func Targets(roleName string, kind roles.Kind, from string) []string {
	var out []string
	for _, to := range Statuses() {
		if to != from && CanTransition(roleName, kind, from, to) == nil {
			out = append(out, to)
		}
	}
	return out
}

// OutcomeError explains what a closing move (won or lost) is missing.
type OutcomeError struct {
	Status string // won or lost
	Field  string // "amount" or "reason": the form field to highlight
	Reason string // why, in English
}

// Error implements error.
func (e *OutcomeError) Error() string {
	return fmt.Sprintf("lead status %q: %s", e.Status, e.Reason)
}

// Code returns [CodeOutcomeRequired].
func (e *OutcomeError) Code() string {
	return CodeOutcomeRequired
}

// RequireOutcome checks the data a closing move needs (SPEC §4.6): won needs
// a finite amount greater than zero, lost needs a non-blank reason. Any other
// target status needs nothing and returns nil. Errors are *OutcomeError.
func RequireOutcome(to string, amount float64, reason string) error {
	switch to {
	case StatusWon:
		if math.IsNaN(amount) || math.IsInf(amount, 0) || amount <= 0 {
			return &OutcomeError{Status: to, Field: "amount", Reason: "a won lead needs an amount greater than zero"}
		}
	case StatusLost:
		if strings.TrimSpace(reason) == "" {
			return &OutcomeError{Status: to, Field: "reason", Reason: "a lost lead needs a reason"}
		}
	}
	return nil
}
