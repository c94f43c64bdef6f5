package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/apikeys"
	"github.com/relais/relais/hooks/audit"
)

// newKey makes an API key of a world user with scopes.
func newKey(t *testing.T, w *world, user string, scopes ...string) (string, string) {
	t.Helper()
	key, rec, err := apikeys.Create(w.app, audit.ActorOfUser(w.users["admin"]), w.uid(user), "crm "+w.next(), scopes)
	require.NoError(t, err)
	return "Bearer " + key, rec.Id
}

// A key with the ingest scope ingests as its integration account; it
// cannot list leads (no status scope), and with the status scope it lists
// only the leads its account created, never another integration's.
func TestAPIKeyIngestsAndSeesOnlyItsOwnLeads(t *testing.T) {
	w := newWorld(t)
	w.addUser("integration2", "integration", "")
	foreign := w.lead(leadShape{territory: "T2", status: "new", createdBy: "integration2"})
	ingestOnly, _ := newKey(t, w, "integration", apikeys.ScopeIngest)

	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", ingestOnly, ingestBody("KEY-1"))
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var lead map[string]any
	res.JSON(t, &lead)
	own := leadRec(t, w, lead["id"].(string))
	assert.Equal(t, w.uid("integration"), own.GetString("created_by"), "the key acts as its integration account")

	// outside its scopes: 403, whatever the route
	for _, r := range []struct{ method, path string }{
		{http.MethodGet, "/api/collections/leads/records"},
		{http.MethodGet, "/api/collections/leads/records/" + foreign.Id},
		{http.MethodPost, "/api/collections/users/auth-refresh"},
		{http.MethodGet, "/api/collections/users/records"},
		{http.MethodGet, "/api/collections/lead_contacts/records"},
		{http.MethodGet, "/api/prm/webhooks/events"},
		{http.MethodGet, "/api/collections/api_keys/records"},
	} {
		res := w.client.Do(r.method, r.path, ingestOnly, nil)
		assert.Equal(t, http.StatusForbidden, res.Status, "%s %s: %s", r.method, r.path, res.Body)
		assert.Contains(t, res.Body, "api_key_scope")
		assert.NotContains(t, res.Body, foreign.GetString("company"))
	}

	status, _ := newKey(t, w, "integration", apikeys.ScopeIngest, apikeys.ScopeStatus)
	res = w.client.Do(http.MethodGet, "/api/collections/leads/records?perPage=200", status, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, own.Id)
	assert.NotContains(t, res.Body, foreign.Id, "another integration's lead")
	assert.NotContains(t, res.Body, foreign.GetString("company"))
	res = w.client.Do(http.MethodGet, "/api/collections/leads/records/"+foreign.Id, status, nil)
	assert.Equal(t, http.StatusNotFound, res.Status, res.Body)
	// its own lead's status by id, and its leads changed last (the
	// README's examples)
	res = w.client.Do(http.MethodGet, "/api/collections/leads/records/"+own.Id+"?fields=id,source_ref,status,won_amount,lost_reason", status, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, `"source_ref":"KEY-1"`)
	res = w.client.Do(http.MethodGet, "/api/collections/leads/records?sort=-updated&fields=id,source_ref,status", status, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, own.Id)
	res = w.client.Do(http.MethodGet, "/api/collections/leads/records/"+own.Id, status, nil)
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	// a write the account's rules would allow is still outside the scopes
	res = w.client.Do(http.MethodPatch, "/api/collections/leads/records/"+own.Id, status, map[string]any{"interest": "x"})
	assert.Equal(t, http.StatusForbidden, res.Status, res.Body)
}

// A revoked key gets 401 on its very next request; an unknown one too.
// Creation and revocation are audited, the key itself never.
func TestRevokedAPIKeyGets401AtOnce(t *testing.T) {
	w := newWorld(t)
	head := auditHead(t, w.app)
	key, id := newKey(t, w, "integration", apikeys.ScopeStatus)
	created := onlyEntry(t, w.app, head, apikeys.ActionCreate)
	assert.NotContains(t, created.GetString("changes"), key[len("Bearer "):])
	assert.NotContains(t, created.GetString("changes"), apikeys.Hash(key[len("Bearer "):]))

	res := w.client.Do(http.MethodGet, "/api/collections/leads/records", key, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)

	head = auditHead(t, w.app)
	require.NoError(t, apikeys.Revoke(w.app, audit.ActorOfUser(w.users["admin"]), id))
	onlyEntry(t, w.app, head, apikeys.ActionRevoke)
	res = w.client.Do(http.MethodGet, "/api/collections/leads/records", key, nil)
	assert.Equal(t, http.StatusUnauthorized, res.Status, res.Body)
	assert.Contains(t, res.Body, "api_key_invalid")
	res = w.client.Do(http.MethodPost, "/api/prm/leads/ingest", key, ingestBody("REV-1"))
	assert.Equal(t, http.StatusUnauthorized, res.Status, res.Body)

	res = w.client.Do(http.MethodGet, "/api/collections/leads/records", "Bearer rlk_unknownkeyunknownkeyunknownkeyunknownkey0", nil)
	assert.Equal(t, http.StatusUnauthorized, res.Status, res.Body)

	// a deactivated integration account: its keys stop too
	key2, _ := newKey(t, w, "integration", apikeys.ScopeStatus)
	_, err := w.app.DB().NewQuery("UPDATE users SET active = false WHERE id = {:id}").Bind(dbx.Params{"id": w.uid("integration")}).Execute()
	require.NoError(t, err)
	res = w.client.Do(http.MethodGet, "/api/collections/leads/records", key2, nil)
	assert.Equal(t, http.StatusUnauthorized, res.Status, res.Body)
}

