package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/relais/relais/hooks/reports"
)

func init() {
	m.Register(reportRollups, func(app core.App) error {
		for _, t := range reports.RollupTableNames {
			if _, err := app.DB().NewQuery("DROP TABLE IF EXISTS " + t).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}

// reportRollups creates the report rollup tables (hooks/rollups.go, kept
// exact by hooks on leads and offers) and fills them from the existing
// offers and leads.
func reportRollups(app core.App) error {
	if err := reports.InstallRollups(app.DB()); err != nil {
		return err
	}
	return reports.RebuildRollups(app.DB())
}
