package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/relais/relais/hooks/access"
)

func init() {
	m.Register(addLifecycle, nil)
}

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
	if err := app.Save(keys); err != nil {
		return err
	}
	// new lead fields change the compiled write guards
	_, err = access.ApplyPolicy(app)
	return err
}
