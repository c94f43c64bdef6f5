package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/apikeys"
)

var keyRe = regexp.MustCompile(`rlk_[A-Za-z0-9_-]{43}`)
var secretRe = regexp.MustCompile(`whsec_[0-9a-f]{64}`)

// The integrations page is the admins': every other role gets 404 on each
// of its routes, and sees no menu entry for it.
func TestIntegrationsPageIsAdminOnly(t *testing.T) {
	e := newEnv(t)
	api := e.user("api@demo.test")
	for _, email := range []string{"manager@demo.test", "manager.ouest@demo.test", "teleop@demo.test", "sales@demo.test", "installer001@demo.test", "installer001.sales@demo.test"} {
		b := e.signedIn(email)
		lacks(t, b.get("/profile").Body, `href="/integrations"`, email)
		assert.Equal(t, http.StatusNotFound, b.get("/integrations").Status, email)
		assert.Equal(t, http.StatusNotFound, b.get("/integrations/deliveries").Status, email)
		r := b.post("/integrations/"+api.Id+"/keys", url.Values{"name": {"x"}, "scopes": {"ingest"}})
		assert.Equal(t, http.StatusNotFound, r.Status, email)
		lacks(t, r.Body, "rlk_", email)
		assert.Equal(t, http.StatusNotFound, b.post("/integrations/"+api.Id+"/webhook", url.Values{"url": {"https://x.test/"}}).Status, email)
		assert.Equal(t, http.StatusNotFound, b.post("/integrations/password-login", url.Values{"off": {"true"}}).Status, email)
	}
	var n int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM api_keys").Row(&n))
	assert.Zero(t, n)
}

// An admin creates a key (shown once, stored hashed), revokes it, sets the
// webhook (its secret shown once) and refuses password logins; in French
// and in English.
func TestIntegrationsPageKeysAndWebhook(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			api := e.user("api@demo.test")
			b := e.signedIn("admin@demo.test")
			b.post("/lang", url.Values{"lang": {lang}})
			page := b.get("/integrations")
			require.Equal(t, http.StatusOK, page.Status, page.Body)
			has(t, page.Body, `id="integration-`+api.Id+`"`)
			has(t, page.Body, esc(map[string]string{"fr": "Clés d'API", "en": "API keys"}[lang]))
			has(t, page.Body, `href="/integrations"`)

			r := b.post("/integrations/"+api.Id+"/keys", url.Values{"name": {"CRM"}, "scopes": {"ingest", "status"}})
			require.Equal(t, http.StatusOK, r.Status, r.Body)
			key := keyRe.FindString(r.Body)
			require.NotEmpty(t, key, "the key is shown once")
			var id string
			require.NoError(t, e.app.DB().NewQuery("SELECT id FROM api_keys WHERE hash = {:h}").Bind(dbx.Params{"h": apikeys.Hash(key)}).Row(&id))
			var clear int
			require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM api_keys WHERE hash = {:k} OR prefix = {:k}").Bind(dbx.Params{"k": key}).Row(&clear))
			assert.Zero(t, clear, "never stored in clear")
			page = b.get("/integrations")
			lacks(t, page.Body, key, "shown once only")
			has(t, page.Body, `data-key-id="`+id+`"`)

			// a key without scope is refused with the field's message
			r = b.post("/integrations/"+api.Id+"/keys", url.Values{"name": {"CRM 2"}})
			assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
			has(t, r.Body, map[string]string{"fr": "Choisissez au moins une portée.", "en": "Choose at least one scope."}[lang])
			assert.Empty(t, keyRe.FindString(r.Body))

			r = b.post("/integrations/keys/"+id+"/revoke", nil)
			require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
			page = b.get("/integrations")
			has(t, page.Body, map[string]string{"fr": "Clé révoquée.", "en": "Key revoked."}[lang])
			has(t, page.Body, map[string]string{"fr": "Révoquée", "en": "Revoked"}[lang])

			r = b.post("/integrations/"+api.Id+"/webhook", url.Values{"url": {"https://crm.example.test/relais"}, "active": {"on"}})
			require.Equal(t, http.StatusOK, r.Status, r.Body)
			secret := secretRe.FindString(r.Body)
			require.NotEmpty(t, secret, "the secret is shown once")
			page = b.get("/integrations")
			has(t, page.Body, "https://crm.example.test/relais")
			lacks(t, page.Body, secret)
			r = b.post("/integrations/"+api.Id+"/webhook", url.Values{"url": {"ftp://x"}})
			assert.Equal(t, http.StatusUnprocessableEntity, r.Status)

			r = b.post("/integrations/password-login", url.Values{"off": {"true"}})
			require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
			api2 := e.browser()
			api2.get("/login")
			r = api2.post("/login", url.Values{"email": {"api@demo.test"}, "password": {"relais-demo-2026"}})
			assert.Equal(t, http.StatusForbidden, r.Status)
			assert.True(t, strings.Contains(r.Body, esc("par clé d'API")) || strings.Contains(r.Body, "with an API key"), r.Body)

			deliveries := b.get("/integrations/deliveries")
			require.Equal(t, http.StatusOK, deliveries.Status)
			has(t, deliveries.Body, map[string]string{"fr": "Envois des webhooks", "en": "Webhook deliveries"}[lang])
		})
	}
}
