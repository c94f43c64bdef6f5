package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/policy"
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
	// the compiler's reason, worded in the reader's language and naming the
	// cell by its labels, not the developer's English
	has(t, r.Body, "Commercial partenaire, Conditions commerciales, Lire : un rôle partenaire n&#39;accède jamais à Conditions commerciales")
	lacks(t, r.Body, "permissions: role", "no raw compiler text")
	lacks(t, r.Body, "partner roles may never")
	got, err := e.app.FindRecordById("permissions", cell.Id)
	require.NoError(t, err)
	assert.Equal(t, "none", got.GetString("read"), "refused, not stored")

	// the same refusal for an English-speaking admin
	admin := e.user("admin@demo.test")
	admin.Set("locale", "en")
	require.NoError(t, e.app.Save(admin))
	b = e.signedIn("admin@demo.test")
	b.get("/matrix")
	r = b.post("/matrix/"+cell.Id, url.Values{"read": {"all"}, "update": {"none"}, "delete": {"none"}}, hx)
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, "Partner salesperson, Deal terms, Read: a partner role never reaches Deal terms")
}

// Every reason the compiler can give has its wording in both languages.
func TestEveryMatrixReasonIsTranslated(t *testing.T) {
	tr, err := newTranslator()
	require.NoError(t, err)
	for _, code := range policy.ReasonCodes() {
		for _, lang := range []string{"fr", "en"} {
			assert.True(t, tr.ids[lang]["matrix.error."+code], "%s: matrix.error.%s", lang, code)
		}
	}
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
