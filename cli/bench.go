package cli

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/spf13/cobra"

	"github.com/relais/relais/bench"
)

// benchCommands are `relais bench-data` (generate a bench data dir) and
// `relais bench` (measure it against the raw SQL limit), see BENCHMARKS.md.
func benchCommands(app *pocketbase.PocketBase) []*cobra.Command {
	return []*cobra.Command{benchDataCommand(app), benchCommand(app)}
}

func benchDataCommand(app *pocketbase.PocketBase) *cobra.Command {
	var opts bench.Options
	cmd := &cobra.Command{
		Use:   "bench-data",
		Short: "Generate a large benchmark dataset (default 1M leads, 1,000 partners) into an empty data dir",
		Long: "Fills an empty data dir with bench data by direct SQL: 18 région territories, the partners with 5 accounts each\n" +
			"(bench-pNNNN-u1@bench.test is the partner manager, -u2…-u5 salespeople), a few internal accounts\n" +
			"(admin@, cm@, teleop@, api@bench.test), and the leads of the last 12 months with the demo's mix, their\n" +
			"contacts, offers and activities. Password for all: " + bench.Password + ". Deterministic for a given --seed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			start, next := time.Now(), 0
			opts.Progress = func(done, total int) {
				if done*10/total >= next || done == total {
					next = done*10/total + 1
					fmt.Fprintf(out, "  %d / %d leads (%.0f leads/s)\n", done, total, float64(done)/time.Since(start).Seconds())
				}
			}
			st, err := bench.Generate(app, opts)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "Bench data generated in %s in %s (indexes rebuilt in %s):\n", app.DataDir(), st.Elapsed.Round(time.Millisecond), st.Indexing.Round(time.Millisecond))
			fmt.Fprintf(out, "  %d territories, %d partners, %d users, %d assignment rules\n", st.Territories, st.Partners, st.Users, st.Rules)
			fmt.Fprintf(out, "  %d leads, %d contacts, %d offers, %d activities\n", st.Leads, st.Contacts, st.Offers, st.Activities)
			fmt.Fprintf(out, "  %d rows: %.0f rows/s, %.0f leads/s\n", st.Rows(), st.RowsPerSecond(), st.LeadsPerSecond())
			return nil
		},
	}
	cmd.Flags().IntVar(&opts.Leads, "leads", 1_000_000, "number of leads")
	cmd.Flags().IntVar(&opts.Partners, "partners", 1000, "number of partners")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 0, "random seed (default 2026)")
	cmd.Flags().IntVar(&opts.BatchSize, "batch", 0, "leads per transaction (default 5,000)")
	return cmd
}

func benchCommand(app *pocketbase.PocketBase) *cobra.Command {
	var opts bench.RunOptions
	var noProcess, explain bool
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure Relais on a bench data dir against the raw SQLite limit and print the table",
		Long: "Runs every benchmark scenario in-process through the real router (lists, ingest, accept, reports),\n" +
			"each with the raw SQL a perfect implementation would run for the same rows, then starts `relais serve`\n" +
			"on the data dir for the cold start and idle RSS. Refuses a data dir that holds non-bench accounts: it\n" +
			"writes (ingests, accepts) and removes what it wrote at the end (audit entries stay).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if err := app.RunAllMigrations(); err != nil { // as serve would
				return err
			}
			for _, g := range opts.Only {
				if !slices.Contains(bench.Groups, g) {
					return fmt.Errorf("--only: unknown group %q (groups: %s)", g, strings.Join(bench.Groups, ", "))
				}
			}
			ok, err := bench.IsBenchData(app)
			if err != nil {
				return err
			}
			if !ok {
				return errors.New("bench: " + app.DataDir() + " holds no bench data or real accounts; generate one with `relais bench-data --dir DIR`")
			}
			leads, partners, users, err := bench.Sizes(app)
			if err != nil {
				return err
			}
			bench.Prepare(app)
			env, err := bench.NewEnv(app)
			if err != nil {
				return err
			}
			if !noProcess {
				if opts.Binary, err = os.Executable(); err != nil {
					return err
				}
				opts.DataDir = app.DataDir()
			}
			opts.Log = os.Stderr // progress apart from the table
			fmt.Fprintf(out, "Relais bench on %s: %d leads, %d partners, %d users\nMachine: %s\n\n", app.DataDir(), leads, partners, users, bench.Machine())
			figs, err := bench.Run(env, opts)
			if err != nil {
				return err
			}
			bench.PrintTable(out, figs)
			fmt.Fprintf(out, "\nLoad average at the end: %s\n", bench.Machine())
			if explain {
				fmt.Fprintln(out, "\n## Query plans of the list scenarios")
				fmt.Fprintln(out)
				return env.PrintPlans(out)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&opts.Iterations, "iterations", 100, "scale of every scenario (list requests per figure; batches, accept rounds and report calls derive from it)")
	cmd.Flags().IntVar(&opts.Starts, "starts", 3, "number of starts of relais serve for the cold start and RSS")
	cmd.Flags().DurationVar(&opts.Budget, "budget", 30*time.Second, "time bound of each slow scenario (ingest, batch, reports): it stops after the run that spends it")
	cmd.Flags().BoolVar(&noProcess, "no-process", false, "skip the cold start, RSS and binary size")
	cmd.Flags().StringSliceVar(&opts.Only, "only", nil, "run only these groups: "+strings.Join(bench.Groups, ","))
	cmd.Flags().BoolVar(&explain, "explain", true, "print the EXPLAIN QUERY PLAN of the list scenarios")
	return cmd
}
