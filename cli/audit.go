package cli

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/relais/relais/hooks/audit"
)

func auditCommand(app core.App, exit exitFunc) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Audit log tools (verify the hash chain)",
		Args:  cobra.NoArgs,
	}
	var anchor string
	var batch int
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Walk the audit chain in seq order and report the first broken link (exit status 1 on a break, 2 on an error)",
		Long: "Recomputes the hash of every audit_log entry, oldest first, in batches, and checks that each links to\n" +
			"the previous one: an entry edited, deleted, inserted or moved in raw SQL is reported with its seq.\n" +
			"The chain alone cannot see entries cut off its end: with --anchor FILE the head (seq, hash) is\n" +
			"recorded in FILE (keep it outside the data dir, e.g. with the backups) and checked on the next run;\n" +
			"a head that is gone means the log was truncated. Every backup holds the anchor of its own chain in\n" +
			"audit_anchor.json at the root of the data dir: after a restore, --anchor pb_data/audit_anchor.json checks\n" +
			"the restored log against the backup's head (an anchor kept from after the backup reports the entries the\n" +
			"restore took away as a truncation).\n\n" +
			"Exit status: 0 intact, 1 broken or truncated, 2 when the log could not be verified (a missing table\n" +
			"or column, an unreadable anchor, a database error).",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			progressEvery := 100000
			next := progressEvery
			rep, err := audit.Verify(app, batch, func(n int) {
				if n >= next {
					fmt.Fprintf(cmd.ErrOrStderr(), "audit verify: %d entries…\n", n)
					next += progressEvery
				}
			})
			if err != nil {
				return withCode(exitError, fmt.Errorf("audit log not verified: %w", err))
			}
			if rep.Break != nil {
				fmt.Fprintf(out, "audit log BROKEN at seq %d: %s\n", rep.BreakSeq, rep.Break.Error())
				fmt.Fprintf(out, "%d entries verified before the break; last intact: seq %d hash %s\n", rep.Count, rep.LastSeq, rep.LastHash)
				return withCode(exitFinding, errors.New("audit chain broken"))
			}
			fmt.Fprintf(out, "audit log intact: %d entries verified\nhead: seq %d hash %s\n", rep.Count, rep.LastSeq, rep.LastHash)
			if anchor == "" {
				return nil
			}
			if err := checkAnchor(app, anchor, rep); err != nil {
				var broken *anchorBreak
				if errors.As(err, &broken) {
					fmt.Fprintf(out, "audit log BROKEN: %v\n", err)
					return withCode(exitFinding, err)
				}
				return withCode(exitError, err)
			}
			b, err := json.MarshalIndent(audit.Anchor{Seq: rep.LastSeq, Hash: rep.LastHash, Count: rep.Count,
				VerifiedAt: time.Now().UTC().Format(time.RFC3339)}, "", "  ")
			if err != nil {
				return withCode(exitError, err)
			}
			if err := os.WriteFile(anchor, append(b, '\n'), 0o600); err != nil {
				return withCode(exitError, fmt.Errorf("anchor not updated: %w", err))
			}
			fmt.Fprintf(out, "anchor %s updated\n", anchor)
			return nil
		},
	}
	verify.Flags().StringVar(&anchor, "anchor", "", "file recording the chain head between runs (detects a truncated tail)")
	verify.Flags().IntVar(&batch, "batch", audit.DefaultVerifyBatch, "entries read per query")
	cmd.AddCommand(verify)
	return exitOnError(cmd, exit)
}

// anchorBreak is a chain head that no longer matches its anchor: the log
// was truncated or rewritten.
type anchorBreak struct{ msg string }

func (e *anchorBreak) Error() string { return e.msg }

// checkAnchor compares the head recorded by the previous run with the
// verified chain: the anchored entry must still be there, unchanged.
func checkAnchor(app core.App, path string, rep audit.Report) error {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // first run: nothing to compare
	}
	if err != nil {
		return err
	}
	var a audit.Anchor
	if err := json.Unmarshal(raw, &a); err != nil {
		return fmt.Errorf("anchor %s: %w", path, err)
	}
	if a.Seq == 0 {
		return nil
	}
	var hash string
	err = app.DB().NewQuery("SELECT hash FROM audit_log WHERE seq = {:seq}").Bind(dbx.Params{"seq": a.Seq}).Row(&hash)
	switch {
	case errors.Is(err, sql.ErrNoRows) || rep.LastSeq < a.Seq || rep.Count < a.Count:
		return &anchorBreak{fmt.Sprintf("the anchored head (seq %d, %d entries) is gone: the log was truncated (now %d entries, head seq %d)",
			a.Seq, a.Count, rep.Count, rep.LastSeq)}
	case err != nil:
		return err
	case hash != a.Hash:
		return &anchorBreak{fmt.Sprintf("the anchored head (seq %d) has hash %s, the anchor says %s: the log was rewritten", a.Seq, hash, a.Hash)}
	}
	return nil
}
