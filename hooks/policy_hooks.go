package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
)

// bindPolicy validates every change of the matrix (permissions and roles)
// before it is stored and recompiles the collections' rules after it.
func bindPolicy(app core.App) {
	app.OnRecordValidate("permissions").BindFunc(func(e *core.RecordEvent) error {
		if err := access.ValidateCellChange(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordValidate("roles").BindFunc(func(e *core.RecordEvent) error {
		if err := access.ValidateRoleChange(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordDelete("roles").BindFunc(func(e *core.RecordEvent) error {
		if err := access.CheckRoleDelete(e.Record); err != nil {
			return err
		}
		return e.Next()
	})
	recompile := func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		changed, err := access.ApplyPolicy(e.App)
		if err != nil {
			return err
		}
		if len(changed) > 0 {
			e.App.Logger().Info("permission matrix recompiled", "record", e.Record.Id, "collection", e.Record.Collection().Name, "changed", changed)
		}
		return nil
	}
	for _, c := range []string{"permissions", "roles"} {
		app.OnRecordAfterCreateSuccess(c).BindFunc(recompile)
		app.OnRecordAfterUpdateSuccess(c).BindFunc(recompile)
		app.OnRecordAfterDeleteSuccess(c).BindFunc(recompile)
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		drift, err := access.Drift(se.App)
		if err != nil {
			se.App.Logger().Error("policy drift check failed", "error", err)
		} else if len(drift) > 0 {
			se.App.Logger().Warn("rules in force differ from the permission matrix: `relais policy check` shows how, `relais policy apply` recompiles them", "collections", drift)
		}
		return se.Next()
	})
}
