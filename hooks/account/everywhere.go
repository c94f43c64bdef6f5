package account

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/sessions"
)

// ActionLogoutEverywhere is the audit action of "log out everywhere".
const ActionLogoutEverywhere = "auth.logout_everywhere"

// LogoutEverywhere ends every session of by.User, the caller's included:
// the token key rotates (every token ever issued to the account stops
// authenticating, on the UI, the REST API and realtime) and the sessions
// are deleted (sessions.EndWhenKeyRotates). Any user may do it for
// themselves: it changes no field they could not change. Audited with the
// number of sessions ended.
func LogoutEverywhere(app core.App, by access.By) (int, error) {
	if by.User == nil || by.User.Collection().Name != "users" {
		return 0, domain.ErrForbidden
	}
	n := 0
	err := app.RunInTransaction(func(tx core.App) error {
		u, err := tx.FindRecordById("users", by.User.Id)
		if err != nil {
			return err
		}
		devices, err := sessions.Count(tx, u)
		if err != nil {
			return err
		}
		n = devices
		u.RefreshTokenKey()
		if err := tx.Save(u); err != nil {
			return err
		}
		return audit.Append(tx, by.Actor, ActionLogoutEverywhere, "users", u.Id, map[string]any{"sessions": n})
	})
	return n, err
}
