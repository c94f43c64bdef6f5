package hooks

import (
	"database/sql"
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/roles"
)

// A user's partner follows its role's kind (SPEC §2: `partner` is
// required for partner roles). A partner-kind role without a partner has
// no company ceiling to stand on, and an internal or integration role with
// one would be counted as a partner's account by every check that reads
// `partner`. The check runs as record validation, so it holds on every
// write path: the REST API, the UI's user administration (UpdateFor), Go
// code and the commands.

// Codes of the refusals of userPartnerProblem.
const (
	CodePartnerRequired  = "partner_required"
	CodePartnerForbidden = "partner_not_allowed"
)

// userPartnerProblem returns the error code and message when a role kind
// and a partner id do not fit together, "" when they do.
func userPartnerProblem(kind roles.Kind, partner string) (code, msg string) {
	switch {
	case kind == roles.Partner && partner == "":
		return CodePartnerRequired, "a partner role needs a partner company"
	case kind != roles.Partner && partner != "":
		return CodePartnerForbidden, "only partner roles belong to a partner company"
	}
	return "", ""
}

// bindUserPartner validates the partner of users on create, and on updates
// that change the role or the partner (an account saved before this check
// with an inconsistent pair can still be deactivated or renamed).
func bindUserPartner(app core.App) {
	app.OnRecordValidate("users").BindFunc(func(e *core.RecordEvent) error {
		u := e.Record
		orig := u.Original()
		if !u.IsNew() && orig.GetString("role") == u.GetString("role") && orig.GetString("partner") == u.GetString("partner") {
			return e.Next()
		}
		roleID := u.GetString("role")
		if roleID == "" {
			return e.Next() // the required role is reported by the field's own validation
		}
		role, err := e.App.FindRecordById("roles", roleID)
		if errors.Is(err, sql.ErrNoRows) {
			return e.Next() // an unknown role is reported by the relation's own validation
		}
		if err != nil {
			return err
		}
		if code, msg := userPartnerProblem(roles.Kind(role.GetString("kind")), u.GetString("partner")); code != "" {
			return validation.Errors{"partner": validation.NewError(code, msg)}
		}
		return e.Next()
	})
}
