package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/relais/relais/bench"
	"github.com/relais/relais/cli"
)

// mixedCommand is `relais-bench mixed`: the mixed load of BENCHMARKS.md.
func mixedCommand(app core.App) *cobra.Command {
	var o bench.MixedOptions
	var appliance string
	cmd := &cobra.Command{
		Use:   "mixed",
		Short: "Load a served relais with a mixed load of reads and writes for a bounded time and print the figures",
		Long: "Starts the appliance binary (--relais) with `serve` on the data dir (demo or bench data: use a copy, the load\n" +
			"writes) and sends, over loopback HTTP, --rate requests per second for --duration from --users accounts: about\n" +
			"25 % writes (single ingests, half of them ready; accepts and declines of pending offers; activities on accepted\n" +
			"leads) and REST lists and views and UI pages (lead list, inbox, lead page, home, dashboard). Open loop: a\n" +
			"request's latency counts from when it was due. Prints per kind p50/p95/p99, timeouts, 5xx, the achieved rate,\n" +
			"the server's RSS (max, end, and after --idle-after), the ready leads left waiting and the load average.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cli.Migrate(app); err != nil {
				return err
			}
			var err error
			if o.Binary, err = applianceBinary(appliance); err != nil {
				return err
			}
			o.DataDir = app.DataDir()
			o.Log = os.Stderr
			app.Cron().Stop() // the served process runs the jobs
			f, err := bench.RunMixed(app, o)
			if err != nil {
				return err
			}
			if f.Done == 0 {
				return errors.New("mixed: no request sent")
			}
			leads, partners, users, err := bench.Sizes(app)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Relais mixed load on %s: %d leads, %d partners, %d users\n", app.DataDir(), leads, partners, users)
			bench.PrintMixed(cmd.OutOrStdout(), f, o)
			return nil
		},
	}
	cmd.Flags().IntVar(&o.Users, "users", 30, "accounts used and requests in flight at most")
	cmd.Flags().Float64Var(&o.Rate, "rate", 150, "target requests per second")
	cmd.Flags().DurationVar(&o.Duration, "duration", 2*time.Minute, "how long the load lasts")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", 10*time.Second, "time limit of each request (counted as a timeout)")
	cmd.Flags().DurationVar(&o.IdleAfter, "idle-after", 0, "keep the server idle this long after the load, then read its RSS again (the waiting ready leads are counted after it)")
	cmd.Flags().Uint64Var(&o.Seed, "seed", 2026, "random seed of the request mix")
	cmd.Flags().StringVar(&appliance, "relais", "", "the appliance binary to serve (default: relais next to relais-bench)")
	return cmd
}
