// Package cli adds the Relais commands (demo, import, audit, access-review,
// gdpr, policy) to PocketBase's cobra root command.
package cli

import (
	"github.com/pocketbase/pocketbase"
)

// Register adds every Relais command to the app's root command.
func Register(app *pocketbase.PocketBase) {
	app.RootCmd.Use = "relais"
	app.RootCmd.Short = "Relais: self-hosted partner relationship management"
	app.RootCmd.AddCommand(demoCommand(app))
	app.RootCmd.AddCommand(importCommand(app))
	app.RootCmd.AddCommand(auditCommand(app, exitProcess(app)))
	app.RootCmd.AddCommand(accessReviewCommand(app))
	app.RootCmd.AddCommand(gdprCommand(app))
	app.RootCmd.AddCommand(benchCommands(app)...)
}
