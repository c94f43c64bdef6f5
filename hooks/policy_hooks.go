package hooks

import (
	"errors"
	"slices"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/policy"
)

// bindPolicy validates every change of the matrix (permissions and roles)
// before it is stored and recompiles the collections' rules after it.
func bindPolicy(app core.App) {
	app.OnRecordValidate("permissions").BindFunc(func(e *core.RecordEvent) error {
		if err := validateProspective(e.App, func(m *policy.Matrix) { upsertCell(m, e.Record) }); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordValidate("roles").BindFunc(func(e *core.RecordEvent) error {
		if !e.Record.IsNew() && e.Record.Original().GetString("kind") != e.Record.GetString("kind") &&
			slices.ContainsFunc(policy.DefaultRoles(), func(r policy.Role) bool { return r.ID == e.Record.Id }) {
			return validation.Errors{"kind": validation.NewError("builtin_role", "the kind of a built-in role cannot change")}
		}
		if err := validateProspective(e.App, func(m *policy.Matrix) { upsertRole(m, e.Record) }); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordDelete("roles").BindFunc(func(e *core.RecordEvent) error {
		if slices.ContainsFunc(policy.DefaultRoles(), func(r policy.Role) bool { return r.ID == e.Record.Id }) {
			return errors.New("built-in roles cannot be deleted")
		}
		return e.Next()
	})
	recompile := func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		changed, err := ApplyPolicy(e.App)
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
		drift, err := Drift(se.App)
		if err != nil {
			se.App.Logger().Error("policy drift check failed", "error", err)
		} else if len(drift) > 0 {
			se.App.Logger().Warn("rules in force differ from the permission matrix: `relais policy check` shows how, `relais policy apply` recompiles them", "collections", drift)
		}
		return se.Next()
	})
}

// validateProspective loads the stored matrix, applies a pending change and
// validates the result, returning a field error naming the cell.
func validateProspective(app core.App, change func(*policy.Matrix)) error {
	m, err := LoadMatrix(app)
	if err != nil {
		return err
	}
	change(&m)
	if err := policy.Validate(m); err != nil {
		var ce *policy.CellError
		if errors.As(err, &ce) {
			field := ce.Action
			switch field {
			case "read", "update", "delete", "create", "export", "kind", "role", "resource":
			default:
				field = "resource"
			}
			params := map[string]any{"reason": ce.Code, "role": ce.Role, "resource": ce.Resource, "action": ce.Action}
			for k, v := range ce.Params {
				params[k] = v
			}
			return validation.Errors{field: validation.NewError("invalid_matrix", ce.Error()).SetParams(params)}
		}
		return err
	}
	return nil
}

func upsertCell(m *policy.Matrix, r *core.Record) {
	c := cellFromRecord(r)
	for i := range m.Cells {
		if m.Cells[i].Role == c.Role && m.Cells[i].Resource == c.Resource {
			m.Cells[i] = c
			return
		}
	}
	m.Cells = append(m.Cells, c)
}

func upsertRole(m *policy.Matrix, r *core.Record) {
	role := policy.Role{ID: r.Id, Name: r.GetString("name"), Kind: policy.Kind(r.GetString("kind"))}
	for i := range m.Roles {
		if m.Roles[i].ID == role.ID {
			m.Roles[i] = role
			return
		}
	}
	m.Roles = append(m.Roles, role)
}
