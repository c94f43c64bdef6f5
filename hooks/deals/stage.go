package deals

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/relais/relais/hooks/roles"
)

// The opportunity stage machine of SPEC §2 (opportunities.stage): which
// stage moves a user may make, what a closing move needs, and when a win
// must be validated by a channel manager before it counts.
//
// It is pure logic: the caller (a PocketBase hook, a route or a UI handler)
// tells [Decide] who acts (the kind of their role and whether they validate
// wins) and what changes, and gets back [Apply], [Pending] or an *Error.
//
// The table:
//
//	create                 → prospecting | qualified | proposal | negotiation
//	open  → open           anyone who may update the opportunity
//	open  → lost           needs a lost reason
//	open  → won            needs an amount > 0; above the validation amount
//	                       (settings_prm.won_validation_amount) a
//	                       non-validator's win becomes Pending: the stage
//	                       stays where it was and a validator decides
//	won|lost → any         validators only (reopen, or correct an outcome)
//	won|lost, same stage   the amount of a closed opportunity is changed by
//	                       validators only (a win must not grow past the
//	                       validation amount afterwards)
//
// Integration roles never move opportunities.

// Stages of an opportunity, in pipeline order.
const (
	Prospecting = "prospecting"
	Qualified   = "qualified"
	Proposal    = "proposal"
	Negotiation = "negotiation"
	Won         = "won"
	Lost        = "lost"
)

// Stages returns every stage in pipeline order, as a fresh slice.
func Stages() []string {
	return []string{Prospecting, Qualified, Proposal, Negotiation, Won, Lost}
}

// OpenStages returns the stages of an opportunity still being worked.
func OpenStages() []string {
	return []string{Prospecting, Qualified, Proposal, Negotiation}
}

// Valid reports whether s is a known stage.
func Valid(s string) bool { return slices.Contains(Stages(), s) }

// Open reports whether s is an open (not closed) stage.
func Open(s string) bool { return slices.Contains(OpenStages(), s) }

// Closed reports whether s is a final outcome.
func Closed(s string) bool { return s == Won || s == Lost }

// Actor is who moves the opportunity.
type Actor struct {
	Kind roles.Kind
	// Validator is true for roles that validate wins above the validation
	// amount (by default: channel managers in their territories, admins).
	Validator bool
}

// Change is one requested move. From is "" when the opportunity is being
// created.
type Change struct {
	From, To string
	// Amount is the amount the opportunity will have after the change.
	Amount float64
	// AmountChanged is true when the change also edits the amount.
	AmountChanged bool
	// LostReason is the reason the opportunity will carry after the change.
	LostReason string
	// Threshold is settings_prm.won_validation_amount; 0 means no
	// validation is ever needed.
	Threshold float64
}

// Outcome tells the caller what to do with an accepted change.
type Outcome string

const (
	// Apply means the change is stored as requested.
	Apply Outcome = "apply"
	// Pending means the requested win waits for a validator: the stage
	// stays where it was and the request is recorded.
	Pending Outcome = "pending"
)

// Error codes.
const (
	CodeUnknownStage    = "unknown_stage"
	CodeNotAllowed      = "stage_not_allowed"
	CodeClosed          = "opportunity_closed"
	CodeOutcomeRequired = "outcome_required"
)

// Error explains a refused change; Field names the input to fix.
type Error struct {
	Code, Field, Reason string
}

// Error implements error.
func (e *Error) Error() string { return e.Reason }

func fail(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Decide applies the table to a change. It returns Apply or Pending, or an
// *Error when the change is refused.
func Decide(a Actor, c Change) (Outcome, error) {
	if c.From != "" && !Valid(c.From) {
		return "", fail(CodeUnknownStage, "stage", "unknown stage %q", c.From)
	}
	if !Valid(c.To) {
		return "", fail(CodeUnknownStage, "stage", "stage must be one of %s", strings.Join(Stages(), ", "))
	}
	switch a.Kind {
	case roles.Internal, roles.Partner:
	default:
		return "", fail(CodeNotAllowed, "stage", "this role cannot change opportunities")
	}
	if c.From == "" {
		if !Open(c.To) {
			return "", fail(CodeNotAllowed, "stage", "an opportunity is created open (%s) and closed afterwards", strings.Join(OpenStages(), ", "))
		}
		return Apply, nil
	}
	if Closed(c.From) && !a.Validator {
		if c.To != c.From {
			return "", fail(CodeClosed, "stage", "a %s opportunity is reopened by a channel manager", c.From)
		}
		if c.AmountChanged {
			return "", fail(CodeClosed, "amount", "the amount of a %s opportunity is changed by a channel manager", c.From)
		}
		return Apply, nil
	}
	switch c.To {
	case Lost:
		if c.From != Lost && strings.TrimSpace(c.LostReason) == "" {
			return "", fail(CodeOutcomeRequired, "lost_reason", "a lost opportunity needs a reason")
		}
	case Won:
		if math.IsNaN(c.Amount) || math.IsInf(c.Amount, 0) || c.Amount <= 0 {
			return "", fail(CodeOutcomeRequired, "amount", "a won opportunity needs an amount greater than zero")
		}
		if c.From != Won && NeedsValidation(a, c.Amount, c.Threshold) {
			return Pending, nil
		}
	}
	return Apply, nil
}

// NeedsValidation reports whether a win of this amount by this actor waits
// for a validator.
func NeedsValidation(a Actor, amount, threshold float64) bool {
	return !a.Validator && threshold > 0 && amount > threshold
}

// Targets returns the stages an actor may request from a stage (Pending
// outcomes included), for a drop-down. Amount and reason requirements are
// assumed met.
func Targets(a Actor, from string) []string {
	var out []string
	for _, to := range Stages() {
		if to == from {
			continue
		}
		if _, err := Decide(a, Change{From: from, To: to, Amount: 1, LostReason: "x"}); err == nil {
			out = append(out, to)
		}
	}
	return out
}
