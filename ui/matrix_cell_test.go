package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSavingACellThatBreaksAnInvariantShowsTheError(t *testing.T) {
	e := newEnv(t)
	cell, err := e.app.FindFirstRecordByFilter("permissions", "role = 'partner_user' && resource = 'deal_terms'")
	require.NoError(t, err)
	b := e.signedIn("admin@demo.test")
	b.get("/matrix")
	r := b.post("/matrix/"+cell.Id, url.Values{"read": {"all"}, "update": {"none"}, "delete": {"none"}}, hx)
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, "cell-error")
	has(t, r.Body, "deal_terms", "the compiler's message names the cell")
	got, err := e.app.FindRecordById("permissions", cell.Id)
	require.NoError(t, err)
	assert.Equal(t, "none", got.GetString("read"), "refused, not stored")
}

func TestSavingAValidCellRecompilesAndAudits(t *testing.T) {
	e := newEnv(t)
	cell, err := e.app.FindFirstRecordByFilter("permissions", "role = 'sales' && resource = 'documents'")
	require.NoError(t, err)
	b := e.signedIn("admin@demo.test")
	b.get("/matrix")
	r := b.post("/matrix/"+cell.Id, url.Values{"read": {"none"}, "update": {"none"}, "delete": {"none"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, "saved")
	got, err := e.app.FindRecordById("permissions", cell.Id)
	require.NoError(t, err)
	assert.Equal(t, "none", got.GetString("read"))
	n, err := e.app.CountRecords("audit_log", dbx.HashExp{"action": "permissions.update", "record": cell.Id})
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
	assert.Equal(t, http.StatusNotFound, e.signedIn("sales@demo.test").get("/documents").Status, "the menu follows the matrix")
}
