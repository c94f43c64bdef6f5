package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Accounts take their département and territory from their postal code
// (like leads) since this release; those saved before have neither, and a
// channel manager, whose rules read the territory, sees none of them. The
// derivation is the live code's (the territories and their matching of the
// day): the migration only asks the start-up step to derive the place of
// the existing accounts.

// accountPlaces names the derived places of the accounts for rebuildAtStart.
const accountPlaces = "account_places"

func init() {
	m.Register(func(app core.App) error {
		return rebuildAtStart(app, accountPlaces)
	}, func(app core.App) error {
		return cancelRebuild(app, accountPlaces)
	})
}
