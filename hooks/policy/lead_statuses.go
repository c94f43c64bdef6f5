package policy

import (
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/roles"
)

// LeadStatusesFor returns the lead statuses a role of kind may ever see
// with its read level on leads: none without read access, the statuses
// of a lead a partner holds for partner kinds (their ceiling is their own
// company's leads), the pool's statuses for a pool-only reader, every
// status otherwise. The leads list offers only these as filters.
func LeadStatusesFor(kind roles.Kind, read Level) []string {
	switch {
	case read == None || read == "":
		return nil
	case kind == roles.Partner:
		return lifecycle.PartnerStatuses()
	case read == Pool:
		return lifecycle.PoolStatuses()
	default:
		return lifecycle.Statuses()
	}
}
