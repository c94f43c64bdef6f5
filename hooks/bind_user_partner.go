package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
)

// bindUserPartner validates the partner of users (access.CheckUserPartner)
// on every write path: the REST API, the UI's user administration, Go code
// and the commands.
func bindUserPartner(app core.App) {
	app.OnRecordValidate("users").BindFunc(func(e *core.RecordEvent) error {
		if err := access.CheckUserPartner(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	})
}
