package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/reports"
)

// permissionCell returns the permissions record of a role on a resource.
func permissionCell(t *testing.T, app core.App, role, resource string) *core.Record {
	t.Helper()
	rec, err := app.FindFirstRecordByFilter("permissions", "role = {:r} && resource = {:res}", dbx.Params{"r": role, "res": resource})
	require.NoError(t, err)
	return rec
}

// The matrix is cached in memory, and the very next request after
// a change of a permission sees the new matrix: through app.Save, through
// the REST API, and inside a transaction.
func TestMatrixCacheFollowsPermissionChanges(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.lead(ownLead("channel_manager"))
	w.lead(foreignLead("channel_manager")) // in T2, outside the manager's territory
	cm := w.users["channel_manager"]
	hint := func(app core.App) string { return access.ListHint(app, cm, "leads", time.Now()) }
	listed := func() int {
		res := w.client.Do(http.MethodGet, url("leads")+"?perPage=200&skipTotal=1", w.tokens["channel_manager"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		var p struct {
			Items []map[string]any `json:"items"`
		}
		res.JSON(t, &p)
		return len(p.Items)
	}
	territoryHint := "(territory = '" + w.T1 + "')"

	// warm the cache at the territory level
	require.Equal(t, territoryHint, hint(w.app))
	require.Equal(t, territoryHint, hint(w.app), "served from the cache")
	require.Equal(t, 1, listed())

	// app.Save: the next hint is the new level's (all: no hint)
	cell := permissionCell(t, w.app, "channel_manager", "leads")
	cell.Set("read", "all")
	require.NoError(t, w.app.Save(cell))
	assert.Equal(t, "", hint(w.app), "the hint must follow the saved matrix")
	assert.Equal(t, 2, listed(), "the REST list follows the saved matrix")

	// the REST API (admin edits the matrix): back to territory
	res := w.client.Do(http.MethodPatch, url("permissions")+"/"+cell.Id, w.tokens["admin"], map[string]any{"read": "territory"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, territoryHint, hint(w.app), "the hint must follow a change made through the API")
	assert.Equal(t, 1, listed())

	// inside a transaction: the transaction sees its own change, the others
	// the committed matrix until the commit, and everyone the new one after
	require.NoError(t, w.app.RunInTransaction(func(tx core.App) error {
		c := permissionCell(t, tx, "channel_manager", "leads")
		c.Set("read", "all")
		if err := tx.Save(c); err != nil {
			return err
		}
		assert.Equal(t, "", hint(tx), "a transaction reads its own uncommitted matrix")
		assert.Equal(t, territoryHint, hint(w.app), "outside the transaction: the committed matrix (now cached)")
		return nil
	}))
	assert.Equal(t, "", hint(w.app), "a value cached during the transaction is dropped at its commit")
	assert.Equal(t, 2, listed())

	// a rolled back change is never seen
	require.Error(t, w.app.RunInTransaction(func(tx core.App) error {
		c := permissionCell(t, tx, "channel_manager", "leads")
		c.Set("read", "territory")
		if err := tx.Save(c); err != nil {
			return err
		}
		return assert.AnError
	}))
	assert.Equal(t, "", hint(w.app))
}

// The report scope, the ingest right and the UI's role lookups read the
// matrix the same way: a change is seen by the next call.
func TestMatrixCacheFollowsReportAndIngestChanges(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	pu := w.users["partner_user"]
	_, err := reports.ScopeFor(w.app, pu, time.Now())
	require.NoError(t, err)
	cell := permissionCell(t, w.app, "partner_user", "reports")
	cell.Set("read", "none")
	require.NoError(t, w.app.Save(cell))
	_, err = reports.ScopeFor(w.app, pu, time.Now())
	assert.ErrorIs(t, err, domain.ErrForbidden, "the report scope follows the matrix")

	ingest := func() (int, string) {
		res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], ingestBody("CACHE-"+w.next()))
		return res.Status, res.Body
	}
	status, _ := ingest()
	require.NotEqual(t, http.StatusForbidden, status, "integrations create leads by default")
	cell = permissionCell(t, w.app, "integration", "leads")
	cell.Set("create", false)
	require.NoError(t, w.app.Save(cell))
	status, body := ingest()
	assert.Equal(t, http.StatusForbidden, status)
	assert.Contains(t, body, "Your role may not create leads", "the ingest check (canIngest) follows the matrix")
}

// settings_prm is cached too: a new partner page cap applies to the next
// list, whether it is saved in Go or through the API.
func TestSettingsCacheFollowsChanges(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for range 30 {
		w.lead(ownLead("partner_user"))
	}
	perPage := func() int {
		res := w.client.Do(http.MethodGet, url("leads")+"?perPage=500&skipTotal=1", w.tokens["partner_user"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		var p struct {
			PerPage int              `json:"perPage"`
			Items   []map[string]any `json:"items"`
		}
		res.JSON(t, &p)
		assert.Equal(t, min(p.PerPage, 30), len(p.Items))
		return p.PerPage
	}
	pu := w.users["partner_user"]
	require.Equal(t, access.DefaultPartnerPageCap, pageCap(t, w.app, pu))
	require.Equal(t, access.DefaultPartnerPageCap, perPage())
	require.Equal(t, access.DefaultPartnerPageCap, settingsOf(t, w.app).PartnerPageCap)

	s, err := w.app.FindRecordById("settings_prm", access.SettingsID)
	require.NoError(t, err)
	s.Set("partner_page_cap", 10)
	require.NoError(t, w.app.Save(s))
	assert.Equal(t, 10, pageCap(t, w.app, pu), "PageCapFor follows the saved settings")
	assert.Equal(t, 10, settingsOf(t, w.app).PartnerPageCap, "LoadSettings follows the saved settings")
	assert.Equal(t, 10, perPage(), "the REST list follows the saved settings")

	res := w.client.Do(http.MethodPatch, url("settings_prm")+"/"+access.SettingsID, w.tokens["admin"], map[string]any{"partner_page_cap": 20})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, 20, perPage(), "the REST list follows a change made through the API")
	assert.Equal(t, 20, settingsOf(t, w.app).PartnerPageCap)

	// the caller's copy is its own
	keys := settingsOf(t, w.app)
	keys.WebFormKeys = append(keys.WebFormKeys, "mutated")
	assert.NotContains(t, settingsOf(t, w.app).WebFormKeys, "mutated")
}

// The partner status behind AccountBlock (checked on every request) is
// cached and follows a suspension at once.
func TestPartnerStatusCacheFollowsChanges(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	pu := w.users["pu2"]
	require.Equal(t, "", access.AccountBlock(w.app, pu, time.Now()))
	p, err := w.app.FindRecordById("partners", w.P2)
	require.NoError(t, err)
	p.Set("status", "suspended")
	require.NoError(t, w.app.Save(p))
	assert.Equal(t, "partner_inactive", access.AccountBlock(w.app, pu, time.Now()), "a suspension is seen by the next check")
	p.Set("status", "active")
	require.NoError(t, w.app.Save(p))
	assert.Equal(t, "", access.AccountBlock(w.app, pu, time.Now()))
}
