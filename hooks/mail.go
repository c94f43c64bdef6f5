package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/notify"
)

// bindMail binds the notification e-mails' outbox (package notify): the
// e-mails of a notification of a mailed kind are recorded in the
// transaction that creates it (notify.Enqueue), the sender is woken once
// it committed (notify.Kick: never waits, as after-commit hooks of a
// grouped ingest run in the writer's goroutine), and under `serve` the
// sender runs in the background until the app terminates: a slow or dead
// mail server delays the e-mails, never the writes. Opt-outs
// (users.mail_off) and the language are decided when an e-mail is sent.
func bindMail(app core.App) {
	app.OnRecordCreateExecute("notifications").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisMailEnqueue", Func: notify.Enqueue})
	app.OnRecordAfterCreateSuccess("notifications").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisMail", Func: func(e *core.RecordEvent) error {
		if notify.Mailed(e.Record.GetString("kind")) {
			notify.Kick(e.App)
		}
		return e.Next()
	}})
	// the sender, under `serve` only (se.Server is nil when tests build the
	// router; they send with notify.SendPending or start it themselves)
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{Id: "relaisMailSender", Func: func(se *core.ServeEvent) error {
		if se.Server != nil {
			stop := notify.StartSender(se.App)
			se.App.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{Id: "relaisMailSenderStop", Func: func(e *core.TerminateEvent) error {
				stop()
				return e.Next()
			}})
		}
		return se.Next()
	}})
}
