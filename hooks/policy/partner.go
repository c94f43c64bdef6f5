package policy

import "github.com/relais/relais/hooks/roles"

// A user's partner follows its role's kind (SPEC §2: `partner` is required
// for partner roles). A partner-kind role without a partner has no company
// ceiling to stand on, and an internal or integration role with one would
// be counted as a partner's account by every check that reads `partner`.

// Codes of the refusals of UserPartnerProblem.
const (
	CodePartnerRequired  = "partner_required"
	CodePartnerForbidden = "partner_not_allowed"
)

// UserPartnerProblem returns the error code and message when a role kind
// and a partner id do not fit together, "" when they do.
func UserPartnerProblem(kind roles.Kind, partner string) (code, msg string) {
	switch {
	case kind == roles.Partner && partner == "":
		return CodePartnerRequired, "a partner role needs a partner company"
	case kind != roles.Partner && partner != "":
		return CodePartnerForbidden, "only partner roles belong to a partner company"
	}
	return "", ""
}
