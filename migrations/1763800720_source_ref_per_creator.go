package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// An ingested lead's source_ref is its sender's own reference: ingest is
// idempotent per sender (source, source_ref, created_by), not across
// senders. With one key for everybody, an integration replaying a
// reference another sender used got a different answer than for a fresh
// one, which told it that a lead it may not see exists.

func init() {
	m.Register(sourceRefPerCreator(true), sourceRefPerCreator(false))
}

// sourceRefPerCreator sets the unique source_ref index of leads per
// creator (up) or back to one key for every sender (down; it fails if two
// senders have used the same reference since).
func sourceRefPerCreator(up bool) func(app core.App) error {
	return func(app core.App) error {
		leads, err := app.FindCollectionByNameOrId("leads")
		if err != nil {
			return err
		}
		columns := "source, source_ref"
		if up {
			columns += ", created_by"
		}
		leads.RemoveIndex("idx_leads_source_ref")
		leads.AddIndex("idx_leads_source_ref", true, columns, "source_ref != ''")
		return app.Save(leads)
	}
}
