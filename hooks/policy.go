package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/access"
)

// bindPolicy validates every change of the matrix (permissions and roles)
// before it is stored, recompiles the collections' rules after it (after
// the cache reset: cacheResetPriority), and logs at start-up any drift
// between the matrix and the rules in force (SPEC §3.2).
func bindPolicy(app core.App) {
	app.OnRecordValidate("permissions").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisMatrixCell", Func: func(e *core.RecordEvent) error {
		if err := access.ValidateCellChange(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	}})
	app.OnRecordValidate("roles").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisMatrixRole", Func: func(e *core.RecordEvent) error {
		if err := access.ValidateRoleChange(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	}})
	app.OnRecordDelete("roles").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisBuiltinRoles", Func: func(e *core.RecordEvent) error {
		if err := access.CheckRoleDelete(e.Record); err != nil {
			return err
		}
		return e.Next()
	}})
	for _, c := range []string{"permissions", "roles"} {
		for _, ev := range []*hook.TaggedHook[*core.RecordEvent]{
			app.OnRecordAfterCreateSuccess(c), app.OnRecordAfterUpdateSuccess(c), app.OnRecordAfterDeleteSuccess(c),
		} {
			ev.Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisRecompile_" + c, Func: recompile})
		}
	}
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{Id: "relaisDriftCheck", Func: logDrift})
}

// recompile applies the matrix after a committed change of it.
func recompile(e *core.RecordEvent) error {
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

// logDrift logs the collections whose rules in force differ from the
// matrix.
func logDrift(se *core.ServeEvent) error {
	drift, err := access.Drift(se.App)
	if err != nil {
		se.App.Logger().Error("policy drift check failed", "error", err)
	} else if len(drift) > 0 {
		se.App.Logger().Warn("rules in force differ from the permission matrix: `relais policy check` shows how, `relais policy apply` recompiles them", "collections", drift)
	}
	return se.Next()
}
