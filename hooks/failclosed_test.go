package hooks_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
)

// Fail closed on the integrity paths (issue 12, item 6): each test breaks
// the database for real (a corrupt row, a missing table, a refusing
// trigger) and checks that the operation refuses instead of going on.

// execSQL runs a statement on the test app, failing the test on error.
func execSQL(t *testing.T, w *world, q string) {
	t.Helper()
	_, err := w.app.DB().NewQuery(q).Execute()
	require.NoError(t, err, q)
}

// refuseAuditWrites makes every insert into audit_log fail, like a full
// disk or a broken table would, while reads keep working.
func refuseAuditWrites(t *testing.T, w *world) {
	t.Helper()
	execSQL(t, w, "CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit writes refused by the test'); END")
}

// A chain head that cannot be read aborts the audited action: only an
// empty log starts at genesis. Before, any error restarted the chain at
// genesis: the action went on and its entry forked the chain (seq 1,
// prev_hash = genesis) after the unreadable head.
func TestAuditHeadReadErrorAbortsTheWrite(t *testing.T) {
	w := newWorld(t)
	execSQL(t, w, "DELETE FROM audit_log")
	require.NoError(t, hooks.Audit(w.app, hooks.SystemActor("test"), "test.first", "test", "", nil))
	// the head row gets a seq that does not scan as a number
	execSQL(t, w, "UPDATE audit_log SET seq = 'corrupt'")

	// an audited API change is refused and not applied
	res := w.client.Do(http.MethodPatch, url("partners", w.P1), w.tokens["admin"], map[string]any{"capacity": 77})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	p, err := w.app.FindRecordById("partners", w.P1)
	require.NoError(t, err)
	assert.NotEqual(t, 77, p.GetInt("capacity"), "the change is rolled back with its entry")

	err = hooks.Audit(w.app, hooks.SystemActor("test"), "test.second", "test", "", nil)
	require.Error(t, err, "a write on an unreadable head")
	assert.Contains(t, err.Error(), "chain head")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log"), "no entry restarted at genesis")
}

// An empty log still starts at genesis (sql.ErrNoRows is the one error
// that may).
func TestAuditEmptyLogStartsAtGenesis(t *testing.T) {
	w := newWorld(t)
	execSQL(t, w, "DELETE FROM audit_log")
	require.NoError(t, hooks.Audit(w.app, hooks.SystemActor("test"), "test.first", "test", "", nil))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE seq = 1"))
}

// A refusal that cannot be audited is not answered as a plain 403: both
// export routes of the API fail (500) when the export.denied entry cannot
// be written. The scorecard CSV ignored the failed write before.
func TestExportDeniedNeedsItsAuditEntry(t *testing.T) {
	w := newWorld(t)
	refuseAuditWrites(t, w)
	for _, tc := range []struct{ name, who, url string }{
		{"scorecard CSV", "partner_manager", "/api/prm/reports/partners?format=csv"},
		{"collection export", "partner_user", exportURL("leads")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := w.client.Do(http.MethodGet, tc.url, w.tokens[tc.who], nil)
			assert.Equal(t, http.StatusInternalServerError, res.Status, res.Body)
		})
	}
	assert.Equal(t, 0, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'export.denied'"))
}
