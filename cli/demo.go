package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/spf13/cobra"

	"github.com/relais/relais/demo"
)

func demoCommand(app *pocketbase.PocketBase) *cobra.Command {
	var opts demo.Options
	var now string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Seed the reference demo dataset into an empty data dir and print the demo logins",
		Long: "Seeds a solar-panel maker with 120 installers across the French régions and a year of leads.\n" +
			"Deterministic for a given --now and --seed. Refuses a data dir that holds real data;\n" +
			"does nothing when the demo data is already there.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if now != "" {
				t, err := time.Parse("2006-01-02", now)
				if err != nil {
					return fmt.Errorf("--now: want YYYY-MM-DD: %w", err)
				}
				opts.Now = t.Add(8 * time.Hour)
			}
			if err := Migrate(app); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			sum, err := demo.Seed(app, opts)
			if errors.Is(err, demo.ErrAlreadySeeded) {
				fmt.Fprintf(out, "The demo data is already in %s; nothing to do.\n\n", app.DataDir())
				printLogins(cmd, nil)
				return nil
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "Demo data seeded in %s:\n", app.DataDir())
			fmt.Fprintf(out, "  %d territories, %d partners, %d users, %d assignment rules, %d campaigns\n",
				sum.Territories, sum.Partners, sum.Users, sum.Rules, sum.Campaigns)
			fmt.Fprintf(out, "  %d leads (%d held as channel conflicts), %d contacts, %d offers, %d activities, %d deal terms\n",
				sum.Leads, sum.Conflicts, sum.Contacts, sum.Offers, sum.Activities, sum.DealTerms)
			fmt.Fprintf(out, "  %d accounts (%d contacts), %d opportunities, %d deal registrations, %d documents, %d access requests, %d running grants, %d notifications\n\n",
				sum.Accounts, sum.AccountContacts, sum.Opportunities, sum.Registrations, sum.Documents, sum.AccessRequests, sum.Grants, sum.Notifications)
			printLogins(cmd, &sum)
			return nil
		},
	}
	cmd.Flags().StringVar(&now, "now", "", "anchor date YYYY-MM-DD (default: today)")
	cmd.Flags().IntVar(&opts.Leads, "leads", 0, "number of leads (default 3600)")
	cmd.Flags().IntVar(&opts.Installers, "installers", 0, "number of installers (default 120)")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 0, "random seed (default 2026)")
	return cmd
}

func printLogins(cmd *cobra.Command, sum *demo.Summary) {
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "Demo logins (password for all: %s):\n", demo.Password)
	for _, l := range []struct{ email, role string }{
		{"admin@demo.test", "admin"}, {"manager@demo.test", "channel manager, every territory"},
		{"manager.ouest@demo.test", "channel manager, west (Bretagne, Pays de la Loire, Normandie)"},
		{"teleop@demo.test", "teleoperator"}, {"sales@demo.test", "internal sales"}, {"api@demo.test", "integration (REST API)"},
		{"installer001@demo.test … installer120@demo.test", "partner managers"},
		{"installer001.sales@demo.test … installer120.sales@demo.test", "partner salespeople"},
	} {
		fmt.Fprintf(out, "  %-62s %s\n", l.email, l.role)
	}
	if sum != nil {
		fmt.Fprintf(out, "\n%d accounts in all. Start the server with: relais serve (or go run . serve)\n", len(sum.Logins))
	}
}
