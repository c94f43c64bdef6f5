package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// exitFunc ends the process with a status code. PocketBase (since v0.40)
// exits 1 when a command returns an error, but the checks need two codes
// (1: a problem was found, 2: the check could not run), so every Relais
// command calls it on failure (see exitOnError); tests pass a function that
// records the code instead.
type exitFunc func(code int)

// exitProcess closes the app's databases and exits with code.
func exitProcess(app core.App) exitFunc {
	return func(code int) {
		if err := app.ClearBootstrap(); err != nil {
			app.Logger().Warn("closing the app before exit", "error", err)
		}
		os.Exit(code)
	}
}

// Exit statuses. A failed command exits with exitFailure; the checks
// (`audit verify`, `policy check`) exit with exitFinding when they ran and
// found a problem (a broken chain, drift) and with exitError when they could
// not run to the end (a missing table, an unreadable matrix), like diff(1).
const (
	exitFailure = 1
	exitFinding = 1
	exitError   = 2
)

// codedError is an error that ends a command with a given exit status.
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

// withCode makes err end its command with status code.
func withCode(code int, err error) error { return &codedError{code: code, err: err} }

// exitCode is the exit status of a command that returned err.
func exitCode(err error) int {
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code
	}
	return exitFailure
}

// exitOnError makes cmd and its sub-commands print their error and end the
// process with a non-zero status (exitCode) when they fail. A group of
// sub-commands (`policy`, `audit`, `gdpr`) fails when it is run without
// one or with an unknown one (cobra would print its help and exit 0).
func exitOnError(cmd *cobra.Command, exit exitFunc) *cobra.Command {
	for _, c := range cmd.Commands() {
		exitOnError(c, exit)
	}
	if cmd.RunE == nil && cmd.Run == nil && cmd.HasSubCommands() {
		cmd.Args = cobra.ArbitraryArgs
		cmd.RunE = func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q", args[0], c.CommandPath())
			}
			if err := c.Help(); err != nil {
				return err
			}
			return fmt.Errorf("%s needs a sub-command", c.CommandPath())
		}
	}
	if cmd.RunE == nil {
		return cmd
	}
	run := cmd.RunE
	cmd.SilenceErrors = true // printed here: cobra would print it after the exit
	cmd.RunE = func(c *cobra.Command, args []string) error {
		err := run(c, args)
		if err != nil {
			fmt.Fprintln(c.ErrOrStderr(), "Error:", err)
			exit(exitCode(err))
		}
		return err
	}
	return cmd
}
