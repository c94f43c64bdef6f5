package api

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
)

// auditSettingsUpdate records every change of PocketBase's settings made
// through the API, in the transaction that stores them: which keys
// changed, with values only for the harmless ones (audit.SettingsDiff).
func auditSettingsUpdate(e *core.SettingsUpdateRequestEvent) error {
	app := e.App
	err := app.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		changes, err := audit.SettingsDiff(e.OldSettings, e.NewSettings)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		return audit.Append(tx, audit.ActorOf(e.RequestEvent), audit.ActionSettingsUpdate, "settings", "", changes)
	})
	e.App = app
	return err
}
