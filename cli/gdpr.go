package cli

import (
	"encoding/json"
	"fmt"
	"os/user"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
)

// cliActor is the audit actor of a command: "cli:" and the
// operating-system account that ran it.
func cliActor() audit.Actor {
	a := audit.Actor{ID: "cli", Role: "system"}
	if u, err := user.Current(); err == nil {
		a.ID = "cli:" + u.Username
	}
	if len(a.ID) > 40 {
		a.ID = a.ID[:40]
	}
	return a
}

func gdprCommand(app core.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gdpr",
		Short: "GDPR helpers: export or erase everything about a data subject (an end customer, by e-mail)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(&cobra.Command{
		Use:          "export EMAIL",
		Short:        "Print everything about the data subject as JSON (contacts, leads, accounts, activities)",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := Migrate(app); err != nil {
				return err
			}
			data, err := governance.GDPRExport(app, cliActor(), args[0], time.Now())
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(data)
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "erase EMAIL",
		Short: "Anonymise the data subject everywhere (irreversible; the audit log records the erasure, not the values)",
		Long: "Blanks the contact fields of the lead contacts and account contacts holding EMAIL, rewrites every\n" +
			"mention of the e-mail or the subject's phone numbers in free text (activities, notes, …) and clears\n" +
			"the duplicate keys derived from them, deletes request-log lines mentioning them, and writes one\n" +
			"gdpr.erase audit entry with the ids of the records changed. Backups taken before keep the old data.",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := Migrate(app); err != nil {
				return err
			}
			rep, err := governance.GDPRErase(app, cliActor(), args[0], time.Now())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "erased: %d lead contacts, %d contacts\n", len(rep.LeadContacts), len(rep.Contacts))
			for k, n := range rep.Scrubbed {
				fmt.Fprintf(out, "  rewritten %s: %d\n", k, n)
			}
			if rep.LogsDeleted > 0 {
				fmt.Fprintf(out, "  request-log lines deleted: %d\n", rep.LogsDeleted)
			}
			for k, n := range rep.Residual {
				fmt.Fprintf(out, "WARNING: still mentioned in %s (%d values; not rewritten by Relais)\n", k, n)
			}
			return nil
		},
	})
	return cmd
}
