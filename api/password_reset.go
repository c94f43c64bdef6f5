package api

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/audit"
)

// auditPasswordReset records a password set through PocketBase's
// confirm-password-reset of users, as the UI's reset page does
// (account.ActionPasswordReset, by the account itself). The password is
// saved and answered by PocketBase first; an entry that cannot be written
// is logged.
func auditPasswordReset(e *core.RecordConfirmPasswordResetRequestEvent) error {
	if err := e.Next(); err != nil {
		return err
	}
	a := audit.ActorOf(e.RequestEvent)
	a.ID, a.Role, a.Partner = audit.ActorFields(e.Record)
	if err := audit.Append(e.App, a, account.ActionPasswordReset, e.Collection.Name, e.Record.Id, map[string]any{"email": e.Record.Email(), "via": "api"}); err != nil {
		e.App.Logger().Error("audit: password reset not recorded", "error", err)
	}
	return nil
}