// Keys are for integration accounts only; a key needs a name and scopes.
func TestAPIKeysOnlyForIntegrations(t *testing.T) {
	w := newWorld(t)
	a := audit.ActorOfUser(w.users["admin"])
	for _, c := range []struct {
		user, name string
		scopes     []string
	}{
		{"partner_user", "x", []string{"ingest"}},
		{"admin", "x", []string{"ingest"}},
		{"integration", "", []string{"ingest"}},
		{"integration", "x", nil},
		{"integration", "x", []string{"everything"}},
	} {
		_, _, err := apikeys.Create(w.app, a, w.uid(c.user), c.name, c.scopes)
		assert.Error(t, err, "%+v", c)
	}
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM api_keys"))
}

// The use of a key is audited once per minute per key, not per request.
func TestAPIKeyUseAuditedOncePerMinute(t *testing.T) {
	w := newWorld(t)
	key, id := newKey(t, w, "integration", apikeys.ScopeStatus)
	head := auditHead(t, w.app)
	for range 3 {
		res := w.client.Do(http.MethodGet, "/api/collections/leads/records", key, nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
	}
	uses := entriesOf(t, w.app, head, apikeys.ActionUse)
	require.Len(t, uses, 1)
	assert.Equal(t, w.uid("integration"), uses[0].GetString("actor"))
	assert.Equal(t, id, uses[0].GetString("record"))

	old := time.Now().Add(-2 * time.Minute).UTC().Format("2006-01-02 15:04:05.000Z")
	_, err := w.app.DB().NewQuery("UPDATE api_keys SET last_used_at = {:t} WHERE id = {:id}").Bind(dbx.Params{"t": old, "id": id}).Execute()
	require.NoError(t, err)
	res := w.client.Do(http.MethodGet, "/api/collections/leads/records", key, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Len(t, entriesOf(t, w.app, head, apikeys.ActionUse), 2)
}

// With the setting on, an integration account cannot log in with its
// password (REST); its keys still work, and other accounts log in.
func TestIntegrationPasswordLoginOff(t *testing.T) {
	w := newWorld(t)
	login := func(who string) int {
		return w.client.Do(http.MethodPost, "/api/collections/users/auth-with-password", "",
			map[string]any{"identity": who + "@world.test", "password": "world-password-1"}).Status
	}
	require.Equal(t, http.StatusOK, login("integration"))
	head := auditHead(t, w.app)
	require.NoError(t, apikeys.SetPasswordLoginOff(w.app, audit.ActorOfUser(w.users["admin"]), true))
	onlyEntry(t, w.app, head, apikeys.ActionPasswordLogin)
	assert.Equal(t, http.StatusForbidden, login("integration"))
	assert.Equal(t, http.StatusOK, login("partner_user"))
	key, _ := newKey(t, w, "integration", apikeys.ScopeIngest)
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", key, ingestBody("PWOFF-1"))
	assert.Equal(t, http.StatusCreated, res.Status, res.Body)

	require.NoError(t, apikeys.SetPasswordLoginOff(w.app, audit.ActorOfUser(w.users["admin"]), false))
	assert.Equal(t, http.StatusOK, login("integration"))
}

// api_keys, integration_webhooks and webhook_events are superuser-only:
// no role, no guest and no key reads or writes them through the API; a
// superuser does (the control).
func TestIntegrationCollectionsSuperuserOnly(t *testing.T) {
	w := newWorld(t)
	key, keyID := newKey(t, w, "integration", apikeys.Scopes()...)
	w.mk("integration_webhooks", map[string]any{"user": w.uid("integration"), "url": "http://127.0.0.1:9/x", "secret": "whsec_canary", "active": true})
	hash := apikeys.Hash(key[len("Bearer "):])
	callers := map[string]string{"guest": "", "key": key}
	for k, tok := range w.tokens {
		callers[k] = tok
	}
	for _, coll := range []string{"api_keys", "integration_webhooks", "webhook_events"} {
		for who, tok := range callers {
			for _, r := range []struct {
				method, path string
				body         any
			}{
				{http.MethodGet, url(coll), nil},
				{http.MethodGet, url(coll, keyID), nil},
				{http.MethodPost, url(coll), map[string]any{"name": "x", "user": w.uid("integration")}},
				{http.MethodPatch, url(coll, keyID), map[string]any{"revoked_at": ""}},
				{http.MethodDelete, url(coll, keyID), nil},
			} {
				res := w.client.Do(r.method, r.path, tok, r.body)
				assert.GreaterOrEqual(t, res.Status, 400, "%s %s %s: %s", who, r.method, r.path, res.Body)
				for _, secret := range []string{hash, "whsec_canary", keyID} {
					if r.method == http.MethodGet {
						assert.NotContains(t, res.Body, secret, "%s %s %s", who, r.method, r.path)
					}
				}
			}
		}
	}
	res := w.client.Do(http.MethodGet, url("api_keys"), w.superToken(), nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, keyID, "the control: a superuser lists the keys")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM api_keys WHERE revoked_at = ''"))
}
