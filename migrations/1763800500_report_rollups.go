package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(reportRollups, func(app core.App) error {
		for _, t := range []string{"rollup_offers", "rollup_declines", "rollup_accepts", "rollup_pipeline", "rollup_leads"} {
			if _, err := app.DB().NewQuery("DROP TABLE IF EXISTS " + t).Execute(); err != nil {
				return err
			}
		}
		return cancelRebuild(app, rollups)
	})
}

// rollups names the report rollups for rebuildAtStart.
const rollups = "rollups"

// rollupTables are the report rollup tables (hooks/rollups.go keeps them
// exact on every write of leads and offers), as they were defined when this
// migration was written. WITHOUT ROWID: the primary key is the table.
var rollupTables = []string{
	`CREATE TABLE IF NOT EXISTS rollup_offers (period TEXT NOT NULL, partner TEXT NOT NULL, territory TEXT NOT NULL,
		offered INTEGER NOT NULL DEFAULT 0, accepted INTEGER NOT NULL DEFAULT 0, declined INTEGER NOT NULL DEFAULT 0,
		expired INTEGER NOT NULL DEFAULT 0, delays TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (period, partner, territory)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS rollup_declines (period TEXT NOT NULL, partner TEXT NOT NULL, territory TEXT NOT NULL,
		reason TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (period, partner, territory, reason)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS rollup_accepts (period TEXT NOT NULL, partner TEXT NOT NULL, territory TEXT NOT NULL,
		accepted INTEGER NOT NULL DEFAULT 0, won INTEGER NOT NULL DEFAULT 0, revenue_cents INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (period, partner, territory)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS rollup_pipeline (partner TEXT NOT NULL, territory TEXT NOT NULL,
		open_n INTEGER NOT NULL DEFAULT 0, open_cents INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (partner, territory)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS rollup_leads (period TEXT NOT NULL, territory TEXT NOT NULL, department TEXT NOT NULL,
		created INTEGER NOT NULL DEFAULT 0, accepted INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (period, territory, department)) WITHOUT ROWID`,
}

// reportRollups creates the report rollup tables; the live code fills them
// from the existing offers and leads at the next start.
func reportRollups(app core.App) error {
	for _, q := range rollupTables {
		if _, err := app.DB().NewQuery(q).Execute(); err != nil {
			return err
		}
	}
	return rebuildAtStart(app, rollups)
}
