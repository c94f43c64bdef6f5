package account

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/sessions"
)

// ActionPasswordChange is the audit action of a user changing their own
// password with the current one.
const ActionPasswordChange = "auth.password_change"

// ChangePassword sets a new password for by.User, as PATCH
// /api/collections/users/records/{id} with password, passwordConfirm and
// oldPassword would: the users UpdateRule must let the user send a
// password (access.CanDo), the current password must match (one bcrypt
// comparison, sessions.CheckPassword) and the new one fit the field's
// limits. The token key rotates: every session of the account ends,
// including the caller's (who gets a new one from the UI). Audited.
func ChangePassword(app core.App, by access.By, current, password, confirm string) error {
	if by.User == nil || by.User.Collection().Name != "users" {
		return domain.ErrForbidden
	}
	u, err := access.ViewFor(app, by.User, "users", by.User.Id)
	if err != nil {
		return err
	}
	ok, err := access.CanDo(app, by.User, u, "update", map[string]any{"password": password, "passwordConfirm": confirm, "oldPassword": current})
	if err != nil {
		return err
	}
	if !ok {
		return domain.Forbidden("not_allowed", "you may not change this record this way")
	}
	if !sessions.CheckPassword(app, "users", u, current) {
		return domain.Invalid("wrong_password", "oldPassword", "the current password is wrong")
	}
	if err := checkNewPassword(u, password, confirm); err != nil {
		return err
	}
	u.SetPassword(password)
	return app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(u); err != nil {
			return err
		}
		return audit.Append(tx, by.Actor, ActionPasswordChange, "users", u.Id, map[string]any{"email": u.Email()})
	})
}
