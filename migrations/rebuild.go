package migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// rebuildTable lists the derived data (report rollups, duplicate keys) a
// migration leaves for the live code to recompute: a migration is frozen
// and never calls today's code, so it only records what must be rebuilt,
// and the start-up step (hooks.Reconcile) rebuilds each item and drops the
// table once it is empty. The table exists only while something waits.
const rebuildTable = "relais_rebuild"

// rebuildAtStart records that what must be rebuilt at the next start.
func rebuildAtStart(app core.App, what string) error {
	if _, err := app.DB().NewQuery("CREATE TABLE IF NOT EXISTS " + rebuildTable + " (name TEXT PRIMARY KEY NOT NULL)").Execute(); err != nil {
		return err
	}
	_, err := app.DB().NewQuery("INSERT OR IGNORE INTO " + rebuildTable + " (name) VALUES ({:name})").
		Bind(dbx.Params{"name": what}).Execute()
	return err
}

// cancelRebuild forgets a rebuild that rebuildAtStart recorded (for a down
// migration).
func cancelRebuild(app core.App, what string) error {
	if !app.HasTable(rebuildTable) {
		return nil
	}
	_, err := app.DB().NewQuery("DELETE FROM " + rebuildTable + " WHERE name = {:name}").
		Bind(dbx.Params{"name": what}).Execute()
	return err
}
