package cli

import (
	"encoding/csv"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/relais/relais/hooks/governance"
)

func accessReviewCommand(app core.App) *cobra.Command {
	var asCSV, open bool
	cmd := &cobra.Command{
		Use:   "access-review",
		Short: "Print who sees what: every account with its role, partner, grants, visible records, last login and flags",
		Long: "Lists every account (PocketBase superusers, then users) with its role, partner, territories, running\n" +
			"grants, the number of leads, accounts and contacts it can see right now (counted through the rules in\n" +
			"force), its last login and flags (superuser, admin, deactivated, expired, temporary, partner_ended,\n" +
			"partner_suspended, inactive, never_logged_in). --open also opens this quarter's review campaign\n" +
			"(normally opened by the cron of `relais serve` on the first day of each quarter).",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := Migrate(app); err != nil {
				return err
			}
			now := time.Now()
			out := cmd.OutOrStdout()
			if open {
				review, created, err := governance.OpenReviewCampaign(app, now)
				if err != nil {
					return err
				}
				state := "already open"
				if created {
					state = "opened"
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "review campaign %s (%s): %s\n", review.GetString("period"), review.Id, state)
			}
			rows, err := governance.AccessReview(app, now)
			if err != nil {
				return err
			}
			if asCSV {
				w := csv.NewWriter(out)
				if err := w.Write(governance.ReviewCSVHeader); err != nil {
					return err
				}
				for _, r := range rows {
					cells := r.CSV()
					for i := range cells {
						cells[i] = governance.NeutraliseCell(cells[i])
					}
					if err := w.Write(cells); err != nil {
						return err
					}
				}
				w.Flush()
				return w.Error()
			}
			tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "EMAIL\tROLE\tPARTNER\tTERRITORIES\tGRANTS\tLEADS\tACCOUNTS\tCONTACTS\tLAST LOGIN\tFLAGS")
			for _, r := range rows {
				grants := make([]string, len(r.Grants))
				for i, g := range r.Grants {
					grants[i] = g.Kind + ":" + g.Territory + g.Resource
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", r.Email, r.Role, r.PartnerName,
					strings.Join(r.Territories, ","), strings.Join(grants, ","), r.Leads, r.Accounts, r.Contacts,
					dash(r.LastLogin), strings.Join(r.Flags, ","))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asCSV, "csv", false, "print CSV (spreadsheet formulas neutralised)")
	cmd.Flags().BoolVar(&open, "open", false, "open this quarter's review campaign if it is not open yet")
	return cmd
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
