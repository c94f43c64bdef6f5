package ui

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDocumentsFollowTheAudience(t *testing.T) {
	e := newEnv(t)
	coll, err := e.app.FindCollectionByNameOrId("documents")
	require.NoError(t, err)
	mk := func(title, audience string, tiers []string) *core.Record {
		r := core.NewRecord(coll)
		r.Set("title", title)
		r.Set("audience", audience)
		r.Set("tiers", tiers)
		f, err := filesystem.NewFileFromBytes([]byte("%PDF-1.4 "+title), "doc.pdf")
		require.NoError(t, err)
		r.Set("file", f)
		require.NoError(t, e.app.Save(r))
		return r
	}
	public := mk("Fiche produit onduleur", "all_partners", nil)
	internal := mk("Grille de marges 2027", "internal", nil)

	b := e.signedIn("installer001.sales@demo.test")
	r := b.get("/documents")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "Fiche produit onduleur")
	lacks(t, r.Body, "Grille de marges 2027")

	dl := b.get("/documents/" + public.Id + "/file")
	assert.Equal(t, http.StatusOK, dl.Status)
	has(t, dl.Body, "%PDF-1.4 Fiche produit onduleur")
	assert.Equal(t, http.StatusNotFound, b.get("/documents/"+internal.Id+"/file").Status)

	admin := e.signedIn("admin@demo.test").get("/documents")
	has(t, admin.Body, "Grille de marges 2027")
}
