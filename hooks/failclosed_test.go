package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/sessions"
)

// Fail closed on the integrity paths: each test breaks
// the database for real (a corrupt row, a missing table, a refusing
// trigger) and checks that the operation refuses instead of going on.

// execSQL runs a statement on the test app, failing the test on error.
func execSQL(t *testing.T, w *world, q string) {
	t.Helper()
	_, err := w.app.NonconcurrentDB().NewQuery(q).Execute()
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
	require.NoError(t, audit.Append(w.app, audit.SystemActor("test"), "test.first", "test", "", nil))
	// the head row gets a seq that does not scan as a number
	execSQL(t, w, "UPDATE audit_log SET seq = 'corrupt'")

	// an audited API change is refused and not applied
	res := w.client.Do(http.MethodPatch, url("partners", w.P1), w.tokens["admin"], map[string]any{"capacity": 77})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	p, err := w.app.FindRecordById("partners", w.P1)
	require.NoError(t, err)
	assert.NotEqual(t, 77, p.GetInt("capacity"), "the change is rolled back with its entry")

	err = audit.Append(w.app, audit.SystemActor("test"), "test.second", "test", "", nil)
	require.Error(t, err, "a write on an unreadable head")
	assert.Contains(t, err.Error(), "chain head")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log"), "no entry restarted at genesis")
}

