package hooks_test

import (
	"encoding/json"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/internal/testapp"
)

// auditRows are the audit log's entries (actor, action, changes) in order.
func auditRows(t *testing.T, app core.App) [][3]string {
	t.Helper()
	rows, err := app.DB().NewQuery("SELECT actor, action, changes FROM audit_log ORDER BY seq").Rows()
	require.NoError(t, err)
	defer rows.Close()
	var out [][3]string
	for rows.Next() {
		var r [3]string
		require.NoError(t, rows.Scan(&r[0], &r[1], &r[2]))
		out = append(out, r)
	}
	require.NoError(t, rows.Err())
	return out
}

// dbTables are the names of the main database's tables.
func dbTables(t *testing.T, app core.App) []string {
	t.Helper()
	var out []string
	require.NoError(t, app.DB().NewQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").Column(&out))
	return out
}

// The start-up step recompiles rules that drift from the stored matrix,
// in one audited policy.apply by system:startup naming the rules it
// replaced; a second start finds nothing to do and writes nothing.
func TestReconcileRepairsDrift(t *testing.T) {
	app := testapp.New(t, "")
	head := len(auditRows(t, app))
	r, err := hooks.Reconcile(app)
	require.NoError(t, err)
	assert.False(t, r.Changed(), "a started install has nothing to repair: %+v", r)
	assert.Len(t, auditRows(t, app), head)

	// rules changed behind the matrix's back (Go code is not guarded)
	leads, err := app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	open := "@request.auth.id != ''"
	leads.ListRule = &open
	require.NoError(t, app.Save(leads))
	perms, err := app.FindCollectionByNameOrId("permissions")
	require.NoError(t, err)
	perms.DeleteRule = nil
	require.NoError(t, app.Save(perms))

	r, err = hooks.Reconcile(app)
	require.NoError(t, err)
	require.Len(t, r.Policy, 2)
	assert.Equal(t, "leads", r.Policy[0].Collection)
	assert.Equal(t, []string{"listRule"}, r.Policy[0].Rules)
	assert.Equal(t, "permissions", r.Policy[1].Collection)
	assert.Equal(t, []string{"deleteRule"}, r.Policy[1].Rules)
	assert.Empty(t, r.Rebuilt)
	drift, err := access.Drift(app)
	require.NoError(t, err)
	assert.Empty(t, drift)
	leads, err = app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	assert.NotContains(t, *leads.ListRule, open)

	entries := auditRows(t, app)
	require.Len(t, entries, head+1, "one entry for the repair")
	last := entries[len(entries)-1]
	assert.Equal(t, "system:startup", last[0])
	assert.Equal(t, access.ActionPolicyApply, last[1])
	var changes map[string]map[string][]string
	require.NoError(t, json.Unmarshal([]byte(last[2]), &changes))
	assert.Equal(t, map[string][]string{"leads": {"listRule"}, "permissions": {"deleteRule"}}, changes["recompiled"])

	r, err = hooks.Reconcile(app)
	require.NoError(t, err)
	assert.False(t, r.Changed(), "second start: %+v", r)
	assert.Len(t, auditRows(t, app), head+1, "nothing audited the second time")
}

// The start-up step rebuilds what a migration asked for (the rollups, the
// accounts' duplicate keys: the same rows the live code keeps) and the
// rollups when one of their tables is missing, then drops the request
// table; an unknown request stops the start.
func TestReconcileRebuilds(t *testing.T) {
	w := reportWorld(t)
	app := w.app
	acc := w.mk("accounts", map[string]any{"name": "Boulangerie Le Fournil SARL", "postal_code": "35000", "siren": "443061841", "partner": w.P2})
	rollups := rollupSnapshot(t, app)
	require.NotEmpty(t, rollups["rollup_offers"])
	var keys []string
	keyQuery := app.DB().NewQuery("SELECT key FROM dedup_keys WHERE kind = 'account' AND record = {:id} ORDER BY key").Bind(map[string]any{"id": acc.Id})
	require.NoError(t, keyQuery.Column(&keys))
	require.NotEmpty(t, keys)
	tables := dbTables(t, app)
	assert.NotContains(t, tables, "relais_rebuild")

	exec := func(q string) {
		t.Helper()
		_, err := app.DB().NewQuery(q).Execute()
		require.NoError(t, err, q)
	}
	// derived data gone stale, and a migration asking for both rebuilds
	// the way migrations/rebuild.go does
	exec("DELETE FROM rollup_offers")
	exec("UPDATE rollup_accepts SET accepted = accepted + 7")
	exec("DELETE FROM dedup_keys WHERE kind = 'account'")
	exec("CREATE TABLE relais_rebuild (name TEXT PRIMARY KEY NOT NULL)")
	exec("INSERT INTO relais_rebuild (name) VALUES ('rollups'), ('account_keys')")

	r, err := hooks.Reconcile(app)
	require.NoError(t, err)
	assert.Equal(t, []string{hooks.RebuildAccountKeysName, hooks.RebuildRollupsName}, r.Rebuilt)
	assert.Empty(t, r.Policy)
	assert.Equal(t, rollups, rollupSnapshot(t, app))
	var after []string
	require.NoError(t, keyQuery.Column(&after))
	assert.Equal(t, keys, after)
	assert.Equal(t, tables, dbTables(t, app), "the request table is dropped once done")

	// a rollup table missing: created and filled, without a request
	exec("DROP TABLE rollup_leads")
	r, err = hooks.Reconcile(app)
	require.NoError(t, err)
	assert.Equal(t, []string{hooks.RebuildRollupsName}, r.Rebuilt)
	assert.Equal(t, rollups, rollupSnapshot(t, app))

	r, err = hooks.Reconcile(app)
	require.NoError(t, err)
	assert.False(t, r.Changed(), "nothing left: %+v", r)

	// a request this binary does not know
	exec("CREATE TABLE relais_rebuild (name TEXT PRIMARY KEY NOT NULL)")
	exec("INSERT INTO relais_rebuild (name) VALUES ('something_new')")
	_, err = hooks.Reconcile(app)
	require.ErrorContains(t, err, `unknown rebuild "something_new"`)
}

// `relais serve` runs the start-up step first in its serve event (right
// after PocketBase applied the migrations): the routes never serve drifted
// rules, and a failing step stops the server.
func TestServeReconcilesFirst(t *testing.T) {
	app := testapp.New(t, "")
	leads, err := app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	open := "@request.auth.id != ''"
	leads.ListRule = &open
	require.NoError(t, app.Save(leads))
	var driftSeen []string
	// a handler of the default priority, like the routes and the drift check
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		d, err := access.Drift(se.App)
		driftSeen = d
		require.NoError(t, err)
		return se.Next()
	})
	testapp.NewClient(t, app)
	assert.Empty(t, driftSeen, "repaired before the other serve handlers")
	entries := auditRows(t, app)
	require.NotEmpty(t, entries)
	assert.Equal(t, "system:startup", entries[len(entries)-1][0])

	broken := testapp.New(t, "")
	_, err = broken.DB().NewQuery("CREATE TABLE relais_rebuild (name TEXT PRIMARY KEY NOT NULL)").Execute()
	require.NoError(t, err)
	_, err = broken.DB().NewQuery("INSERT INTO relais_rebuild (name) VALUES ('something_new')").Execute()
	require.NoError(t, err)
	r, err := apis.NewRouter(broken)
	require.NoError(t, err)
	served := false
	err = broken.OnServe().Trigger(&core.ServeEvent{App: broken, Router: r}, func(*core.ServeEvent) error {
		served = true
		return nil
	})
	require.ErrorContains(t, err, "start-up")
	assert.False(t, served, "the server does not start")
}
