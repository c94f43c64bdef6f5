// Package policy turns the Relais permission matrix (SPEC §3) into
// PocketBase collection rules.
//
// The matrix is data: one cell per (role, resource) with read, update and
// delete levels, a create flag and an export flag. Compile validates the
// matrix against the invariants of SPEC §3.3 and produces the List, View,
// Create, Update and Delete rule of every collection. It is a pure function:
// the hooks package loads the matrix from the database and applies the result.
package policy

import (
	"slices"

	"github.com/relais/relais/hooks/roles"
)

// Level is an access level of the matrix (SPEC §3.1).
type Level string

// The access levels, from narrowest to widest.
const (
	None      Level = "none"
	Own       Level = "own"
	Org       Level = "org"
	Territory Level = "territory"
	Pool      Level = "pool"
	All       Level = "all"
)

// Levels returns every level in matrix order.
func Levels() []Level { return []Level{None, Own, Org, Territory, Pool, All} }

// rank orders levels for ceiling checks. Pool and territory are both
// wider than org (they reach records of no partner or of other partners).
func (l Level) rank() int {
	switch l {
	case None:
		return 0
	case Own:
		return 1
	case Org:
		return 2
	case Territory, Pool:
		return 3
	case All:
		return 4
	}
	return -1
}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return l.rank() >= 0 }

// Role is a roles record as the compiler needs it. ID is the record id used
// in the compiled rules (the default roles use their name as id).
type Role struct {
	ID   string
	Name string
	Kind roles.Kind
}

// Cell is one permissions record: what a role may do on a resource.
type Cell struct {
	Role     string // role id
	Resource string
	Read     Level
	Update   Level
	Delete   Level
	Create   bool
	Export   bool
}

// Resources returns the matrix resources of SPEC §2, in display order.
func Resources() []string {
	return []string{
		"leads", "lead_contacts", "deal_terms", "accounts", "contacts",
		"opportunities", "activities", "documents", "campaigns", "tickets",
		"partners", "reports", "audit_log", "users",
	}
}

// IsResource reports whether name is a matrix resource.
func IsResource(name string) bool { return slices.Contains(Resources(), name) }

// Matrix is the whole permission matrix with the roles it refers to.
type Matrix struct {
	Roles []Role
	Cells []Cell
}

// Cell returns the cell of a role on a resource; a missing cell means no
// access at all (deny by default).
func (m Matrix) Cell(roleID, resource string) Cell {
	for _, c := range m.Cells {
		if c.Role == roleID && c.Resource == resource {
			return c
		}
	}
	return Cell{Role: roleID, Resource: resource, Read: None, Update: None, Delete: None}
}

// Role returns the role with the given id.
func (m Matrix) Role(id string) (Role, bool) {
	for _, r := range m.Roles {
		if r.ID == id {
			return r, true
		}
	}
	return Role{}, false
}
