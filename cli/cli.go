// Package cli adds the Relais commands (demo, import, audit, access-review,
// gdpr, policy) to PocketBase's cobra root command.
package cli

import (
	"github.com/pocketbase/pocketbase"
)

// Register adds every Relais command to the app's root command. Each one
// exits with a non-zero status when it fails (PocketBase v0.39 would exit 0).
func Register(app *pocketbase.PocketBase) {
	app.RootCmd.Use = "relais"
	app.RootCmd.Short = "Relais: self-hosted partner relationship management"
	exit := exitProcess(app)
	app.RootCmd.AddCommand(exitOnError(demoCommand(app), exit))
	app.RootCmd.AddCommand(exitOnError(importCommand(app), exit))
	app.RootCmd.AddCommand(auditCommand(app, exit))
	app.RootCmd.AddCommand(policyCommand(app, exit))
	app.RootCmd.AddCommand(exitOnError(accessReviewCommand(app), exit))
	app.RootCmd.AddCommand(exitOnError(gdprCommand(app), exit))
	for _, c := range benchCommands(app) {
		app.RootCmd.AddCommand(exitOnError(c, exit))
	}
}
