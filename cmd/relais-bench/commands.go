package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/relais/relais/bench"
	"github.com/relais/relais/cli"
	"github.com/relais/relais/cli/progress"
)

// benchCommands are `relais-bench bench-data` (generate a bench data dir)
// `relais-bench bench` (measure it against the raw SQL limit) and
// `relais-bench mixed` (a mixed load against a served relais), see
// BENCHMARKS.md.
func benchCommands(app core.App) []*cobra.Command {
	return []*cobra.Command{benchDataCommand(app), benchCommand(app), offersJobCommand(app), mixedCommand(app)}
}

func benchDataCommand(app core.App) *cobra.Command {
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
			if opts.Leads <= 0 || opts.Partners <= 0 {
				return errors.New("bench-data: --leads and --partners must be positive")
			}
			if err := cli.Migrate(app); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			// on stderr, apart from the summary: in place on a terminal, a
			// line per 10 % in a log
			bar := progress.New(cmd.ErrOrStderr(), "bench-data", "leads", opts.Leads, progress.IsTerminal(cmd.ErrOrStderr()))
			opts.Progress = func(done, _ int) { bar.Set(done) }
			st, err := bench.Generate(app, opts)
			bar.Finish()
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

func benchCommand(app core.App) *cobra.Command {
	var opts bench.RunOptions
	var noProcess, explain bool
	var appliance string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure Relais on a bench data dir against the raw SQLite limit and print the table",
		Long: "Runs every benchmark scenario in-process through the real router (lists, ingest, accept, reports),\n" +
			"each with the raw SQL a perfect implementation would run for the same rows, then starts the appliance\n" +
			"binary (--relais) with `serve` on the data dir for the cold start, idle RSS and binary size. Refuses a\n" +
			"data dir that holds non-bench accounts: it writes (ingests, accepts) and removes what it wrote at the\n" +
			"end (audit entries stay).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if err := cli.Migrate(app); err != nil { // as serve would
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
				return errors.New("bench: " + app.DataDir() + " holds no bench data or real accounts; generate one with `relais-bench bench-data --dir DIR`")
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
				if opts.Binary, err = applianceBinary(appliance); err != nil {
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
	cmd.Flags().StringVar(&appliance, "relais", "", "the appliance binary to start for the cold start, RSS and binary size (default: relais next to relais-bench)")
	cmd.Flags().StringSliceVar(&opts.Only, "only", nil, "run only these groups: "+strings.Join(bench.Groups, ","))
	cmd.Flags().BoolVar(&explain, "explain", true, "print the EXPLAIN QUERY PLAN of the list scenarios")
	return cmd
}

// applianceBinary is the relais binary whose cold start, memory and size
// are measured: path, or `relais` in the directory of this executable. The
// appliance, not relais-bench, which also holds the benchmark harness.
func applianceBinary(path string) (string, error) {
	if path == "" {
		self, err := os.Executable()
		if err != nil {
			return "", err
		}
		path = filepath.Join(filepath.Dir(self), "relais")
	}
	fi, err := os.Stat(path)
	if err != nil || fi.IsDir() {
		return "", fmt.Errorf("bench: no appliance binary at %s: build it (`go build -o relais .` next to relais-bench), pass --relais PATH, or --no-process", path)
	}
	return path, nil
}
