package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/governance"
)

// blockMessages are the login refusals shown to a user who typed the right
// password on a blocked account.
var blockMessages = map[string]string{
	"account_inactive": "This account is deactivated. Ask your Relais administrator. / Ce compte est désactivé. Contactez votre administrateur Relais.",
	"account_expired":  "This account has expired. Ask your Relais administrator. / Ce compte a expiré. Contactez votre administrateur Relais.",
	"partner_inactive": "Your company's partner access is suspended. / L'accès partenaire de votre société est suspendu.",
}

// bindAccounts revokes sessions when an account stops being usable (SPEC
// §3.3.5), refuses logins of blocked accounts with a clear message and
// records the last login.
func bindAccounts(app core.App) {
	app.OnRecordUpdate("users").BindFunc(func(e *core.RecordEvent) error {
		if governance.EndsSessions(e.Record) {
			e.Record.RefreshTokenKey()
		}
		return e.Next()
	})
	app.OnRecordCreate("users").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("locale") == "" {
			e.Record.Set("locale", "fr")
		}
		return e.Next()
	})
	app.OnRecordUpdate("partners").BindFunc(func(e *core.RecordEvent) error {
		old := e.Record.Original().GetString("status")
		if err := e.Next(); err != nil {
			return err
		}
		if old == "active" && e.Record.GetString("status") != "active" {
			return governance.RevokePartnerSessions(e.App, e.Record.Id)
		}
		return nil
	})
	// one password comparison per login attempt, blocked accounts refused
	// with a reason (passwords.go)
	bindPasswordAuth(app)
	app.OnRecordAuthRequest("users").BindFunc(func(e *core.RecordAuthRequestEvent) error {
		if e.AuthMethod == core.MFAMethodPassword {
			now := types.NowDateTime()
			// A direct update: recording a login is not a change of the account.
			if _, err := e.App.DB().NewQuery("UPDATE users SET last_login = {:t} WHERE id = {:id}").
				Bind(map[string]any{"t": now.String(), "id": e.Record.Id}).Execute(); err != nil {
				return err
			}
			e.Record.SetRaw("last_login", now)
		}
		return e.Next()
	})
}
