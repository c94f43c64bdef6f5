package hooks

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"
)

// internalLeadFields are Hidden in the schema (SPEC §3.3.8) and shown to
// internal roles only.
var internalLeadFields = []string{"source", "source_ref", "campaign", "created_by", "qualification_notes", "siret", "consent", "dedup_key", "duplicate_of", "forced", "offers_count", "held", "conflict_kind", "conflict_ref", "conflict_partner"}

// RoleKinds caches role id → kind; roles are few and change rarely, and
// the cache is reset whenever a role changes.
type RoleKinds struct {
	m sync.Map
}

// Kind returns the kind of the user's role ("" for guests, superusers and
// unknown roles).
func (rk *RoleKinds) Kind(app core.App, auth *core.Record) string {
	if auth == nil || auth.Collection().Name != "users" {
		return ""
	}
	id := auth.GetString("role")
	if k, ok := rk.m.Load(id); ok {
		return k.(string)
	}
	role, err := app.FindRecordById("roles", id)
	if err != nil {
		return ""
	}
	kind := role.GetString("kind")
	rk.m.Store(id, kind)
	return kind
}

// Reset forgets every cached kind.
func (rk *RoleKinds) Reset() { rk.m.Clear() }

// bindVisibility unhides internal-only fields for the roles allowed to see
// them. Hidden fields cannot be filtered or written by API clients, so the
// protection does not rely on this hook; it only widens what internal
// roles and integrations (for their own records) see.
func bindVisibility(app core.App, rk *RoleKinds) {
	app.OnRecordEnrich("leads").BindFunc(func(e *core.RecordEnrichEvent) error {
		if e.RequestInfo != nil && e.RequestInfo.Auth != nil {
			switch rk.Kind(e.App, e.RequestInfo.Auth) {
			case "internal":
				e.Record.Unhide(internalLeadFields...)
			case "integration":
				e.Record.Unhide("source", "source_ref")
			}
		}
		return e.Next()
	})
	app.OnRecordEnrich("activities").BindFunc(func(e *core.RecordEnrichEvent) error {
		if e.RequestInfo != nil && e.RequestInfo.Auth != nil {
			auth := e.RequestInfo.Auth
			kind := rk.Kind(e.App, auth)
			if kind == "internal" || (kind == "integration" && e.Record.GetString("author") == auth.Id) {
				e.Record.Unhide("recording")
			}
		}
		return e.Next()
	})
}
