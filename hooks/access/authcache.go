package access

import (
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"github.com/relais/relais/hooks/stmtcache"
)

// The auth record of a token, from memory. PocketBase loads the auth
// record of the request's token on every request (FindAuthRecordByToken:
// the collection, the account's whole row loaded into a record, two JWT
// parses and a signature check); AuthByToken answers the same from memory
// for a token it has already verified, after one read of a one-row
// counter.
//
// What keeps it exact:
//   - the counter (relais_auth_gen, migration 1763801140) is bumped by
//     SQLite triggers on every update or deletion of a users or
//     _superusers row, whoever writes it (a model save, raw SQL, another
//     process on the same data dir). An entry remembers the counter read
//     before its row was loaded and is used only while the counter has not
//     moved: a change that commits between the two reads only costs a miss;
//   - every committed change of a record of an auth collection, of a
//     partner or of a role, and every change of a collection (its token
//     secrets) also forgets every entry (hooks.Register binds the resets;
//     the generation counter of caches.go stops a load started before
//     such a change from being stored after it);
//   - an entry lives at most authCacheTTL and never past its token's
//     expiry; the cache holds at most authCacheMax tokens (a full cache is
//     emptied).
//
// Only auth tokens (core.TokenTypeAuth) are cached, as PocketBase's
// loadAuthToken middleware loads them; failures are never cached. Every
// answer is the caller's own copy of the record.

// authCacheTTL bounds how long a cached auth record is used.
const authCacheTTL = time.Minute

// authCacheMax bounds the number of cached tokens.
const authCacheMax = 4096

type authEntry struct {
	rec   *core.Record
	until time.Time
	dbGen int64 // relais_auth_gen when the row was loaded
}

// authCache maps a token to its verified auth record.
type authCache struct {
	mu           sync.Mutex
	gen          uint64
	m            map[string]authEntry
	hits, misses uint64
}

func (c *authCache) lookup(token string, now time.Time, dbGen int64) (*core.Record, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[token]; ok && now.Before(e.until) && e.dbGen == dbGen {
		c.hits++
		return e.rec.Fresh(), c.gen
	}
	c.misses++
	return nil, c.gen
}

func (c *authCache) store(token string, e authEntry, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.m == nil || len(c.m) >= authCacheMax {
		c.m = map[string]authEntry{}
	}
	e.rec = e.rec.Fresh()
	c.m[token] = e
}

func (c *authCache) reset() {
	c.mu.Lock()
	c.gen++
	c.m = nil
	c.mu.Unlock()
}

// AuthByToken returns the auth record of an auth token like
// app.FindAuthRecordByToken(token, core.TokenTypeAuth), from memory when
// it verified the same token less than authCacheTTL ago and nothing that
// could change the answer happened since (see above). Without the app's
// caches (Register not called, inside a transaction) it reads the
// database.
func AuthByToken(app core.App, token string, now time.Time) (*core.Record, error) {
	c := cachesOf(app)
	if c == nil {
		return app.FindAuthRecordByToken(token, core.TokenTypeAuth)
	}
	var dbGen int64
	if err := stmtcache.Query(app.ConcurrentDB(), "SELECT v FROM relais_auth_gen WHERE id = 1").Row(&dbGen); err != nil {
		return nil, fmt.Errorf("access: auth generation: %w", err)
	}
	rec, gen := c.auth.lookup(token, now, dbGen)
	if rec != nil {
		return rec, nil
	}
	rec, err := app.FindAuthRecordByToken(token, core.TokenTypeAuth)
	if err != nil {
		return nil, err
	}
	until := now.Add(authCacheTTL)
	if exp, ok := tokenExpiry(token); ok && exp.Before(until) {
		until = exp
	}
	c.auth.store(token, authEntry{rec: rec, until: until, dbGen: dbGen}, gen)
	return rec, nil
}

// AuthCacheStats returns how many AuthByToken calls the cache answered
// and how many read the account (the bench and the tests read them).
func AuthCacheStats(app core.App) (hits, misses uint64) {
	c, _ := app.Store().Get(cachesKey).(*caches)
	if c == nil {
		return 0, 0
	}
	c.auth.mu.Lock()
	defer c.auth.mu.Unlock()
	return c.auth.hits, c.auth.misses
}

// tokenExpiry is the exp claim of a token PocketBase has just verified.
func tokenExpiry(token string) (time.Time, bool) {
	claims, err := security.ParseUnverifiedJWT(token)
	if err != nil {
		return time.Time{}, false
	}
	exp, ok := claims["exp"].(float64)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(int64(exp), 0), true
}

// ForgetAuthRecords empties the auth record cache (bound to the changes
// of auth records, partners, roles and collections).
func ForgetAuthRecords(app core.App) {
	if c, _ := app.Store().Get(cachesKey).(*caches); c != nil {
		c.auth.reset()
	}
}

// AuthCacheResets reports the collections whose changes empty the auth
// record cache besides the auth collections: a partner's status and a
// role decide what an account may do.
var AuthCacheResets = []string{"partners", "roles"}
