package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/governance"
)

// bindAccessRequests validates new requests and notifies the approvers.
func bindAccessRequests(app core.App) {
	app.OnRecordCreate("access_requests").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") == "" {
			e.Record.Set("status", "pending")
		}
		if err := e.Next(); err != nil {
			return err
		}
		return governance.NotifyApprovers(e.App, e.Record)
	})
	app.OnRecordValidate("access_requests").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.IsNew() {
			if err := governance.ValidateRequest(e.App, e.Record); err != nil {
				return err
			}
		}
		return e.Next()
	})
}
