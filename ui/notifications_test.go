package ui

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotificationsAreTheUsersOwnAndCanBeRead(t *testing.T) {
	e := newEnv(t)
	coll, err := e.app.FindCollectionByNameOrId("notifications")
	require.NoError(t, err)
	mk := func(user *core.Record, title string) *core.Record {
		n := core.NewRecord(coll)
		n.Set("user", user.Id)
		n.Set("kind", "offer")
		n.Set("title", title)
		require.NoError(t, e.app.Save(n))
		return n
	}
	mine := mk(e.user("installer001.sales@demo.test"), "Nouvelle offre pour vous")
	mk(e.user("installer002.sales@demo.test"), "Offre pour un autre")

	b := e.signedIn("installer001.sales@demo.test")
	r := b.get("/notifications")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "Nouvelle offre pour vous")
	lacks(t, r.Body, "Offre pour un autre")

	r = b.post("/notifications/"+mine.Id+"/read", nil, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	got, err := e.app.FindRecordById("notifications", mine.Id)
	require.NoError(t, err)
	assert.True(t, got.GetBool("read"))
	r = b.post("/notifications/all/read", nil)
	assert.Equal(t, http.StatusSeeOther, r.Status)
}
