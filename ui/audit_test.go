package ui

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuditViewerFilters(t *testing.T) {
	e := newEnv(t)
	e.signedIn("installer001.sales@demo.test")
	b := e.signedIn("admin@demo.test")
	r := b.get("/audit?action=auth.login")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "auth.login")
	lacks(t, r.Body, "<code>permissions.update</code>")
	r = b.get("/audit?actor=installer001.sales@demo.test")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, e.user("installer001.sales@demo.test").GetString("name"))
	assert.Equal(t, http.StatusNotFound, e.signedIn("manager@demo.test").get("/audit").Status)
}
