package audit

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/auditchain"
)

// ActionBackup records the creation of a backup (its name); the entry is
// the head the backup's anchor names.
const ActionBackup = "backup.create"

// AnchorFileName is the file, at the root of the data dir, that holds the
// anchor of the last backup. It is written before the archive is made, so
// every backup carries the anchor of its own audit chain.
const AnchorFileName = "audit_anchor.json"

// Anchor is a head of the audit chain recorded outside the chain: by
// `relais audit verify --anchor FILE` between runs, and with each backup.
// A later verification checks that the anchored entry is still there,
// unchanged (an anchor cannot see edits, the chain can; the chain cannot
// see a cut tail, the anchor can).
type Anchor struct {
	Seq        int    `json:"seq"`
	Hash       string `json:"hash"`
	Count      int    `json:"count"`
	VerifiedAt string `json:"verified_at,omitempty"`
	// Backup and RecordedAt are set on the anchor of a backup.
	Backup     string `json:"backup,omitempty"`
	RecordedAt string `json:"recorded_at,omitempty"`
}

// Head returns the current head of the chain (seq, hash and number of
// entries; seq 0 and auditchain.Genesis for an empty log). It reads the
// head only; Verify walks the chain.
func Head(app core.App) (Anchor, error) {
	a := Anchor{Hash: auditchain.Genesis}
	err := app.DB().NewQuery("SELECT CAST(seq AS INTEGER) AS seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Row(&a.Seq, &a.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("audit: reading the chain head: %w", err)
	}
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM audit_log").Row(&a.Count); err != nil {
		return a, fmt.Errorf("audit: counting the entries: %w", err)
	}
	return a, nil
}

// RecordBackupAnchor appends the backup's entry to the chain and writes
// the new head to AnchorFileName in the data dir (through a temporary
// file, so that a crash never leaves half an anchor), before the archive
// of the data dir is made.
func RecordBackupAnchor(app core.App, name string) (Anchor, error) {
	if err := Append(app, SystemActor("backup"), ActionBackup, "", "", map[string]any{"name": name}); err != nil {
		return Anchor{}, err
	}
	a, err := Head(app)
	if err != nil {
		return a, err
	}
	a.Backup, a.RecordedAt = name, time.Now().UTC().Format(time.RFC3339)
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return a, err
	}
	path := filepath.Join(app.DataDir(), AnchorFileName)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return a, fmt.Errorf("audit: writing the backup anchor: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return a, fmt.Errorf("audit: writing the backup anchor: %w", err)
	}
	return a, nil
}
