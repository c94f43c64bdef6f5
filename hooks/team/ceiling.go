package team

import (
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// Member is what the ceiling needs of an account: its role's kind, whether
// the role sees its company's users (users read = org: a manager), and its
// partner company.
type Member struct {
	Kind    roles.Kind
	Manager bool
	Partner string
}

// Codes of the refusals of Ceiling.
const (
	CodeNotManager   = "team_not_manager"
	CodeOtherPartner = "team_other_partner"
	CodeRole         = "team_role"
	CodeSelf         = "team_self"
)

// IsManager reports whether a role kind and its users read level make a
// team manager: a partner role that sees its company's users.
func IsManager(kind roles.Kind, usersRead policy.Level) bool {
	return kind == roles.Partner && usersRead == policy.Org
}

// Ceiling refuses what a partner manager may not do to (or create as) an
// account: actor must be a manager with a company, and the target a
// non-manager partner role of the same company. It is a pure decision;
// the caller checks that the actor is not the target.
func Ceiling(actor, target Member) error {
	switch {
	case !actor.Manager || actor.Kind != roles.Partner || actor.Partner == "":
		return domain.Forbidden(CodeNotManager, "only a partner manager manages its company's team")
	case target.Kind != roles.Partner || target.Manager:
		return domain.Forbidden(CodeRole, "a partner manager invites and deactivates salespeople only")
	case target.Partner != actor.Partner:
		return domain.Forbidden(CodeOtherPartner, "a partner manager manages its own company's accounts only")
	}
	return nil
}
