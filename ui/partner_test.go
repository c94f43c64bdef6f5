package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPartnerPageAndSuspension(t *testing.T) {
	e := newEnv(t)
	pid := e.user("installer005@demo.test").GetString("partner")
	victim := e.signedIn("installer005.sales@demo.test")

	b := e.signedIn("admin@demo.test")
	r := b.get("/partners/" + pid)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "installer005.sales@demo.test", "the partner's users")
	has(t, r.Body, `value="suspended"`)

	r = b.post("/partners/"+pid+"/status", url.Values{"status": {"suspended"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	p, err := e.app.FindRecordById("partners", pid)
	require.NoError(t, err)
	assert.Equal(t, "suspended", p.GetString("status"))
	assert.Equal(t, http.StatusSeeOther, victim.get("/inbox").Status, "the partner's sessions end")
}

func TestPartnerPageOfAnotherCompanyIsA404ForPartners(t *testing.T) {
	e := newEnv(t)
	other := e.user("installer002@demo.test").GetString("partner")
	assert.Equal(t, http.StatusNotFound, e.signedIn("installer001@demo.test").get("/partners/"+other).Status)
}
