package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(distributionCounters, func(app core.App) error {
		if _, err := app.DB().NewQuery("DROP TABLE IF EXISTS distribution_counters").Execute(); err != nil {
			return err
		}
		return cancelRebuild(app, counters)
	})
}

// counters names the distribution counters for rebuildAtStart.
const counters = "distribution_counters"

// countersTable is the distribution counters' table (the hooks of
// hooks/distribution/counters_write.go keep it exact on every write of
// offers and leads), as it was defined when this migration was written: per
// partner, its offers by outcome, its latest offer time, its entrusted and
// won leads. WITHOUT ROWID: the partner is the key of the b-tree. It is a
// plain table, not a collection: no API rule can reach it.
const countersTable = `CREATE TABLE IF NOT EXISTS distribution_counters (partner TEXT PRIMARY KEY NOT NULL,
	offered INTEGER NOT NULL DEFAULT 0, pending INTEGER NOT NULL DEFAULT 0, accepted INTEGER NOT NULL DEFAULT 0,
	declined INTEGER NOT NULL DEFAULT 0, expired INTEGER NOT NULL DEFAULT 0, last_offered_at TEXT NOT NULL DEFAULT '',
	open_leads INTEGER NOT NULL DEFAULT 0, won INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID`

// distributionCounters creates the counters table; the live code fills it
// from the existing offers and leads at the next start.
func distributionCounters(app core.App) error {
	if _, err := app.DB().NewQuery(countersTable).Execute(); err != nil {
		return err
	}
	return rebuildAtStart(app, counters)
}
