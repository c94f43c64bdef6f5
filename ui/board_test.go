package ui

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var assignRe = regexp.MustCompile(`id="assign-([a-z0-9]+)"`)

func TestBoardShowsTheManagersTerritoriesOnly(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("manager.ouest@demo.test")
	r := b.get("/board")
	require.Equal(t, http.StatusOK, r.Status)
	for _, section := range []string{`id="ready"`, `id="pending"`, `id="answers"`} {
		has(t, r.Body, section)
	}
	ids := assignRe.FindAllStringSubmatch(r.Body, -1)
	require.NotEmpty(t, ids, "the demo has ready leads in the west")
	west := map[string]bool{}
	for _, id := range e.user("manager.ouest@demo.test").GetStringSlice("territories") {
		west[id] = true
	}
	for _, m := range ids {
		l, err := e.app.FindRecordById("leads", m[1])
		require.NoError(t, err)
		assert.True(t, west[l.GetString("territory")], "lead %s is in the west", l.Id)
	}
	assert.Regexp(t, `charge \d+/\d+`, r.Body, "partners show their load")
	for _, email := range []string{"installer001@demo.test", "teleop@demo.test", "sales@demo.test"} {
		assert.Equal(t, http.StatusNotFound, e.signedIn(email).get("/board").Status, email)
	}
}
