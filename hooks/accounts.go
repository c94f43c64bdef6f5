package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/sessions"
)

// Priorities of the users' update handlers: the revocation rotates the
// token key before the sessions hook compares it with the stored one.
const (
	revocationPriority  = -1
	sessionsEndPriority = 0
)

// bindAccounts ends the sessions of an account that stops being usable
// (SPEC §3.3.5: deactivation, expiry moved into the past, a new partner or
// role, its partner no longer active, its deletion), gives new users a
// language and checks that a user's partner fits its role.
func bindAccounts(app core.App) {
	app.OnRecordUpdate("users").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisRevocation", Priority: revocationPriority, Func: func(e *core.RecordEvent) error {
		if governance.EndsSessions(e.Record) {
			e.Record.RefreshTokenKey()
		}
		return e.Next()
	}})
	auth := []string{"users", core.CollectionNameSuperusers}
	app.OnRecordUpdate(auth...).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisSessionsEnd", Priority: sessionsEndPriority, Func: sessions.EndWhenKeyRotates})
	app.OnRecordDelete(auth...).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisSessionsEnd", Func: sessions.EndWhenDeleted})
	app.OnRecordCreate("users").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisDefaultLocale", Func: func(e *core.RecordEvent) error {
		governance.DefaultLocale(e.Record)
		return e.Next()
	}})
	app.OnRecordUpdate("partners").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisPartnerSessions", Func: func(e *core.RecordEvent) error {
		left := governance.PartnerLeft(e.Record)
		if err := e.Next(); err != nil {
			return err
		}
		if left {
			return governance.RevokePartnerSessions(e.App, e.Record.Id)
		}
		return nil
	}})
	// a partner role needs a partner, other roles have none (every write path)
	app.OnRecordValidate("users").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisUserPartner", Func: func(e *core.RecordEvent) error {
		if err := access.CheckUserPartner(e.App, e.Record); err != nil {
			return err
		}
		return e.Next()
	}})
}
