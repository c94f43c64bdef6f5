package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/roles"
)

// internalLeadFields are Hidden in the schema (SPEC §3.3.8) and shown to
// internal roles only.
var internalLeadFields = []string{"source", "source_ref", "campaign", "created_by", "qualification_notes", "siret", "consent", "dedup_key", "duplicate_of", "forced", "offers_count", "held", "conflict_kind", "conflict_ref", "conflict_partner"}

// bindVisibility unhides internal-only fields for the roles allowed to see
// them. Hidden fields cannot be filtered or written by API clients, so the
// protection does not rely on this hook; it only widens what internal
// roles and integrations (for their own records) see. The kind of the
// role comes from the cached matrix (roleKindOf), so a change of a role's
// kind is seen by the next request.
func bindVisibility(app core.App) {
	app.OnRecordEnrich("leads").BindFunc(func(e *core.RecordEnrichEvent) error {
		if e.RequestInfo != nil && e.RequestInfo.Auth != nil {
			kind, err := roleKindOf(e.App, e.RequestInfo.Auth)
			if err != nil {
				return err
			}
			switch kind {
			case roles.Internal:
				e.Record.Unhide(internalLeadFields...)
			case roles.Integration:
				e.Record.Unhide("source", "source_ref")
			}
		}
		return e.Next()
	})
	app.OnRecordEnrich("activities").BindFunc(func(e *core.RecordEnrichEvent) error {
		if e.RequestInfo != nil && e.RequestInfo.Auth != nil {
			auth := e.RequestInfo.Auth
			kind, err := roleKindOf(e.App, auth)
			if err != nil {
				return err
			}
			if kind == roles.Internal || (kind == roles.Integration && e.Record.GetString("author") == auth.Id) {
				e.Record.Unhide("recording")
			}
		}
		return e.Next()
	})
}
