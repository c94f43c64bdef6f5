// Package cli adds the Relais commands to PocketBase's cobra root command,
// one file per command (Register lists them); PocketBase's own (serve,
// migrate, superuser) stay.
package cli

import (
	"os"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/relais/relais/hooks"
)

// Register adds every Relais command, then the extra ones (those of the
// relais-bench binary), to the app's root command. Each one exits with a
// non-zero status when it fails (1 on failure; 2 when a check cannot run).
func Register(app *pocketbase.PocketBase, extra ...*cobra.Command) {
	app.RootCmd.Use = "relais"
	app.RootCmd.Short = "Relais: self-hosted partner relationship management"
	// PocketBase (v0.40) sends the commands' stderr nowhere, so that cobra
	// does not print an error that Start() also returns; Relais commands
	// write their progress and their errors there, so it goes back to the
	// process's stderr, and cobra's own error printing is off instead
	// (main prints what Start returns, exitOnError what our commands do).
	app.RootCmd.SetErr(os.Stderr)
	app.RootCmd.SilenceErrors = true
	exit := exitProcess(app)
	app.RootCmd.AddCommand(exitOnError(demoCommand(app), exit))
	app.RootCmd.AddCommand(exitOnError(importCommand(app), exit))
	app.RootCmd.AddCommand(auditCommand(app, exit))
	app.RootCmd.AddCommand(policyCommand(app, exit))
	app.RootCmd.AddCommand(exitOnError(accessReviewCommand(app), exit))
	app.RootCmd.AddCommand(exitOnError(gdprCommand(app), exit))
	for _, c := range extra {
		app.RootCmd.AddCommand(exitOnError(c, exit))
	}
}

// Migrate applies the pending migrations and then the start-up step
// (hooks.Reconcile: rebuilds the migrations ask for, policy drift repair),
// as `relais serve` does before serving: the commands that work on the
// data call it first (`policy check` and `policy apply` only migrate: they
// are the tools that show and repair drift).
func Migrate(app core.App) error {
	if err := app.RunAllMigrations(); err != nil {
		return err
	}
	_, err := hooks.Reconcile(app)
	return err
}
