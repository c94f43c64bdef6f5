package hooks_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
)

func permissionID(t *testing.T, w *world, role, resource string) string {
	t.Helper()
	rec, err := w.app.FindFirstRecordByFilter("permissions", "role = {:r} && resource = {:res}", map[string]any{"r": role, "res": resource})
	require.NoError(t, err)
	return rec.Id
}

// Admins edit the matrix through the API; the rules follow at once and an
// invariant-breaking cell is refused with an error naming it (SPEC §3.2).
func TestMatrixChangesRecompileRules(t *testing.T) {
	w := newWorld(t)
	admin := w.tokens["admin"]
	tele := w.tokens["teleoperator"]

	doc := w.mk("documents", map[string]any{"title": "Argumentaire", "audience": "internal"})
	require.Equal(t, http.StatusOK, w.client.Do(http.MethodGet, url("documents", doc.Id), tele, nil).Status)

	// take documents away from teleoperators
	id := permissionID(t, w, "teleoperator", "documents")
	res := w.client.Do(http.MethodPatch, url("permissions", id), admin, map[string]any{"read": "none"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, http.StatusNotFound, w.client.Do(http.MethodGet, url("documents", doc.Id), tele, nil).Status)
	drift, err := access.Drift(w.app)
	require.NoError(t, err)
	assert.Empty(t, drift)

	// a partner may never see deal terms: refused, naming the cell
	id = permissionID(t, w, "partner_manager", "deal_terms")
	res = w.client.Do(http.MethodPatch, url("permissions", id), admin, map[string]any{"read": "org"})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assert.Contains(t, res.Body, "partner_manager")
	assert.Contains(t, res.Body, "deal_terms")
	cell, err := w.app.FindRecordById("permissions", id)
	require.NoError(t, err)
	assert.Equal(t, "none", cell.GetString("read"), "the refused change is not stored")

	// a partner role cannot be widened to territory through a new role either
	res = w.client.Do(http.MethodPost, url("roles"), admin, map[string]any{"id": "distributor", "name": "distributor", "kind": "partner"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = w.client.Do(http.MethodPost, url("permissions"), admin, map[string]any{"role": "distributor", "resource": "leads", "read": "territory", "update": "none", "delete": "none"})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.Contains(t, res.Body, "partner ceiling")

	// non-admins cannot touch the matrix
	res = w.client.Do(http.MethodPatch, url("permissions", id), w.tokens["channel_manager"], map[string]any{"read": "none"})
	assert.Equal(t, http.StatusNotFound, res.Status)
	res = w.client.Do(http.MethodGet, url("permissions"), w.tokens["partner_manager"], nil)
	assert.NotContains(t, res.Body, "deal_terms")

	// built-in roles stay
	res = w.client.Do(http.MethodDelete, url("roles", "partner_user"), admin, nil)
	assert.NotEqual(t, http.StatusNoContent, res.Status)
	res = w.client.Do(http.MethodPatch, url("roles", "partner_user"), admin, map[string]any{"kind": "internal"})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
}
