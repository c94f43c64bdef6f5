package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(rebuildBoundedRollups, func(app core.App) error {
		return cancelRebuild(app, rollups)
	})
}

// rebuildBoundedRollups asks the start-up step to recompute the report
// rollups: their amounts in cents now leave out an amount outside
// [0, 1e9] (a row stored before amounts were bounded, whose cents did not
// fit in an integer and made every sum overflow).
func rebuildBoundedRollups(app core.App) error {
	return rebuildAtStart(app, rollups)
}
