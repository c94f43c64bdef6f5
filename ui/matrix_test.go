package ui

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMatrixGridForAdmins(t *testing.T) {
	e := newEnv(t)
	r := e.signedIn("admin@demo.test").get("/matrix")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `id="matrix"`)
	has(t, r.Body, `data-role="partner_user" data-resource="deal_terms"`)
	has(t, r.Body, `hx-trigger="change"`)
	for _, email := range []string{"manager@demo.test", "installer001@demo.test"} {
		assert.Equal(t, http.StatusNotFound, e.signedIn(email).get("/matrix").Status, email)
	}
}
