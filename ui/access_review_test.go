package ui

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAccessReviewForAdmins(t *testing.T) {
	e := newEnv(t)
	r := e.signedIn("admin@demo.test").get("/access-review")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `id="review-table"`)
	has(t, r.Body, "installer001.sales@demo.test")
	for _, email := range []string{"manager@demo.test", "installer001@demo.test"} {
		assert.Equal(t, http.StatusNotFound, e.signedIn(email).get("/access-review").Status, email)
	}
}
