package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/stmtcache"
)

// rawRename renames a user by raw SQL: no model event.
func rawRename(t *testing.T, app core.App, id, name string) {
	t.Helper()
	_, err := app.DB().Update("users", dbx.Params{"name": name}, dbx.HashExp{"id": id}).Execute()
	require.NoError(t, err)
}

// cachedName is the name of the account AuthByToken gives for token.
func cachedName(t *testing.T, app core.App, token string) string {
	t.Helper()
	u, err := access.AuthByToken(app, token, time.Now())
	require.NoError(t, err)
	return u.GetString("name")
}

// hitsAndMisses runs f and returns how many AuthByToken calls the cache
// answered and how many read the account meanwhile.
func hitsAndMisses(app core.App, f func()) (uint64, uint64) {
	h0, m0 := access.AuthCacheStats(app)
	f()
	h1, m1 := access.AuthCacheStats(app)
	return h1 - h0, m1 - m0
}

// The auth record of a token comes from memory once verified, each caller
// gets its own copy, and any write of the account's row, even by raw SQL
// (the triggers of relais_auth_gen), makes the next call read it again.
func TestAuthRecordsOfTokensComeFromMemory(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.tokens["partner_user"]
	require.Equal(t, "partner_user", cachedName(t, w.app, tok))
	var u *core.Record
	hits, misses := hitsAndMisses(w.app, func() {
		var err error
		u, err = access.AuthByToken(w.app, tok, time.Now())
		require.NoError(t, err)
	})
	assert.Equal(t, [2]uint64{1, 0}, [2]uint64{hits, misses}, "answered from memory")
	u.Set("name", "changed by a caller")
	assert.Equal(t, "partner_user", cachedName(t, w.app, tok), "a caller's change of its copy stays its own")
	rawRename(t, w.app, w.uid("partner_user"), "Renamed by SQL")
	assert.Equal(t, "Renamed by SQL", cachedName(t, w.app, tok), "a raw write is seen at once")
	// a token that does not authenticate is never cached
	for range 2 {
		_, err := access.AuthByToken(w.app, tok+"x", time.Now())
		assert.Error(t, err)
	}
	// an entry does not outlive its time to live
	hits, misses = hitsAndMisses(w.app, func() {
		_, err := access.AuthByToken(w.app, tok, time.Now().Add(2*time.Minute))
		require.NoError(t, err)
	})
	assert.Equal(t, [2]uint64{0, 1}, [2]uint64{hits, misses})
}

// The REST API and the web UI load the request's account through the
// cache: a second request with the same token does not read the account.
func TestRequestsLoadTheAccountFromMemory(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.tokens["sales"]
	status, _ := apiStatus(t, w, tok)
	require.Equal(t, http.StatusOK, status)
	hits, misses := hitsAndMisses(w.app, func() {
		status, _ = apiStatus(t, w, tok)
	})
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, [2]uint64{1, 0}, [2]uint64{hits, misses})
	// a raw write of the account (an expiry moved without rotating the
	// key) is seen at the next request
	_, err := w.app.DB().Update("users", dbx.Params{"active": false}, dbx.HashExp{"id": w.uid("sales")}).Execute()
	require.NoError(t, err)
	status, code := apiStatus(t, w, tok)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "account_inactive", code)
}

