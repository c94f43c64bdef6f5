package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/archive"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/internal/testapp"
)

// A backup carries the anchor of its audit chain; after a restore, `relais
// audit verify --anchor` checks the restored log against it (exit 0), and
// an anchor taken after the backup reports the entries the restore took
// away as a truncation (exit 1).
func TestBackupRestoreVerifiesAgainstTheRecordedAnchor(t *testing.T) {
	app := testapp.New(t, "")
	for range 3 {
		require.NoError(t, audit.Append(app, audit.SystemActor("test"), "test.before", "leads", "", nil))
	}
	require.NoError(t, app.CreateBackup(context.Background(), "before.zip"))

	// the entry of the backup is the head its anchor names
	last, err := app.FindFirstRecordByFilter("audit_log", "action = 'backup.create'")
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"before.zip"}`, last.GetString("changes"))
	restored := filepath.Join(t.TempDir(), "pb_data")
	// what PocketBase's restore does before it moves the files in place and
	// restarts the process (RestoreBackup re-executes the binary)
	require.NoError(t, archive.Extract(filepath.Join(app.DataDir(), core.LocalBackupsDirName, "before.zip"), restored))
	raw, err := os.ReadFile(filepath.Join(restored, audit.AnchorFileName))
	require.NoError(t, err, "the backup holds its anchor")
	var anchor audit.Anchor
	require.NoError(t, json.Unmarshal(raw, &anchor))
	assert.Equal(t, "before.zip", anchor.Backup)
	assert.Equal(t, last.GetInt("seq"), anchor.Seq)
	assert.Equal(t, last.GetString("hash"), anchor.Hash)

	// the data changes after the backup; the live anchor moves on
	for range 4 {
		require.NoError(t, audit.Append(app, audit.SystemActor("test"), "test.after", "leads", "", nil))
	}
	later := filepath.Join(t.TempDir(), "later.anchor")
	out, code := relais(t, "--dir", app.DataDir(), "audit", "verify", "--anchor", later)
	require.Equal(t, 0, code, out)

	// restored: the chain holds up to the backup's anchor
	out, code = relais(t, "--dir", restored, "audit", "verify", "--anchor", filepath.Join(restored, audit.AnchorFileName))
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "audit log intact")
	assert.Contains(t, out, "head: seq "+strconv.Itoa(anchor.Seq)+" hash "+anchor.Hash)
	n := 0
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM audit_log WHERE action = 'test.after'").Row(&n))
	assert.Equal(t, 4, n, "the live log has the later entries")

	// an anchor recorded after the backup sees what the restore removed
	out, code = relais(t, "--dir", restored, "audit", "verify", "--anchor", later)
	assert.Equal(t, exitFinding, code, out)
	assert.Contains(t, out, "the log was truncated")
}
