package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docWorld adds a pilot-tier partner P3 with a salesperson ("pilot") and a
// distributor P4 with a manager ("distrib"). P1 is standard, P2 strategic.
func docWorld(t *testing.T) *world {
	w := newWorld(t)
	for _, p := range []struct{ key, name, kind, tier, role string }{
		{"pilot", "Jeune Pousse Solaire", "installer", "pilot", "partner_user"},
		{"distrib", "Distri Ouest", "distributor", "standard", "partner_manager"},
	} {
		pid := w.mk("partners", map[string]any{"name": p.name, "kind": p.kind, "tier": p.tier, "status": "active", "territories": []string{w.T1}}).Id
		u := w.addUser(p.key, p.role, "")
		u.Set("partner", pid)
		require.NoError(t, w.app.Save(u))
		w.tokens[p.key] = tokenOf(t, w, u)
	}
	return w
}

// doc stores a document with a file whose content is its canary.
func (w *world) doc(title, content string, fields map[string]any) *core.Record {
	w.t.Helper()
	f, err := filesystem.NewFileFromBytes([]byte(content), "document.txt")
	require.NoError(w.t, err)
	fields["title"] = title
	fields["file"] = f
	return w.mk("documents", fields)
}

// fileToken gets a PocketBase file token for a user.
func fileToken(t *testing.T, w *world, user string) string {
	t.Helper()
	res := dealDo(w, http.MethodPost, "/api/files/token", user, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	return dealJSON(t, res)["token"].(string)
}

// docGet downloads a document three ways: the Relais route, the file URL
// without a token and the file URL with the user's file token.
func docGet(t *testing.T, w *world, user string, d *core.Record) (route, bare, withToken testUpResponse) {
	t.Helper()
	fileURL := "/api/files/documents/" + d.Id + "/" + d.GetString("file")
	r := dealDo(w, http.MethodGet, "/api/prm/documents/"+d.Id+"/download", user, nil)
	b := w.client.Do(http.MethodGet, fileURL, "", nil)
	tok := ""
	if user != "" {
		tok = fileToken(t, w, user)
	}
	k := w.client.Do(http.MethodGet, fileURL+"?token="+tok, "", nil)
	return testUpResponse{r.Status, r.Body}, testUpResponse{b.Status, b.Body}, testUpResponse{k.Status, k.Body}
}

type testUpResponse struct {
	Status int
	Body   string
}

// A document's audience decides who gets it, by the API and by the file
// URL alike: a strategic-tier document is 404 for a pilot partner and 200
// for a strategic one; expired documents vanish for partners.
func TestDocumentAudience(t *testing.T) {
	w := docWorld(t)
	strategic := w.doc("Grille tarifaire stratégique", "CANARY-STRATEGIC", map[string]any{"audience": "tiers", "tiers": []string{"strategic"}})
	everyone := w.doc("Brochure 2027", "CANARY-BROCHURE", map[string]any{"audience": "all_partners"})
	internal := w.doc("Marges internes", "CANARY-INTERNAL", map[string]any{"audience": "internal"})
	expired := w.doc("Promo 2025", "CANARY-EXPIRED", map[string]any{"audience": "all_partners", "expires": time.Now().Add(-24 * time.Hour)})
	later := w.doc("Promo 2027", "CANARY-LATER", map[string]any{"audience": "all_partners", "expires": time.Now().Add(30 * 24 * time.Hour)})
	distributors := w.doc("Guide distributeurs", "CANARY-DISTRIB", map[string]any{"audience": "kinds", "kinds": []string{"distributor"}})
	all := []*core.Record{strategic, everyone, internal, expired, later, distributors}

	// who may get which document (the others must be 404 every way)
	visible := map[string][]*core.Record{
		"pilot":           {everyone, later},
		"partner_user":    {everyone, later}, // P1: standard installer
		"partner_manager": {everyone, later},
		"pu2":             {strategic, everyone, later}, // P2: strategic installer
		"distrib":         {everyone, later, distributors},
		"sales":           all,
		"teleoperator":    all,
		"channel_manager": all,
		"admin":           all,
	}
	for user, docs := range visible {
		res := dealDo(w, http.MethodGet, url("documents")+"?perPage=200", user, nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		for _, d := range all {
			canSee := false
			for _, v := range docs {
				canSee = canSee || v.Id == d.Id
			}
			title, canary := d.GetString("title"), "CANARY-"
			view := dealDo(w, http.MethodGet, url("documents", d.Id), user, nil)
			route, bare, withToken := docGet(t, w, user, d)
			assert.Equal(t, http.StatusNotFound, bare.Status, "%s %s: a protected file needs a token", user, title)
			assert.NotContains(t, bare.Body, canary)
			if canSee {
				assert.Contains(t, res.Body, title, "%s lists %s", user, title)
				assert.Equal(t, http.StatusOK, view.Status, "%s views %s", user, title)
				assert.Equal(t, http.StatusOK, route.Status, "%s downloads %s: %s", user, title, route.Body)
				assert.Equal(t, http.StatusOK, withToken.Status, "%s gets the file of %s", user, title)
				assert.Contains(t, withToken.Body, "CANARY-")
				assert.Contains(t, route.Body, "CANARY-")
				continue
			}
			assert.NotContains(t, res.Body, title, "%s lists %s", user, title)
			assert.NotContains(t, res.Body, d.Id)
			assert.Equal(t, http.StatusNotFound, view.Status, "%s views %s", user, title)
			assert.Equal(t, http.StatusNotFound, route.Status, "%s downloads %s", user, title)
			assert.Equal(t, http.StatusNotFound, withToken.Status, "%s gets the file of %s with a token", user, title)
			for _, body := range []string{view.Body, route.Body, withToken.Body} {
				assert.NotContains(t, body, canary)
				assert.NotContains(t, body, title)
			}
		}
	}
	// integrations have no documents at all; guests get 401 on the route
	route, _, withToken := docGet(t, w, "integration", everyone)
	assert.Equal(t, http.StatusNotFound, route.Status)
	assert.Equal(t, http.StatusNotFound, withToken.Status)
	assert.Equal(t, http.StatusUnauthorized, dealDo(w, http.MethodGet, "/api/prm/documents/"+everyone.Id+"/download", "", nil).Status)

	// a partner's filter on the audience finds nothing more
	res := dealDo(w, http.MethodGet, url("documents")+"?filter="+urlQuery("audience = 'internal' || tiers ~ 'strategic'"), "pilot", nil)
	assert.NotContains(t, res.Body, "Marges internes")
	assert.NotContains(t, res.Body, "stratégique")

	// a partner cannot write documents either
	res = dealDo(w, http.MethodPatch, url("documents", everyone.Id), "partner_manager", map[string]any{"audience": "internal"})
	assert.Equal(t, http.StatusNotFound, res.Status)
	res = dealDo(w, http.MethodPost, url("documents"), "partner_manager", map[string]any{"title": "x", "audience": "all_partners"})
	assert.Contains(t, []int{400, 403}, res.Status)
}

// A document for tiers or kinds must name them.
func TestDocumentAudienceNeedsItsList(t *testing.T) {
	w := newWorld(t)
	res := dealDo(w, http.MethodPost, url("documents"), "admin", map[string]any{"title": "Sans tiers", "audience": "tiers"})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.Contains(t, res.Body, "tiers")
	res = dealDo(w, http.MethodPost, url("documents"), "admin", map[string]any{"title": "Sans type", "audience": "kinds"})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	res = dealDo(w, http.MethodPost, url("documents"), "admin", map[string]any{"title": "Stratégique", "audience": "tiers", "tiers": []string{"strategic"}})
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
}

// Downloads of sensitive documents are audited, whichever way they go;
// refused downloads and ordinary documents leave no entry.
func TestSensitiveDownloadsAreAudited(t *testing.T) {
	w := docWorld(t)
	sensitive := w.doc("Tarifs nets", "CANARY-NET", map[string]any{"audience": "all_partners", "sensitive": true})
	ordinary := w.doc("Brochure", "CANARY-BROCHURE", map[string]any{"audience": "all_partners"})
	secret := w.doc("Tarifs stratégiques", "CANARY-STRAT", map[string]any{"audience": "tiers", "tiers": []string{"strategic"}, "sensitive": true})
	downloads := func(doc, actor string) int {
		return countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'document.download' AND record = {:d} AND actor = {:a}",
			dbx.Params{"d": doc, "a": actor})
	}

	route, _, withToken := docGet(t, w, "partner_manager", sensitive)
	require.Equal(t, http.StatusOK, route.Status)
	require.Equal(t, http.StatusOK, withToken.Status)
	assert.Equal(t, 2, downloads(sensitive.Id, w.uid("partner_manager")), "the route and the file URL are both audited, under the token's owner")
	var via []string
	require.NoError(t, w.app.DB().NewQuery("SELECT json_extract(changes, '$.via') FROM audit_log WHERE action = 'document.download' ORDER BY seq").Column(&via))
	assert.Equal(t, []string{"route", "file_url"}, via)
	var entry struct {
		Role    string `db:"actor_role"`
		Partner string `db:"actor_partner"`
	}
	require.NoError(t, w.app.DB().NewQuery("SELECT actor_role, actor_partner FROM audit_log WHERE action = 'document.download' ORDER BY seq DESC LIMIT 1").One(&entry))
	assert.Equal(t, "partner_manager", entry.Role)
	assert.Equal(t, w.P1, entry.Partner)

	route, _, withToken = docGet(t, w, "partner_manager", ordinary)
	require.Equal(t, http.StatusOK, route.Status)
	require.Equal(t, http.StatusOK, withToken.Status)
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'document.download' AND record = {:d}", dbx.Params{"d": ordinary.Id}))

	route, bare, withToken := docGet(t, w, "pilot", secret)
	assert.Equal(t, http.StatusNotFound, route.Status)
	assert.Equal(t, http.StatusNotFound, bare.Status)
	assert.Equal(t, http.StatusNotFound, withToken.Status)
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'document.download' AND record = {:d}", dbx.Params{"d": secret.Id}))
	route, _, withToken = docGet(t, w, "pu2", secret)
	assert.Equal(t, http.StatusOK, route.Status)
	assert.Equal(t, http.StatusOK, withToken.Status)
	assert.Equal(t, 2, downloads(secret.Id, w.uid("pu2")))
}
