package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/intake"
)

// bindPrivateLeads guards every save of a lead and labels private
// customers' leads in API responses (REST, expand, realtime, export).
func bindPrivateLeads(app core.App) {
	app.OnRecordCreate("leads").BindFunc(intake.GuardPrivateLead)
	app.OnRecordUpdate("leads").BindFunc(intake.GuardPrivateLead)
	app.OnRecordEnrich("leads").BindFunc(func(e *core.RecordEnrichEvent) error {
		var auth *core.Record
		if e.RequestInfo != nil {
			auth = e.RequestInfo.Auth
		}
		intake.LabelPrivate(auth, e.Record)
		return e.Next()
	})
}
