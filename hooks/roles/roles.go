// Package roles names the roles of SPEC §1: the three kinds every role
// belongs to (and whose ceilings it inherits) and the ids of the built-in
// roles. Roles are data (the roles collection), so code compares a user's
// role with these ids only for what the built-in roles do by name (who
// decides access requests, who is notified); everything else goes by kind
// and by the permission matrix.
package roles

// Kind is the kind of a role (SPEC §2 roles.kind).
type Kind string

// The role kinds.
const (
	Internal    Kind = "internal"
	Partner     Kind = "partner"
	Integration Kind = "integration"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Internal || k == Partner || k == Integration }

// Ids of the built-in roles; a built-in role's id is its name.
const (
	Admin          = "admin"
	ChannelManager = "channel_manager"
	Sales          = "sales"
	Teleoperator   = "teleoperator"
	PartnerManager = "partner_manager"
	PartnerUser    = "partner_user"
	// IntegrationRole is the built-in role of kind Integration (both are
	// named "integration").
	IntegrationRole = "integration"
)
