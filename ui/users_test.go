package ui

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsersPage(t *testing.T) {
	e := newEnv(t)
	r := e.signedIn("admin@demo.test").get("/users?q=installer003")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "installer003.sales@demo.test")
	lacks(t, r.Body, "installer004.sales@demo.test")
	has(t, r.Body, `data-action="deactivate"`)
	has(t, r.Body, "hx-confirm=")

	cm := e.signedIn("manager.ouest@demo.test").get("/users")
	require.Equal(t, http.StatusOK, cm.Status)
	lacks(t, cm.Body, `data-action="deactivate"`, "channel managers do not manage accounts")
	assert.Equal(t, http.StatusNotFound, e.signedIn("installer001@demo.test").get("/users").Status)
}
