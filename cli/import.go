package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/relais/relais/cli/progress"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/csvimport"
	"github.com/relais/relais/hooks/intake"
)

func importCommand(app core.App) *cobra.Command {
	var source string
	var dryRun bool
	var chunk int
	var pause, txTarget time.Duration
	cmd := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Import leads from a CSV file (French or English headers)",
		Long: "Imports leads and their contacts from a CSV file (delimiter , ; or tab detected; UTF-8 or Windows-1252).\n" +
			"Rows with errors are skipped and listed in FILE.errors.csv (line, column, reason). Re-running the same\n" +
			"file creates nothing twice: rows are keyed by their reference column or a hash of their content.\n" +
			"Leads at or above the score threshold are offered by the distribution job of `relais serve`.\n\n" +
			"It may run while `relais serve` runs on the same data dir: it writes in short transactions (about\n" +
			"--tx-time each) and pauses between them (--pause) so that the server's writes get in between.\n\n" +
			"Exit status: 0 when every row was imported (or already was), 1 when the file cannot be read, has no\n" +
			"rows, has rejected rows (the valid ones are imported; see FILE.errors.csv), or the database fails.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			if err := Migrate(app); err != nil {
				return err
			}
			total, err := countDataLines(path)
			if err != nil {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			out := cmd.OutOrStdout()
			// on stderr: in place on a terminal, a line per 10 % in a log
			bar := progress.New(cmd.ErrOrStderr(), "import", "rows", total, progress.IsTerminal(cmd.ErrOrStderr()))
			sum, rowErrs, err := intake.ImportCSV(app, f, intake.ImportOptions{
				Source: source, DryRun: dryRun, Actor: audit.SystemActor("import"),
				Progress: bar.Set, Chunk: chunk, Pause: pause, TxTarget: txTarget,
			})
			bar.Finish()
			if err != nil {
				return err
			}
			for _, w := range sum.Warnings {
				fmt.Fprintln(out, "warning:", w)
			}
			mode := ""
			if dryRun {
				mode = " (dry run: nothing written)"
			}
			fmt.Fprintf(out, "%d rows%s: %d created, %d duplicates (%d already imported, %d held as channel conflicts), %d rejected\n",
				sum.Rows, mode, sum.Created, sum.Existing+sum.Held, sum.Existing, sum.Held, sum.Rejected)
			if len(rowErrs) > 0 {
				report := strings.TrimSuffix(path, ".csv") + ".errors.csv"
				rf, err := os.Create(report)
				if err != nil {
					return err
				}
				if err := csvimport.WriteReport(rf, rowErrs); err != nil {
					rf.Close()
					return err
				}
				if err := rf.Close(); err != nil {
					return err
				}
				fmt.Fprintf(out, "row errors written to %s\n", report)
				done := "imported"
				if dryRun {
					done = "checked"
				}
				return fmt.Errorf("%d rows rejected (listed in %s); the valid rows were %s", sum.Rejected, report, done)
			}
			if sum.Rows == 0 {
				return fmt.Errorf("no rows in %s: nothing imported", path)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", "import", "lead source (web, phone, campaign, import, api, partner)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate the file and report, without writing anything")
	cmd.Flags().IntVar(&chunk, "chunk", 100, "rows written in the first transaction (then adapted to --tx-time)")
	cmd.Flags().DurationVar(&txTarget, "tx-time", 250*time.Millisecond, "how long one transaction may hold the database's write lock (0: --chunk rows each)")
	cmd.Flags().DurationVar(&pause, "pause", 100*time.Millisecond, "wait after each chunk, so that a running `relais serve` writes in between")
	return cmd
}

// countDataLines counts the lines after the header (an upper bound of the
// rows, for the progress line).
func countDataLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	n := 0
	for {
		c, err := f.Read(buf)
		n += strings.Count(string(buf[:c]), "\n")
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if n > 0 {
		n--
	}
	return n, nil
}
