package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/demo"
)

// A database error while reading the account is a server error (500,
// logged by mwErrors), never the "wrong e-mail or password" answer: an
// operator must see the failure, and a login must not be audited as a
// wrong password when the password was never checked.
func TestLoginDatabaseErrorIsNotAWrongPassword(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.get("/login")
	var failedBefore int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed'").Row(&failedBefore))
	// the users table disappears under the running app
	_, err := e.app.DB().NewQuery("ALTER TABLE users RENAME TO users_unreachable").Execute()
	require.NoError(t, err)
	r := b.post("/login", url.Values{"email": {"installer001.sales@demo.test"}, "password": {demo.Password}})
	_, err = e.app.DB().NewQuery("ALTER TABLE users_unreachable RENAME TO users").Execute()
	require.NoError(t, err)

	assert.Equal(t, http.StatusInternalServerError, r.Status, r.Body)
	assert.NotContains(t, r.Body, "E-mail ou mot de passe incorrect.")
	assert.Nil(t, b.jar[sessionCookie])
	var failedAfter int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed'").Row(&failedAfter))
	assert.Equal(t, failedBefore, failedAfter, "no invalid_credentials entry for a password that was never checked")

	// the same login works once the table is back
	ok := b.post("/login", url.Values{"email": {"installer001.sales@demo.test"}, "password": {demo.Password}})
	assert.Equal(t, http.StatusSeeOther, ok.Status, ok.Body)
}
