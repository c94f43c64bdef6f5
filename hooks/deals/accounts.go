package deals

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/intake"
)

// AccountKeys are the duplicate keys of an account: SIREN, and company
// name with postal code.
func AccountKeys(a *core.Record) []string {
	return dedup.Keys(dedup.Input{Company: a.GetString("name"), PostalCode: a.GetString("postal_code"), SIRET: a.GetString("siren")})
}

// RefreshAccountKeys rewrites the duplicate keys of an account (kind
// account, with the account's partner) and its primary dedup_key.
func RefreshAccountKeys(app core.App, account *core.Record) error {
	if err := intake.DeleteKeys(app, "account", account.Id); err != nil {
		return err
	}
	keys := AccountKeys(account)
	if _, err := app.DB().NewQuery("UPDATE accounts SET dedup_key = {:k} WHERE id = {:id}").
		Bind(dbx.Params{"k": dedup.Primary(keys), "id": account.Id}).Execute(); err != nil {
		return err
	}
	return intake.SaveKeys(app, "account", account.Id, account.GetString("partner"), keys)
}

// accountKeyFields are the account fields its duplicate keys come from.
var accountKeyFields = []string{"name", "siren", "postal_code", "partner"}

// AccountCreated keeps the duplicate keys of a new account (SIREN, company
// + postal code) in dedup_keys, so that leads and deal registrations
// matching an account entrusted to a partner are detected (SPEC §4.2).
// Its département and territory are derived from its postal code first
// (derivePlace). Bind it to OnRecordCreate of accounts.
func AccountCreated(e *core.RecordEvent) error {
	if err := derivePlace(e.App, e.Record); err != nil {
		return err
	}
	e.Record.Set("dedup_key", dedup.Primary(AccountKeys(e.Record)))
	if err := e.Next(); err != nil {
		return err
	}
	return RefreshAccountKeys(e.App, e.Record)
}

// AccountUpdated rewrites the duplicate keys of an account whose key
// fields changed, and derives its place again when its postal code
// changed. Bind it to OnRecordUpdate of accounts.
func AccountUpdated(e *core.RecordEvent) error {
	if e.Record.Original().GetString("postal_code") != e.Record.GetString("postal_code") {
		if err := derivePlace(e.App, e.Record); err != nil {
			return err
		}
	}
	changed := false
	for _, f := range accountKeyFields {
		if e.Record.Original().GetString(f) != e.Record.GetString(f) {
			changed = true
		}
	}
	if changed {
		e.Record.Set("dedup_key", dedup.Primary(AccountKeys(e.Record)))
	}
	if err := e.Next(); err != nil || !changed {
		return err
	}
	return RefreshAccountKeys(e.App, e.Record)
}

// AccountDeleted removes the duplicate keys of a deleted account. Bind it
// to OnRecordDelete of accounts.
func AccountDeleted(e *core.RecordEvent) error {
	if err := e.Next(); err != nil {
		return err
	}
	return intake.DeleteKeys(e.App, "account", e.Record.Id)
}

// derivePlace sets the département and territory of an account from its
// postal code, like a lead's (intake.DerivePlace), on every write path:
// territory is a system field that no API client sends, and the channel
// managers' rules read it. A postal code that names no département leaves
// both as they are.
func derivePlace(app core.App, account *core.Record) error {
	dept, territory, ok, err := intake.DerivePlace(app, account.GetString("postal_code"))
	if err != nil || !ok {
		return err
	}
	account.Set("department", dept)
	account.Set("territory", territory)
	return nil
}

// DeriveAccountPlaces derives the département and territory of every
// account with a postal code (the start-up rebuild of the accounts saved
// before the derivation existed); an account whose place does not change
// is not written.
func DeriveAccountPlaces(tx core.App) error {
	accounts, err := tx.FindAllRecords("accounts", dbx.NewExp("postal_code != ''"))
	if err != nil {
		return err
	}
	for _, a := range accounts {
		dept, territory := a.GetString("department"), a.GetString("territory")
		if err := derivePlace(tx, a); err != nil {
			return err
		}
		if a.GetString("department") == dept && a.GetString("territory") == territory {
			continue
		}
		if err := tx.Save(a); err != nil {
			return fmt.Errorf("account %s: %w", a.Id, err)
		}
	}
	return nil
}