// An empty log still starts at genesis (sql.ErrNoRows is the one error
// that may).
func TestAuditEmptyLogStartsAtGenesis(t *testing.T) {
	w := newWorld(t)
	execSQL(t, w, "DELETE FROM audit_log")
	require.NoError(t, audit.Append(w.app, audit.SystemActor("test"), "test.first", "test", "", nil))
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

// breakSettings makes settings_prm unreadable (its table is gone) and
// drops what the caches remember of it.
func breakSettings(t *testing.T, w *world) {
	t.Helper()
	execSQL(t, w, "ALTER TABLE settings_prm RENAME TO settings_prm_unreachable")
	access.ResetCaches(w.app)
}

// setSetting stores one settings_prm value through the app.
func setSetting(t *testing.T, w *world, field string, v any) {
	t.Helper()
	s, err := w.app.FindRecordById("settings_prm", access.SettingsID)
	require.NoError(t, err)
	s.Set(field, v)
	require.NoError(t, w.app.Save(s))
}

// Unreadable settings never fall back to the defaults where the defaults
// are wider than what was configured: the partner page cap (REST list and
// the Go read path), the export row cap and the score threshold refuse
// instead. Before, each of them silently used its default (a partner
// capped at 10 a page got 50, an export capped at 2 rows got 10,000, a
// lead below the configured threshold became ready).
func TestSettingsReadErrorFailsClosed(t *testing.T) {
	w := newWorld(t)
	for range 12 {
		w.lead(ownLead("partner_user"))
	}
	pool := w.lead(leadShape{territory: "T1", status: "qualifying"})
	setSetting(t, w, "partner_page_cap", 10)
	setSetting(t, w, "export_row_cap", 2)
	setSetting(t, w, "score_threshold", 90) // the pool lead scores 70
	res := w.client.Do(http.MethodGet, url("leads")+"?perPage=500", w.tokens["partner_user"], nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var page struct {
		Items []map[string]any `json:"items"`
	}
	res.JSON(t, &page)
	require.Len(t, page.Items, 10, "the configured cap applies while the settings are readable")

	breakSettings(t, w)

	res = w.client.Do(http.MethodGet, url("leads")+"?perPage=500", w.tokens["partner_user"], nil)
	assert.Equal(t, http.StatusInternalServerError, res.Status, "REST list of a partner: %s", res.Body)
	_, err := access.PageCapFor(w.app, w.users["partner_user"])
	assert.Error(t, err, "PageCapFor")
	_, _, err = access.ListFor(w.app, w.users["partner_user"], "leads", access.ListQuery{PerPage: 500})
	assert.Error(t, err, "ListFor of a partner")
	_, err = access.LoadSettings(w.app)
	assert.Error(t, err, "LoadSettings")

	res = w.client.Do(http.MethodGet, exportURL("leads"), w.tokens["admin"], nil)
	assert.Equal(t, http.StatusInternalServerError, res.Status, "export without its row cap: %s", res.Body)

	res = w.client.Do(http.MethodPatch, url("leads", pool.Id), w.tokens["teleoperator"], map[string]any{"status": "ready"})
	assert.GreaterOrEqual(t, res.Status, 400, "ready without the threshold: %s", res.Body)
	l, err := w.app.FindRecordById("leads", pool.Id)
	require.NoError(t, err)
	assert.Equal(t, "qualifying", l.GetString("status"))

	// the session timeouts are settings too: without them no session can be
	// checked, so even an admin's list (not capped by the settings) refuses
	res = w.client.Do(http.MethodGet, url("leads")+"?perPage=5", w.tokens["admin"], nil)
	assert.Equal(t, http.StatusInternalServerError, res.Status, res.Body)
	_, err = sessions.LoadLimits(w.app)
	assert.Error(t, err, "LoadSessionLimits")
}

// The governance jobs report unreadable settings instead of running with
// the inactivity check off: the suspension job still deactivates expired
// accounts but returns the error; the access review refuses.
func TestGovernanceJobsReportUnreadableSettings(t *testing.T) {
	w := newWorld(t)
	setSetting(t, w, "inactivity_days", 30)
	expired := w.users["sales2"]
	execSQL(t, w, "UPDATE users SET access_expires = '2000-01-01 00:00:00.000Z' WHERE id = '"+expired.Id+"'")
	breakSettings(t, w)

	rep, err := governance.RunSuspensions(w.app, time.Now())
	require.Error(t, err, "the inactivity step could not run")
	assert.Contains(t, err.Error(), "settings_prm")
	assert.Equal(t, []string{expired.Id}, rep.Expired, "the other steps still ran")

	_, err = governance.AccessReview(w.app, time.Now())
	assert.Error(t, err, "an access review without the inactivity setting")
}

// A revoke decision of the access review that cannot read the account is
// refused and rolled back; before, the read error was taken for "the
// account is gone": the item was recorded and audited as revoked while
// the account stayed active with its grants.
func TestReviewRevokeReadErrorIsRefused(t *testing.T) {
	w := newWorld(t)
	now := time.Now()
	review, _, err := governance.OpenReviewCampaign(w.app, now)
	require.NoError(t, err)
	target := w.uid("sales2")
	item, err := w.app.FindFirstRecordByFilter("access_review_items", "review = {:r} && user = {:u}", map[string]any{"r": review.Id, "u": target})
	require.NoError(t, err)
	su := core.NewRecord(govCollection(t, w.app, core.CollectionNameSuperusers))
	su.SetEmail("root@world.test")
	su.SetPassword("root-password-1")
	require.NoError(t, w.app.Save(su))
	// the target's row cannot be read whole any more: users becomes a view
	// whose extra column fails (malformed JSON) on that row only
	execSQL(t, w, "ALTER TABLE users RENAME TO users_real")
	execSQL(t, w, "CREATE VIEW users AS SELECT *, json_extract(CASE WHEN id = '"+target+"' THEN 'not json' ELSE '{}' END, '$') AS broken FROM users_real")
	entries := countRows(t, w, "SELECT COUNT(*) FROM audit_log")

	err = governance.DecideReviewItem(w.app, su, audit.ActorOfUser(su), item.Id, "revoke", "parti", now)
	require.Error(t, err, "a revoke that could not read the account")

	execSQL(t, w, "DROP VIEW users")
	execSQL(t, w, "ALTER TABLE users_real RENAME TO users")
	it, err := w.app.FindRecordById("access_review_items", item.Id)
	require.NoError(t, err)
	assert.Empty(t, it.GetString("decision"), "the decision is rolled back")
	u, err := w.app.FindRecordById("users", target)
	require.NoError(t, err)
	assert.True(t, u.GetBool("active"))
	assert.Equal(t, entries, countRows(t, w, "SELECT COUNT(*) FROM audit_log"), "no review decision audited")
}

// The governance decisions tell a database error from a missing record: a
// table that cannot be read is a 500 (logged by APIError), not the 404 of
// an unknown id that hid the failure from the operator.
func TestGovernanceDecisionsReportReadErrors(t *testing.T) {
	w := newWorld(t)
	now := time.Now()
	g, err := governance.CreateGrant(w.app, audit.SystemActor("test"), governance.GrantSpec{
		User: w.uid("sales"), Kind: "territory", Territory: w.T2, Expires: now.Add(time.Hour), Reason: "test"}, now)
	require.NoError(t, err)
	req := w.mk("access_requests", map[string]any{"requester": w.uid("sales"), "kind": "territory", "territory": w.T2,
		"justification": "salon régional", "status": "pending"})
	review, _, err := governance.OpenReviewCampaign(w.app, now)
	require.NoError(t, err)
	item, err := w.app.FindFirstRecordByFilter("access_review_items", "review = {:r} && user = {:u}", map[string]any{"r": review.Id, "u": w.uid("sales2")})
	require.NoError(t, err)
	admin := w.tokens["admin"]
	for _, tc := range []struct{ table, route, id, action string }{
		{"grants", "/api/prm/grants/", g.Id, "/revoke"},
		{"access_requests", "/api/prm/access-requests/", req.Id, "/reject"},
		{"access_review_items", "/api/prm/access-reviews/items/", item.Id, "/decide"},
	} {
		t.Run(tc.table, func(t *testing.T) {
			body := map[string]any{"reason": "non", "decision": "keep"}
			execSQL(t, w, "ALTER TABLE "+tc.table+" RENAME TO "+tc.table+"_unreachable")
			res := w.client.Do(http.MethodPost, tc.route+tc.id+tc.action, admin, body)
			execSQL(t, w, "ALTER TABLE "+tc.table+"_unreachable RENAME TO "+tc.table)
			assert.Equal(t, http.StatusInternalServerError, res.Status, res.Body)
			// a missing id is still the 404 of a record one may not see
			res = w.client.Do(http.MethodPost, tc.route+"nosuchrecord000"+tc.action, admin, body)
			assert.Equal(t, http.StatusNotFound, res.Status, res.Body)
		})
	}
}
