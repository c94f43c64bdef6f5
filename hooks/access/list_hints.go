package access

import (
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// List hints make the compiled rules fast without changing what they allow.
//
// A compiled ListRule is an OR of one branch per role, and its terms refer
// to the joined auth record (@request.auth.partner, …), so SQLite cannot use
// an index of the listed table to evaluate it: a partner's list would scan
// the whole table. For list requests, this middleware ANDs to the client's
// filter a hint with literal values taken from the caller (its partner, its
// territories and running territory grants, or the pool statuses). Every
// hint is implied by the caller's own branch of the rule — a superset of the
// rows the rule allows — so the result is exactly the same, only found
// through an index. The rule itself still decides. The api package ANDs
// the hint to the REST list requests (ListHintMiddlewareID), ListFor to its
// own.

var safeID = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// hintedField is, per collection, the field carrying the partner and the
// territory (empty when the collection has none).
var hintedField = map[string]struct{ partner, territory, status string }{
	"leads":         {"partner", "territory", "status"},
	"lead_offers":   {"partner", "", ""},
	"accounts":      {"partner", "territory", ""},
	"opportunities": {"partner", "territory", ""},
}

// poolHint is the hint of the pool level: the pool statuses,
// (status = 'new' || status = 'qualifying' || …).
var poolHint = func() string {
	parts := []string{}
	for _, st := range lifecycle.PoolStatuses() {
		parts = append(parts, "status = '"+st+"'")
	}
	return "(" + strings.Join(parts, " || ") + ")"
}()

// ListHint returns the hint for a user listing a collection ("" = none).
func ListHint(app core.App, user *core.Record, collection string, now time.Time) string {
	f, ok := hintedField[collection]
	if !ok || user == nil || user.Collection().Name != "users" {
		return ""
	}
	m, err := SharedMatrix(app) // read only
	if err != nil {
		return ""
	}
	role, ok := m.Role(user.GetString("role"))
	if !ok {
		return ""
	}
	resource := collection
	if collection == "lead_offers" {
		resource = "leads"
	}
	level := m.Cell(role.ID, resource).Read
	if role.Kind == roles.Partner {
		// the partner ceiling holds whatever the level
		p := user.GetString("partner")
		if p == "" || !safeID.MatchString(p) {
			return ""
		}
		return f.partner + " = '" + p + "'"
	}
	switch level {
	case policy.Territory:
		if f.territory == "" {
			return ""
		}
		// the running grants come with the caller's row the per-caller
		// rules read (grants_spec.go): no statement of their own
		granted, ok := runningGrants(app, user, now)
		if !ok {
			return ""
		}
		ts := append(append([]string{}, user.GetStringSlice("territories")...), granted...)
		var parts []string
		for _, t := range ts {
			if !safeID.MatchString(t) {
				return ""
			}
			parts = append(parts, f.territory+" = '"+t+"'")
		}
		if len(parts) == 0 {
			return f.territory + " = '__none__'"
		}
		return "(" + strings.Join(parts, " || ") + ")"
	case policy.Pool:
		if f.status == "" {
			return ""
		}
		return poolHint
	}
	return ""
}
