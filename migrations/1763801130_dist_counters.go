package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(distributionCounters, func(app core.App) error {
		for _, t := range []string{"distribution_counters", "distribution_user_counters"} {
			if _, err := app.DB().NewQuery("DROP TABLE IF EXISTS " + t).Execute(); err != nil {
				return err
			}
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

// userCountersTable holds, per user, the leads assigned to them in an
// entrusted status (who receives an offer in the partner company).
const userCountersTable = `CREATE TABLE IF NOT EXISTS distribution_user_counters (user TEXT PRIMARY KEY NOT NULL,
	open_leads INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID`

// distributionCounters creates the counters tables; the live code fills it
// from the existing offers and leads at the next start.
func distributionCounters(app core.App) error {
	for _, q := range []string{countersTable, userCountersTable} {
		if _, err := app.DB().NewQuery(q).Execute(); err != nil {
			return err
		}
	}
	return rebuildAtStart(app, counters)
}
