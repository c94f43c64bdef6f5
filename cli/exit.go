package cli

import (
	"os"

	"github.com/pocketbase/pocketbase/core"
)

// exitFunc ends the process with a status code. PocketBase's Execute
// ignores the error a command returns (the process would exit 0), so the
// commands whose outcome scripts test (`audit verify`) call it on failure;
// tests pass a function that records the code instead.
type exitFunc func(code int)

// exitProcess closes the app's databases and exits with code.
func exitProcess(app core.App) exitFunc {
	return func(code int) {
		if err := app.ResetBootstrapState(); err != nil {
			app.Logger().Warn("closing the app before exit", "error", err)
		}
		os.Exit(code)
	}
}
