package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/intake"
)

// bindDeals binds opportunities, deal registration, documents and the
// account duplicate keys.
func bindDeals(app core.App) {

	app.OnRecordEnrich("opportunities").BindFunc(func(e *core.RecordEnrichEvent) error {
		if e.RequestInfo != nil {
			if err := deals.ShowOpportunityFields(e.App, e.RequestInfo.Auth, e.Record); err != nil {
				return err
			}
		}
		return e.Next()
	})

	// Priority -1: before the audit wrapper, so that the audited diff holds
	// what these hooks derive (territory, pending win).
	app.OnRecordCreateRequest("opportunities").Bind(&hook.Handler[*core.RecordRequestEvent]{
		Priority: -1,
		Func: func(e *core.RecordRequestEvent) error {
			if err := deals.PrepareOpportunity(e.App, e.Auth, e.Record); err != nil {
				return APIError(e.RequestEvent, err)
			}
			return e.Next()
		},
	})
	app.OnRecordUpdateRequest("opportunities").Bind(&hook.Handler[*core.RecordRequestEvent]{
		Priority: -1,
		Func: func(e *core.RecordRequestEvent) error {
			outcome, err := deals.ApplyStage(e.App, e.Auth, e.Record)
			if err != nil {
				return APIError(e.RequestEvent, err)
			}
			if outcome != deals.Pending {
				return e.Next()
			}
			orig := e.App // restored for what runs after the commit (see bindRollups)
			defer func() { e.App = orig }()
			return e.App.RunInTransaction(func(tx core.App) error {
				e.App = tx
				if err := e.Next(); err != nil {
					return err
				}
				return deals.NotifyWinToValidate(tx, e.Record, e.Auth)
			})
		},
	})
	app.OnRecordDelete("opportunities").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return intake.DeleteKeys(e.App, "registration", e.Record.Id)
	})

	bindAccountKeys(app)
	bindDocuments(app)
	bindDealRoutes(app)
}

// bindAccountKeys keeps the duplicate keys of accounts (SIREN, company +
// postal code) in dedup_keys, so that leads and deal registrations
// matching an account entrusted to a partner are detected (SPEC §4.2).
func bindAccountKeys(app core.App) {
	keyFields := []string{"name", "siren", "postal_code", "partner"}
	app.OnRecordCreate("accounts").BindFunc(func(e *core.RecordEvent) error {
		e.Record.Set("dedup_key", dedup.Primary(deals.AccountKeys(e.Record)))
		if err := e.Next(); err != nil {
			return err
		}
		return deals.RefreshAccountKeys(e.App, e.Record)
	})
	app.OnRecordUpdate("accounts").BindFunc(func(e *core.RecordEvent) error {
		changed := false
		for _, f := range keyFields {
			if e.Record.Original().GetString(f) != e.Record.GetString(f) {
				changed = true
			}
		}
		if changed {
			e.Record.Set("dedup_key", dedup.Primary(deals.AccountKeys(e.Record)))
		}
		if err := e.Next(); err != nil || !changed {
			return err
		}
		return deals.RefreshAccountKeys(e.App, e.Record)
	})
	app.OnRecordDelete("accounts").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return intake.DeleteKeys(e.App, "account", e.Record.Id)
	})
}
