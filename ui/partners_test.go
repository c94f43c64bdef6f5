package ui

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPartnersList(t *testing.T) {
	e := newEnv(t)
	r := e.signedIn("manager@demo.test").get("/partners")
	require.Equal(t, http.StatusOK, r.Status)
	p, err := e.app.FindRecordById("partners", e.user("installer001@demo.test").GetString("partner"))
	require.NoError(t, err)
	has(t, r.Body, esc(p.GetString("name")))
	sus := e.signedIn("manager@demo.test").get("/partners?status=suspended")
	lacks(t, sus.Body, `data-partner-id="`+p.Id+`"`)
	assert.Equal(t, http.StatusNotFound, e.signedIn("installer001@demo.test").get("/partners").Status)
}
