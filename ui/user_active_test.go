package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeactivateAUserInOneClick(t *testing.T) {
	e := newEnv(t)
	victim := e.signedIn("installer003.sales@demo.test")
	u := e.user("installer003.sales@demo.test")
	admin := e.signedIn("admin@demo.test")
	admin.get("/users?q=installer003.sales")
	r := admin.post("/users/"+u.Id+"/active", url.Values{"active": {"false"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, `data-action="reactivate"`)
	lacks(t, r.Body, "<html")
	assert.False(t, e.user("installer003.sales@demo.test").GetBool("active"))
	assert.Equal(t, http.StatusSeeOther, victim.get("/leads").Status, "their session ends at the next click")

	cm := e.signedIn("manager.ouest@demo.test")
	cm.get("/users")
	assert.Equal(t, http.StatusNotFound, cm.post("/users/"+u.Id+"/active", url.Values{"active": {"true"}}).Status)
	assert.Equal(t, http.StatusForbidden, admin.post("/users/"+e.user("admin@demo.test").Id+"/active", url.Values{"active": {"false"}}).Status, "not yourself")
}
