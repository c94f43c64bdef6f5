package ui

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The menu of a session is read from the in-memory matrix: a change of a
// permission is seen by the very next request.
func TestSessionCapsFollowMatrixChanges(t *testing.T) {
	e := newEnv(t)
	h, err := newHandlers(e.app)
	require.NoError(t, err)
	u := e.user("installer001@demo.test")
	s, err := h.newSession(u, "t")
	require.NoError(t, err)
	require.True(t, s.caps.Reports, "partner managers see their figures by default")
	cell, err := e.app.FindFirstRecordByFilter("permissions", "role = {:r} && resource = 'reports'", dbx.Params{"r": u.GetString("role")})
	require.NoError(t, err)
	cell.Set("read", "none")
	require.NoError(t, e.app.Save(cell))
	s, err = h.newSession(u, "t")
	require.NoError(t, err)
	assert.False(t, s.caps.Reports, "the menu follows the saved matrix")
}
