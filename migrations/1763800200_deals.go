package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
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
// the `own` scope (registered_by) use: name, columns, condition (a list,
// not a map, so that every install lists them in the same order).
var dealIndexes = [][3]string{
	{"idx_opps_registration", "registration_status, protected_until", "registration_status != ''"},
	{"idx_opps_registered_by", "registered_by", "registered_by != ''"},
	{"idx_opps_won_pending", "won_pending", "won_pending = 1"},
}

// dealGuards is the edit the policy compiler made to the opportunities
// create and update rules for the new fields: the partner roles (whose
// branches end with the pinned partner guard) may not send them.
var dealGuards = []ruleEdit{{
	old: "(@request.body.partner:isset = false || @request.body.partner = @request.auth.partner)",
	new: "@request.body.company:isset = false && @request.body.conflict_details:isset = false && @request.body.conflict_kind:isset = false && " +
		"@request.body.conflict_partner:isset = false && @request.body.conflict_ref:isset = false && @request.body.lost_reason:isset = false && " +
		"@request.body.registration_decided_at:isset = false && @request.body.registration_decided_by:isset = false && " +
		"@request.body.registration_keys:isset = false && @request.body.rejection_reason:isset = false && @request.body.siret:isset = false && " +
		"@request.body.validation_note:isset = false && @request.body.won_pending:isset = false && @request.body.won_requested_at:isset = false && " +
		"@request.body.won_requested_by:isset = false && @request.body.won_validated_at:isset = false && @request.body.won_validated_by:isset = false && " +
		"(@request.body.partner:isset = false || @request.body.partner = @request.auth.partner)",
}}

// accountKeys names the duplicate keys of the accounts for rebuildAtStart.
const accountKeys = "account_keys"

func addDealFields(app core.App) error {
	opps, err := app.FindCollectionByNameOrId("opportunities")
	if err != nil {
		return err
	}
	opps.Fields.Add(dealFields()...)
	for _, idx := range dealIndexes {
		opps.AddIndex(idx[0], false, idx[1], idx[2])
	}
	opps.CreateRule = editRule(opps.CreateRule, dealGuards)
	opps.UpdateRule = editRule(opps.UpdateRule, dealGuards)
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
	// through their duplicate keys: the keys of the accounts that exist
	// already are computed at the next start (by the live normalisation)
	return rebuildAtStart(app, accountKeys)
}

func dropDealFields(app core.App) error {
	opps, err := app.FindCollectionByNameOrId("opportunities")
	if err != nil {
		return err
	}
	for _, f := range dealFields() {
		opps.Fields.RemoveByName(f.GetName())
	}
	for _, idx := range dealIndexes {
		opps.RemoveIndex(idx[0])
	}
	opps.CreateRule = editRule(opps.CreateRule, undoEdits(dealGuards))
	opps.UpdateRule = editRule(opps.UpdateRule, undoEdits(dealGuards))
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
	return cancelRebuild(app, accountKeys)
}
