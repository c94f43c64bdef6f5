package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/notify"
)

// bindMail sends the e-mail of a notification of a mailed kind once its
// transaction has committed (PocketBase runs after-success hooks after
// the commit), unless its recipient chose to get that kind in the app
// only (users.mail_off); a failure is logged, the notification stays.
func bindMail(app core.App) {
	app.OnRecordAfterCreateSuccess("notifications").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisMail", Func: func(e *core.RecordEvent) error {
		if notify.Mailed(e.Record.GetString("kind")) {
			// the recipient may have asked for this kind in the app only
			wanted, err := notify.Wanted(e.App, e.Record)
			if err == nil && wanted {
				err = notify.Mail(e.App, e.Record)
			}
			if err != nil {
				e.App.Logger().Warn("notification e-mail not sent", "notification", e.Record.Id, "error", err)
			}
		}
		return e.Next()
	}})
}
