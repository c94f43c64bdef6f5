package main

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/relais/relais/bench"
	"github.com/relais/relais/cli"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/writerhold"
)

// offersJobCommand is `relais-bench offers-job`: one run of the minute job
// of the offers (reminders, expiry, distribution of the ready leads) on a
// data dir, with how long its transactions held the writer.
func offersJobCommand(app core.App) *cobra.Command {
	return &cobra.Command{
		Use:   "offers-job",
		Short: "Run the minute job of the offers once (reminders, expiry, distribution) and print its writer holds",
		Long: "Runs once what the relais_offers cron job runs every minute under serve — the offer reminders, the expiry\n" +
			"of the offers past their deadline, the distribution of the ready leads — and prints, per step, the leads\n" +
			"handled, the time spent and the number of transactions with their longest and total hold of the writer.\n" +
			"It writes (offers, expiries, notifications, audit entries): run it on a copy of a bench data dir.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cli.Migrate(app); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintln(out, "Machine:", bench.Machine())
			now := time.Now()
			distribution.TakeHolds(app)
			writerhold.Take(app)
			for _, step := range []struct {
				name string
				run  func(core.App, time.Time) (int, error)
			}{
				{"reminders", distribution.RemindOffers},
				{"expiry", distribution.ExpireOffers},
				{"distribution", distribution.DistributePending},
			} {
				start := time.Now()
				n, err := step.run(app, now)
				if err != nil {
					return fmt.Errorf("%s: %w", step.name, err)
				}
				h := distribution.TakeHolds(app)
				fmt.Fprintf(out, "%-12s %5d leads in %8s: %5d transactions, hold p50 %s, p95 %s, longest %s, total %s\n",
					step.name, n, time.Since(start).Round(time.Millisecond), h.N, h.P50.Round(time.Microsecond), h.P95.Round(time.Microsecond),
					h.Max.Round(time.Microsecond), h.Total.Round(time.Millisecond))
				w := writerhold.Take(app)[writerhold.Job]
				fmt.Fprintf(out, "%-12s work p50 %s, p95 %s, longest %s; commit p50 %s, p95 %s, longest %s\n", "",
					w.Work.P50.Round(time.Microsecond), w.Work.P95.Round(time.Microsecond), w.Work.Max.Round(time.Microsecond),
					w.Commit.P50.Round(time.Microsecond), w.Commit.P95.Round(time.Microsecond), w.Commit.Max.Round(time.Microsecond))
			}
			fmt.Fprintln(out, "Machine:", bench.Machine())
			return nil
		},
	}
}
