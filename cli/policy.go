package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/policy"
)

func policyCommand(app core.App, exit exitFunc) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Permission matrix tools: compare the rules in force with the matrix, recompile them",
		Args:  cobra.NoArgs,
	}
	var verbose bool
	check := &cobra.Command{
		Use:   "check",
		Short: "Report the collections whose rules in force differ from the compiled permission matrix (exit status 1 on drift, 2 on an error)",
		Long: "Compiles the permission matrix stored in the database and compares the result with the API rules of\n" +
			"every collection Relais governs. Changes nothing. Exit status: 0 when every rule matches, 1 on drift,\n" +
			"2 when the check could not run (unreadable or invalid matrix, database error).",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			drift, err := access.DriftReport(app)
			if err != nil {
				return withCode(exitError, fmt.Errorf("policy check: %w", err))
			}
			out := cmd.OutOrStdout()
			if len(drift) == 0 {
				fmt.Fprintf(out, "rules in force match the permission matrix (%d collections)\n", len(policy.Collections()))
				return nil
			}
			printDrift(out, drift, verbose)
			fmt.Fprintln(out, "run `relais policy apply` to recompile the rules from the matrix")
			return withCode(exitFinding, fmt.Errorf("%d collection(s) drift from the permission matrix", len(drift)))
		},
	}
	check.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the differing rules in force and compiled")
	apply := &cobra.Command{
		Use:   "apply",
		Short: "Recompile the collections' rules from the permission matrix (audited) and print what changed",
		Long: "Runs pending migrations, compiles the permission matrix stored in the database and writes the rules of\n" +
			"every collection whose rules differ, in one transaction with a policy.apply audit entry naming them.",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			fixed, err := access.ApplyPolicyAudited(app, cliActor())
			if err != nil {
				return fmt.Errorf("policy apply: %w", err)
			}
			out := cmd.OutOrStdout()
			if len(fixed) == 0 {
				fmt.Fprintln(out, "rules already match the permission matrix: nothing to recompile")
				return nil
			}
			printDrift(out, fixed, false)
			fmt.Fprintf(out, "recompiled %d collection(s) from the permission matrix\n", len(fixed))
			drift, err := access.Drift(app)
			if err != nil {
				return err
			}
			if len(drift) > 0 {
				return errors.New("rules still differ after apply: " + strings.Join(drift, ", "))
			}
			return nil
		},
	}
	cmd.AddCommand(check, apply)
	return exitOnError(cmd, exit)
}

// printDrift writes one line per collection (and with verbose the rule
// texts).
func printDrift(out io.Writer, drift []access.RuleDrift, verbose bool) {
	for _, d := range drift {
		if d.Missing {
			fmt.Fprintf(out, "%s: collection missing\n", d.Collection)
			continue
		}
		fmt.Fprintf(out, "%s: %s\n", d.Collection, strings.Join(d.Rules, ", "))
		if !verbose {
			continue
		}
		for _, r := range d.Rules {
			fmt.Fprintf(out, "  %s in force: %s\n  %s compiled: %s\n", r, ruleText(d.InForce[r]), r, ruleText(d.Compiled[r]))
		}
	}
}

func ruleText(r *string) string {
	if r == nil {
		return "(superusers only)"
	}
	return strings.ReplaceAll(*r, "\n", " ")
}
