package access

import (
	"errors"
	"slices"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// Every change of the matrix (permissions and roles) is validated before
// it is stored: the matrix it would make must pass policy.Validate (SPEC
// §3.3), built-in roles keep their kind and cannot be deleted.

// ValidateCellChange validates the matrix a permissions record being saved
// would make; the error names the cell.
func ValidateCellChange(app core.App, cell *core.Record) error {
	return validateProspective(app, func(m *policy.Matrix) { upsertCell(m, cell) })
}

// ValidateRoleChange validates a roles record being saved: a built-in role
// keeps its kind, and the matrix it would make must be valid.
func ValidateRoleChange(app core.App, role *core.Record) error {
	if !role.IsNew() && role.Original().GetString("kind") != role.GetString("kind") && isBuiltinRole(role.Id) {
		return validation.Errors{"kind": validation.NewError("builtin_role", "the kind of a built-in role cannot change")}
	}
	return validateProspective(app, func(m *policy.Matrix) { upsertRole(m, role) })
}

// CheckRoleDelete refuses to delete a built-in role.
func CheckRoleDelete(role *core.Record) error {
	if isBuiltinRole(role.Id) {
		return errors.New("built-in roles cannot be deleted")
	}
	return nil
}

// isBuiltinRole reports whether id is one of policy.DefaultRoles.
func isBuiltinRole(id string) bool {
	return slices.ContainsFunc(policy.DefaultRoles(), func(r policy.Role) bool { return r.ID == id })
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
			// the reason code and its parameters let a page word it in its
			// reader's language (ui/matrix_cell.go)
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
	role := policy.Role{ID: r.Id, Name: r.GetString("name"), Kind: roles.Kind(r.GetString("kind"))}
	for i := range m.Roles {
		if m.Roles[i].ID == role.ID {
			m.Roles[i] = role
			return
		}
	}
	m.Roles = append(m.Roles, role)
}
