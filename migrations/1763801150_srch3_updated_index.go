package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The leads lists' default order (latest change first: updated, created)
// read from an index: a search matching thousands of leads walks it
// newest first and stops after a page instead of reading and sorting
// every match, and the unsearched list of a whole network no longer sorts
// every lead. The id makes the index cover the search's probe of each
// lead in the full-text index.
func init() {
	m.Register(func(app core.App) error {
		return updatedIndex(app, true)
	}, func(app core.App) error {
		return updatedIndex(app, false)
	})
}

// updatedIndex adds (up) or removes (down) idx_leads_updated.
func updatedIndex(app core.App, up bool) error {
	leads, err := app.FindCollectionByNameOrId("leads")
	if err != nil {
		return err
	}
	if up {
		leads.AddIndex("idx_leads_updated", false, "updated, created, id", "")
	} else {
		leads.RemoveIndex("idx_leads_updated")
	}
	return app.Save(leads)
}
