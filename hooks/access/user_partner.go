package access

import (
	"database/sql"
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// A user's partner follows its role's kind (SPEC §2: `partner` is
// required for partner roles). A partner-kind role without a partner has
// no company ceiling to stand on, and an internal or integration role with
// one would be counted as a partner's account by every check that reads
// `partner`. The check runs as record validation, so it holds on every
// write path: the REST API, the UI's user administration (UpdateFor), Go
// code and the commands.

// CheckUserPartner validates the partner of a user on create, and on
// updates that change the role or the partner (an account saved before
// this check with an inconsistent pair can still be deactivated or
// renamed): a validation error on `partner` (policy.UserPartnerProblem),
// nil when the pair fits.
func CheckUserPartner(app core.App, u *core.Record) error {
	orig := u.Original()
	if !u.IsNew() && orig.GetString("role") == u.GetString("role") && orig.GetString("partner") == u.GetString("partner") {
		return nil
	}
	roleID := u.GetString("role")
	if roleID == "" {
		return nil // the required role is reported by the field's own validation
	}
	role, err := app.FindRecordById("roles", roleID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // an unknown role is reported by the relation's own validation
	}
	if err != nil {
		return err
	}
	if code, msg := policy.UserPartnerProblem(roles.Kind(role.GetString("kind")), u.GetString("partner")); code != "" {
		return validation.Errors{"partner": validation.NewError(code, msg)}
	}
	return nil
}
