package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/deals"
)

func init() {
	m.Register(addDealFields, dropDealFields)
}

// dealFields are the fields the deals (opportunities, deal registration)
// adds to existing collections.
//
// Visible fields:
//   - company, siret: the customer a partner registered (the registration
//     form's company and SIREN/SIRET);
//   - lost_reason: why a lost opportunity was lost.
//
// Hidden fields (SPEC §3.3.3: not returned, not filterable and ignored on
// client writes; Relais sets them and unhides them in the enrich hook for
// the roles allowed to see them, see hooks/deals.go):
//   - registration_keys: the normalised duplicate keys of a registration
//     (never shown: they may hold a normalised e-mail); written to
//     dedup_keys (kind registration) when the registration is approved;
//   - conflict_kind, conflict_ref, conflict_partner, conflict_details: the
//     channel conflict found when the registration was submitted, for the
//     channel manager only (internal roles), never the registrant;
//   - registration_decided_by, registration_decided_at, rejection_reason:
//     the channel manager's decision (shown to whoever sees the record);
//   - won_pending, won_requested_by, won_requested_at, won_validated_by,
//     won_validated_at, validation_note: a win above
//     settings_prm.won_validation_amount waiting for, or decided by, a
//     validator (shown to whoever sees the record).
func dealFields() []core.Field {
	return []core.Field{
		text("company", 200), text("siret", 14), text("lost_reason", 500),
		jsonField("registration_keys", hidden),
		selectOne("conflict_kind", []string{"lead", "account", "registration"}, hidden),
		text("conflict_ref", 40, hidden), text("conflict_partner", 40, hidden), jsonField("conflict_details", hidden),
		rel("registration_decided_by", usersID, hidden), date("registration_decided_at", hidden), text("rejection_reason", 1000, hidden),
		boolean("won_pending", hidden), rel("won_requested_by", usersID, hidden), date("won_requested_at", hidden),
		rel("won_validated_by", usersID, hidden), date("won_validated_at", hidden), text("validation_note", 1000, hidden),
	}
}

// dealIndexes are the indexes the registration and validation queues and
// the `own` scope (registered_by) use.
var dealIndexes = map[string][2]string{
	"idx_opps_registration":  {"registration_status, protected_until", "registration_status != ''"},
	"idx_opps_registered_by": {"registered_by", "registered_by != ''"},
	"idx_opps_won_pending":   {"won_pending", "won_pending = 1"},
}

func addDealFields(app core.App) error {
	opps, err := app.FindCollectionByNameOrId("opportunities")
	if err != nil {
		return err
	}
	opps.Fields.Add(dealFields()...)
	for name, idx := range dealIndexes {
		opps.AddIndex(name, false, idx[0], idx[1])
	}
	if err := app.Save(opps); err != nil {
		return fmt.Errorf("opportunities: %w", err)
	}
	// tickets rules reach account.owner / account.territory
	tickets, err := app.FindCollectionByNameOrId("tickets")
	if err != nil {
		return err
	}
	tickets.AddIndex("idx_tickets_account", false, "account", "")
	if err := app.Save(tickets); err != nil {
		return fmt.Errorf("tickets: %w", err)
	}
	// accounts entrusted to partners take part in conflict detection
	// through their duplicate keys: index the accounts that exist already
	accounts, err := app.FindAllRecords("accounts")
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if err := deals.RefreshAccountKeys(app, a); err != nil {
			return fmt.Errorf("account %s keys: %w", a.Id, err)
		}
	}
	// new fields change the compiled write guards
	_, err = access.ApplyPolicy(app)
	return err
}

func dropDealFields(app core.App) error {
	opps, err := app.FindCollectionByNameOrId("opportunities")
	if err != nil {
		return err
	}
	for _, f := range dealFields() {
		opps.Fields.RemoveByName(f.GetName())
	}
	for name := range dealIndexes {
		opps.RemoveIndex(name)
	}
	if err := app.Save(opps); err != nil {
		return fmt.Errorf("opportunities: %w", err)
	}
	if tickets, err := app.FindCollectionByNameOrId("tickets"); err == nil {
		tickets.RemoveIndex("idx_tickets_account")
		if err := app.Save(tickets); err != nil {
			return fmt.Errorf("tickets: %w", err)
		}
	}
	if _, err := app.DB().NewQuery("DELETE FROM dedup_keys WHERE kind IN ('account', 'registration')").Execute(); err != nil {
		return err
	}
	_, err = access.ApplyPolicy(app)
	return err
}
