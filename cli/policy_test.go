package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/internal/testapp"
)

// codes records the exit statuses a command asked for.
type codes []int

func (c *codes) exit(code int) { *c = append(*c, code) }

// driftRules changes rules behind the matrix's back, the way an edit in
// `/_/` did before the guard (Go code is not guarded): leads' list rule
// opened to every signed-in user, permissions' delete rule closed.
func driftRules(t *testing.T, app core.App) {
	t.Helper()
	leads, err := app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	open := "@request.auth.id != ''"
	leads.ListRule = &open
	require.NoError(t, app.Save(leads))
	perms, err := app.FindCollectionByNameOrId("permissions")
	require.NoError(t, err)
	perms.DeleteRule = nil
	require.NoError(t, app.Save(perms))
}

// `relais policy check` exits 0 when the rules in force are the compiled
// matrix, 1 on drift (naming the collections and rules), 2 when the matrix
// cannot be compiled; `relais policy apply` recompiles, prints what it
// changed and records it in the audit log.
func TestPolicyCheckAndApply(t *testing.T) {
	app := testapp.New(t, "")
	var got codes

	out, err := run(policyCommand(app, got.exit), "check")
	require.NoError(t, err, out)
	assert.Empty(t, got)
	assert.Contains(t, out, "rules in force match the permission matrix")

	driftRules(t, app)
	out, err = run(policyCommand(app, got.exit), "check")
	require.Error(t, err)
	assert.Equal(t, codes{exitFinding}, got)
	assert.Contains(t, out, "leads: listRule\n")
	assert.Contains(t, out, "permissions: deleteRule\n")
	assert.Contains(t, out, "relais policy apply")
	assert.Contains(t, out, "2 collection(s) drift")

	got = nil
	out, err = run(policyCommand(app, got.exit), "check", "-v")
	require.Error(t, err)
	assert.Equal(t, codes{exitFinding}, got)
	assert.Contains(t, out, "listRule in force: @request.auth.id != ''")
	assert.Contains(t, out, "deleteRule in force: (superusers only)")

	got = nil
	head := auditCount(t, app)
	out, err = run(policyCommand(app, got.exit), "apply")
	require.NoError(t, err, out)
	assert.Empty(t, got)
	assert.Contains(t, out, "leads: listRule\n")
	assert.Contains(t, out, "permissions: deleteRule\n")
	assert.Contains(t, out, "recompiled 2 collection(s)")
	drift, err := access.Drift(app)
	require.NoError(t, err)
	assert.Empty(t, drift, "apply fixed the drift")
	var action, actor, changes string
	require.NoError(t, app.DB().NewQuery("SELECT action, actor, changes FROM audit_log ORDER BY seq DESC LIMIT 1").Row(&action, &actor, &changes))
	assert.Equal(t, head+1, auditCount(t, app))
	assert.Equal(t, access.ActionPolicyApply, action)
	assert.True(t, strings.HasPrefix(actor, "cli"), actor)
	assert.JSONEq(t, `{"recompiled":{"leads":["listRule"],"permissions":["deleteRule"]}}`, changes)

	out, err = run(policyCommand(app, got.exit), "check")
	require.NoError(t, err, out)
	assert.Empty(t, got)
	out, err = run(policyCommand(app, got.exit), "apply")
	require.NoError(t, err, out)
	assert.Contains(t, out, "nothing to recompile")

	// a matrix that cannot compile: the check could not run
	sqlExec(t, app, "UPDATE permissions SET read = 'everything' WHERE role = 'sales' AND resource = 'leads'")
	out, err = run(policyCommand(app, got.exit), "check")
	require.Error(t, err)
	assert.Equal(t, codes{exitError}, got)
	assert.Contains(t, out, "unknown level")
	got = nil
	out, err = run(policyCommand(app, got.exit), "apply")
	require.Error(t, err)
	assert.Equal(t, codes{exitFailure}, got, out)
}

func auditCount(t *testing.T, app core.App) int {
	t.Helper()
	var n int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM audit_log").Row(&n))
	return n
}

// `relais audit verify` exits 2, with or without --anchor, when the log
// cannot be read whole: a dropped column, a dropped table.
func TestAuditVerifyFailsOnAMissingTableOrColumn(t *testing.T) {
	for _, tc := range []struct{ name, sql, want string }{
		{"dropped column", "ALTER TABLE audit_log DROP COLUMN changes", "lacks the column(s) changes"},
		{"dropped table", "DROP TABLE audit_log", "audit_log table is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := testapp.New(t, "")
			for range 3 {
				require.NoError(t, audit.Append(app, audit.SystemActor("test"), "test.action", "leads", "", nil))
			}
			anchor := filepath.Join(t.TempDir(), "audit.anchor")
			var got codes
			out, err := run(auditCommand(app, got.exit), "verify", "--anchor", anchor)
			require.NoError(t, err, out)
			require.Empty(t, got)

			sqlExec(t, app, tc.sql)
			for _, args := range [][]string{{"verify"}, {"verify", "--anchor", anchor}} {
				got = nil
				out, err := run(auditCommand(app, got.exit), args...)
				require.Error(t, err, "%v", args)
				assert.Equal(t, codes{exitError}, got, "%v", args)
				assert.Contains(t, out, tc.want, "%v", args)
				assert.NotContains(t, out, "intact", "%v", args)
			}
		})
	}
}
