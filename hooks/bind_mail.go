package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/notify"
)

// bindMail sends the e-mail of a notification once its transaction has
// committed (PocketBase runs after-success hooks after the commit).
func bindMail(app core.App) {
	app.OnRecordAfterCreateSuccess("notifications").BindFunc(func(e *core.RecordEvent) error {
		if notify.Mailed(e.Record.GetString("kind")) {
			if err := notify.Mail(e.App, e.Record); err != nil {
				e.App.Logger().Warn("notification e-mail not sent", "notification", e.Record.Id, "error", err)
			}
		}
		return e.Next()
	})
}
