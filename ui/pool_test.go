package ui

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPoolListsUnassignedLeadsForTeleoperators(t *testing.T) {
	e := newEnv(t)
	r := e.signedIn("teleop@demo.test").get("/pool")
	require.Equal(t, http.StatusOK, r.Status)
	ids := leadRowRe.FindAllStringSubmatch(r.Body, -1)
	require.NotEmpty(t, ids)
	for _, m := range ids {
		l, err := e.app.FindRecordById("leads", m[1])
		require.NoError(t, err)
		assert.Contains(t, []string{"new", "qualifying", "ready", "recycled"}, l.GetString("status"))
		assert.Empty(t, l.GetString("partner"))
	}
	for _, email := range []string{"installer001@demo.test", "manager.ouest@demo.test", "sales@demo.test"} {
		assert.Equal(t, http.StatusNotFound, e.signedIn(email).get("/pool").Status, email)
	}
}