// Every change that revokes an account's sessions empties the cache: the
// token no longer authenticates at the very next call, and the REST API
// answers 401, while another account's cached token goes on.
func TestAuthCacheForgetsRevokedAccounts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(w *world, u *core.Record) error
	}{
		{"token key rotation", func(w *world, u *core.Record) error { u.RefreshTokenKey(); return w.app.Save(u) }},
		{"deactivation", func(w *world, u *core.Record) error { u.Set("active", false); return w.app.Save(u) }},
		{"password change", func(w *world, u *core.Record) error { u.SetPassword("another-password-7"); return w.app.Save(u) }},
		{"role change", func(w *world, u *core.Record) error { u.Set("role", "partner_manager"); return w.app.Save(u) }},
		{"partner change", func(w *world, u *core.Record) error { u.Set("partner", w.P2); return w.app.Save(u) }},
		{"deletion", func(w *world, u *core.Record) error { return w.app.Delete(u) }},
		{"auth token secret change", func(w *world, _ *core.Record) error {
			c, err := w.app.FindCollectionByNameOrId("users")
			if err != nil {
				return err
			}
			c.AuthToken.Secret = "a-new-secret-of-at-least-thirty-chars-0123456789"
			return w.app.Save(c)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tok := w.tokens["partner_user"]
			require.Equal(t, "partner_user", cachedName(t, w.app, tok))
			status, _ := apiStatus(t, w, tok)
			require.Equal(t, http.StatusOK, status)
			u, err := w.app.FindRecordById("users", w.uid("partner_user"))
			require.NoError(t, err)
			require.NoError(t, tc.change(w, u))
			_, err = access.AuthByToken(w.app, tok, time.Now())
			assert.Error(t, err, "the token no longer authenticates")
			status, _ = apiStatus(t, w, tok)
			assert.Equal(t, http.StatusUnauthorized, status)
			if tc.name != "auth token secret change" {
				status, _ = apiStatus(t, w, w.tokens["partner_user_b"])
				assert.Equal(t, http.StatusOK, status, "a colleague goes on")
			}
		})
	}
}

// A change of an account that keeps its sessions (its name), of a partner
// (its status decides whether its accounts may work) or of a role makes
// the next call read the account again.
func TestAuthCacheForgetsChangedAccountsPartnersAndRoles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, collection, id string
		field                string
		value                any
	}{
		{"account", "users", "", "name", "Renamed"},
		{"partner", "partners", "P1", "name", "Soleil Ouest SA"},
		{"role", "roles", "partner_user", "name", "Technicien"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tok := w.tokens["partner_user"]
			require.Equal(t, "partner_user", cachedName(t, w.app, tok))
			id := map[string]string{"": w.uid("partner_user"), "P1": w.P1, "partner_user": "partner_user"}[tc.id]
			r, err := w.app.FindRecordById(tc.collection, id)
			require.NoError(t, err)
			r.Set(tc.field, tc.value)
			require.NoError(t, w.app.Save(r))
			var name string
			hits, misses := hitsAndMisses(w.app, func() { name = cachedName(t, w.app, tok) })
			assert.Equal(t, [2]uint64{0, 1}, [2]uint64{hits, misses})
			if tc.collection == "users" {
				assert.Equal(t, "Renamed", name)
			}
		})
	}
}

// A suspended partner's accounts get 401 at their next call although
// their auth records were cached.
func TestAuthCacheAndSuspendedPartner(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.tokens["partner_user"]
	status, _ := apiStatus(t, w, tok)
	require.Equal(t, http.StatusOK, status)
	p, err := w.app.FindRecordById("partners", w.P1)
	require.NoError(t, err)
	p.Set("status", "suspended")
	require.NoError(t, w.app.Save(p))
	status, _ = apiStatus(t, w, tok)
	assert.Equal(t, http.StatusUnauthorized, status)
}

// BenchmarkAuthByToken compares the auth record of a token from the cache
// with PocketBase's load (the read of the account and the signature
// check): go test ./hooks -run '^$' -bench AuthByToken.
func BenchmarkAuthByToken(b *testing.B) {
	w := newWorld(b)
	tok := w.tokens["partner_user"]
	b.Run("cache", func(b *testing.B) {
		for b.Loop() {
			if _, err := access.AuthByToken(w.app, tok, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pocketbase", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.app.FindAuthRecordByToken(tok, core.TokenTypeAuth); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The reads every request makes outside a transaction (the auth
// generation of a token's check) run on statements prepared once on the
// read pool, not compiled again per request: app.DB() outside a
// transaction is PocketBase's routing builder, which the cache does not
// prepare.
func TestRequestReadsReusePreparedStatements(t *testing.T) {
	w := newWorld(t)
	token := w.tokens["partner_user"]
	read := w.app.ConcurrentDB().(*dbx.DB).DB()
	for range 2 {
		cachedName(t, w.app, token)
	}
	stmtcache.Wait(read)
	before := stmtcache.SnapshotOf(read)
	for range 5 {
		cachedName(t, w.app, token)
	}
	after := stmtcache.SnapshotOf(read)
	assert.Zero(t, after.Prepares-before.Prepares, "nothing prepared again")
	assert.GreaterOrEqual(t, after.Reuses-before.Reuses, int64(5), "the auth generation's statement reused by each check")
}
