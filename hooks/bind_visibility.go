package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
)

// bindVisibility unhides internal-only fields for the roles allowed to see
// them. Hidden fields cannot be filtered or written by API clients, so the
// protection does not rely on this hook; it only widens what internal
// roles and integrations (for their own records) see. The kind of the
// role comes from the cached matrix (roleKindOf), so a change of a role's
// kind is seen by the next request.
func bindVisibility(app core.App) {
	app.OnRecordEnrich("leads").BindFunc(func(e *core.RecordEnrichEvent) error {
		if e.RequestInfo != nil {
			if err := access.ShowLeadFields(e.App, e.RequestInfo.Auth, e.Record); err != nil {
				return err
			}
		}
		return e.Next()
	})
	app.OnRecordEnrich("activities").BindFunc(func(e *core.RecordEnrichEvent) error {
		if e.RequestInfo != nil {
			if err := access.ShowRecording(e.App, e.RequestInfo.Auth, e.Record); err != nil {
				return err
			}
		}
		return e.Next()
	})
}
