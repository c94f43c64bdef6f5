package ui

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/intake"
)

// The lead page plays a call recording for internal roles (HTML audio and
// a download link, served by the UI with the session); partner roles see
// no player and get a 404 for the file, on their own lead too.
func TestLeadPagePlaysRecordingsForInternalRolesOnly(t *testing.T) {
	e := newEnv(t)
	pu := e.user("installer001.sales@demo.test")
	lead := e.leadWhere(dbx.HashExp{"status": "contacted", "assignee": pu.Id}, "")
	f, err := filesystem.NewFileFromBytes(append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), []byte("UI-CANARY-AUDIO")...), "appel.mp3")
	require.NoError(t, err)
	a, err := intake.AttachRecording(e.app, access.ByUser(e.user("admin@demo.test")), lead.Id, f, "Appel qualifié")
	require.NoError(t, err)
	src := "/leads/" + lead.Id + "/recordings/" + a.Id

	for _, who := range []string{"admin@demo.test", "manager@demo.test"} {
		b := e.signedIn(who)
		for _, lang := range []string{"fr", "en"} {
			r := b.get("/leads/"+lead.Id, header("Accept-Language", lang))
			require.Equal(t, http.StatusOK, r.Status, who)
			has(t, r.Body, `<audio controls preload="none" src="`+src+`"`, who)
			has(t, r.Body, src+"?download=1", who)
			// the page's CSP lets the player load it (default-src is 'none')
			assert.Contains(t, r.Header.Get("Content-Security-Policy"), "media-src 'self'", who)
		}
		r := b.get(src)
		assert.Equal(t, http.StatusOK, r.Status, who)
		has(t, r.Body, "UI-CANARY-AUDIO", who)
		assert.Contains(t, r.Header.Get("Content-Disposition"), "inline", who)
		assert.Contains(t, b.get(src+"?download=1").Header.Get("Content-Disposition"), "attachment", who)
	}
	for _, who := range []string{"installer001.sales@demo.test", "installer001@demo.test", "installer002@demo.test"} {
		b := e.signedIn(who)
		r := b.get("/leads/" + lead.Id)
		lacks(t, r.Body, "<audio", who)
		lacks(t, r.Body, a.Id, who)
		r = b.get(src)
		assert.Equal(t, http.StatusNotFound, r.Status, who)
		lacks(t, r.Body, "UI-CANARY-AUDIO", who)
	}
	// the activity id of another lead in the URL is refused too
	other := e.leadWhere(dbx.NewExp("id != {:id}", dbx.Params{"id": lead.Id}), "")
	assert.Equal(t, http.StatusNotFound, e.signedIn("admin@demo.test").get("/leads/"+other.Id+"/recordings/"+a.Id).Status)
}
