package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(addLifecycle, nil)
}

// lifecycleGuards is the edit the policy compiler made to the leads update
// rule for the new fields: the partner roles may not send them (it lists
// the fields a role may not send in name order).
var lifecycleGuards = []ruleEdit{{
	old: "@request.body.company_size:isset = false && ",
	new: "@request.body.company_size:isset = false && @request.body.conflict_kind:isset = false && " +
		"@request.body.conflict_partner:isset = false && @request.body.conflict_ref:isset = false && ",
}, {
	old: "@request.body.forced:isset = false && ",
	new: "@request.body.forced:isset = false && @request.body.held:isset = false && ",
}}

// addLifecycle adds what the lead lifecycle needs: the conflict fields of a
// held lead and the table of normalised duplicate keys (one row per key of a
// lead, account or deal registration), indexed by key.
func addLifecycle(app core.App) error {
	leads, err := app.FindCollectionByNameOrId("leads")
	if err != nil {
		return err
	}
	leads.Fields.Add(
		boolean("held", hidden),
		selectOne("conflict_kind", []string{"lead", "account", "registration"}, hidden),
		text("conflict_ref", 40, hidden),
		text("conflict_partner", 40, hidden),
	)
	leads.AddIndex("idx_leads_held", false, "held, created", "held = 1")
	leads.UpdateRule = editRule(leads.UpdateRule, lifecycleGuards)
	if err := app.Save(leads); err != nil {
		return err
	}
	keys := core.NewBaseCollection("dedup_keys")
	keys.Fields.Add(
		text("key", 300, required), selectOne("kind", []string{"lead", "account", "registration"}, required),
		text("record", 40, required), rel("partner", partnersID),
	)
	keys.Fields.Add(timestamps()...)
	keys.AddIndex("idx_dedup_keys_key", false, "key", "")
	keys.AddIndex("idx_dedup_keys_record", false, "record", "")
	// superusers only: the keys contain normalised e-mails and phones
	return app.Save(keys)
}
