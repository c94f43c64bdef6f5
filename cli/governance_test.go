package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/internal/testapp"
)

// run executes a command with args and returns its output and error.
func run(cmd *cobra.Command, args ...string) (string, error) {
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func sqlExec(t *testing.T, app core.App, q string) {
	t.Helper()
	_, err := app.NonconcurrentDB().NewQuery(q).Execute()
	require.NoError(t, err)
}

// `relais audit verify` reports an intact chain, the first broken link of a
// tampered one with exit status 1, and with --anchor a cut tail.
func TestAuditVerifyCommand(t *testing.T) {
	app := testapp.New(t, "")
	for range 5 {
		require.NoError(t, audit.Append(app, audit.SystemActor("test"), "test.action", "leads", "", map[string]any{"x": 1}))
	}
	code := 0
	exit := func(c int) { code = c }
	anchor := filepath.Join(t.TempDir(), "audit.anchor")

	out, err := run(auditCommand(app, exit), "verify", "--batch", "2", "--anchor", anchor)
	require.NoError(t, err, out)
	assert.Zero(t, code)
	assert.Contains(t, out, "audit log intact: 5 entries verified")
	assert.Contains(t, out, "head: seq 5")
	raw, err := os.ReadFile(anchor)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"seq": 5`)

	// a cut tail is only visible through the anchor
	sqlExec(t, app, "DELETE FROM audit_log WHERE seq = 5")
	out, err = run(auditCommand(app, exit), "verify")
	require.NoError(t, err, out)
	assert.Contains(t, out, "intact: 4 entries")
	out, err = run(auditCommand(app, exit), "verify", "--anchor", anchor)
	require.Error(t, err)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "truncated")

	// an edit is reported at its seq
	code = 0
	sqlExec(t, app, "UPDATE audit_log SET actor = 'someone' WHERE seq = 2")
	out, err = run(auditCommand(app, exit), "verify")
	require.Error(t, err)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "BROKEN at seq 2")
	assert.Contains(t, out, "hash mismatch")
	assert.Contains(t, out, "1 entries verified before the break")
}

func TestAccessReviewAndGDPRCommands(t *testing.T) {
	app := testapp.New(t, "")
	users, err := app.FindCollectionByNameOrId("users")
	require.NoError(t, err)
	u := core.NewRecord(users)
	u.SetEmail("=cmd@x.test")
	u.SetPassword("a-password-123")
	u.Set("role", "admin")
	u.Set("active", true)
	require.NoError(t, app.Save(u))

	out, err := run(accessReviewCommand(app), "--csv", "--open")
	require.NoError(t, err, out)
	// the campaign notice goes to stderr, which run() merges: drop it
	lines := strings.SplitN(out, "\n", 2)
	require.Contains(t, lines[0], "review campaign")
	recs, err := csv.NewReader(strings.NewReader(lines[1])).ReadAll()
	require.NoError(t, err, out)
	require.Len(t, recs, 2)
	assert.Equal(t, governance.ReviewCSVHeader, recs[0])
	assert.Equal(t, "'=cmd@x.test", recs[1][2], "formulas neutralised")
	assert.Contains(t, recs[1][17], "admin")
	reviews, err := app.FindAllRecords("access_reviews")
	require.NoError(t, err)
	assert.Len(t, reviews, 1)

	out, err = run(accessReviewCommand(app))
	require.NoError(t, err, out)
	assert.Contains(t, out, "=cmd@x.test")
	assert.Contains(t, out, "never_logged_in")

	leads, err := app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	lead := core.NewRecord(leads)
	lead.Set("company", "Ferme")
	lead.Set("status", "new")
	require.NoError(t, app.Save(lead))
	contacts, err := app.FindCollectionByNameOrId("lead_contacts")
	require.NoError(t, err)
	c := core.NewRecord(contacts)
	c.Set("lead", lead.Id)
	c.Set("email", "subject@example.test")
	c.Set("phone", "+33 6 12 34 56 78")
	require.NoError(t, app.Save(c))

	out, err = run(gdprCommand(app), "export", "subject@example.test")
	require.NoError(t, err, out)
	var data governance.SubjectData
	require.NoError(t, json.Unmarshal([]byte(out), &data), out)
	require.Len(t, data.LeadContacts, 1)
	assert.Equal(t, "subject@example.test", data.LeadContacts[0]["email"])

	out, err = run(gdprCommand(app), "erase", "subject@example.test")
	require.NoError(t, err, out)
	assert.Contains(t, out, "erased: 1 lead contacts, 0 contacts")
	assert.NotContains(t, out, "WARNING")
	fresh, err := app.FindRecordById("lead_contacts", c.Id)
	require.NoError(t, err)
	assert.Empty(t, fresh.GetString("email"))
	assert.Empty(t, fresh.GetString("phone"))

	var actions []string
	require.NoError(t, app.DB().NewQuery("SELECT action FROM audit_log ORDER BY seq").Column(&actions))
	assert.Equal(t, []string{governance.ActionReviewOpen, governance.ActionGDPRExport, governance.ActionGDPRErase}, actions)
	var actor string
	require.NoError(t, app.DB().NewQuery("SELECT actor FROM audit_log WHERE action = 'gdpr.erase'").Row(&actor))
	assert.True(t, strings.HasPrefix(actor, "cli"), actor)

	out, err = run(auditCommand(app, func(int) { t.Fatal("exit") }), "verify")
	require.NoError(t, err, out)
	assert.Contains(t, out, "intact: 3 entries")
}
