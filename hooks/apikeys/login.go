package apikeys

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/roles"
)

// ActionPasswordLogin is the audit action of the setting that refuses
// password logins of integration accounts.
const ActionPasswordLogin = "settings.integration_password_off"

// PasswordLoginOff is the refusal code of a password login of an
// integration account while settings_prm.integration_password_off is set.
const PasswordLoginOff = "password_login_off"

// PasswordLoginRefused reports whether u may not log in with a password:
// an integration account while the setting is on (it uses API keys).
func PasswordLoginRefused(app core.App, u *core.Record) (bool, error) {
	s, err := access.LoadSettings(app)
	if err != nil || !s.IntegrationPasswordOff {
		return false, err
	}
	return access.HasKind(app, u, roles.Integration)
}

// SetPasswordLoginOff turns the refusal of integration password logins on
// or off, audited in the same transaction.
func SetPasswordLoginOff(app core.App, actor audit.Actor, off bool) error {
	return audit.SetFlag(app, actor, ActionPasswordLogin, "settings_prm", access.SettingsID, "integration_password_off", off)
}
