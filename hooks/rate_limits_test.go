package hooks_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Thirty users behind one address (an office NAT, or every user behind a
// reverse proxy whose headers are not trusted) making 900 requests in a
// few seconds get no 429: signed-in users are counted per account. Before,
// PocketBase's limiter counted the address, and the 601st request of the
// 10 s window got 429.
func TestThirtyUsersBehindOneAddressAreNotLimited(t *testing.T) {
	w := newWorld(t)
	w.app.Settings().RateLimits.Enabled = true
	var tokens []string
	for i := range 30 {
		key := fmt.Sprintf("office%02d", i)
		w.addUser(key, "partner_user", "P1")
		tokens = append(tokens, w.tokens[key])
	}
	var limited, other atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for _, tok := range tokens {
		wg.Go(func() {
			for i := range 30 {
				// the same client address for all (httptest's 192.0.2.1)
				res := w.client.Do(http.MethodGet, officePaths[i%len(officePaths)], tok, nil)
				switch res.Status {
				case http.StatusOK:
				case http.StatusTooManyRequests:
					limited.Add(1)
				default:
					other.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	t.Logf("30 users, one address: 900 requests in %.1f s, %d answered 429", elapsed.Seconds(), limited.Load())
	assert.Zero(t, limited.Load(), "no 429 for users behind one address")
	assert.Zero(t, other.Load())
}

// officePaths are what the office users read: one collection (PocketBase
// counts each collection's routes apart), a cheap list (the test measures
// the limiter, not the queries).
var officePaths = []string{
	"/api/collections/notifications/records?perPage=5&skipTotal=1",
	"/api/collections/notifications/records?perPage=5&skipTotal=1&sort=-created",
}

// One user is still limited: the per-account allowance of the /api/ rule
// (600 per 10 s) runs out for a single account, not for its neighbours.
func TestOneUserIsStillLimited(t *testing.T) {
	w := newWorld(t)
	w.app.Settings().RateLimits.Enabled = true
	tok := w.tokens["partner_user"]
	last := 0
	for range 601 {
		last = w.client.Do(http.MethodGet, "/api/collections/notifications/records?perPage=1&skipTotal=1", tok, nil).Status
	}
	assert.Equal(t, http.StatusTooManyRequests, last)
	res := w.client.Do(http.MethodGet, "/api/collections/notifications/records?perPage=1&skipTotal=1", tok, nil)
	assert.Equal(t, http.StatusTooManyRequests, res.Status)
	assert.NotEmpty(t, res.Header.Get("Retry-After"))
	res = w.client.Do(http.MethodGet, "/api/collections/notifications/records?perPage=1&skipTotal=1", w.tokens["partner_user_b"], nil)
	assert.Equal(t, http.StatusOK, res.Status, "a colleague at the same address is not limited")
}

// An anonymous flood from one address is still limited per address; an
// anonymous client at another address is not.
func TestAnonymousFloodFromOneAddressIsLimited(t *testing.T) {
	w := newWorld(t)
	w.app.Settings().RateLimits.Enabled = true
	w.app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
	limited := 0
	for range 700 {
		if w.client.Do(http.MethodGet, "/api/collections/leads/records?perPage=1", "", nil, from("203.0.113.7")).Status == http.StatusTooManyRequests {
			limited++
		}
	}
	assert.Equal(t, 100, limited, "600 per 10 s per address")
	assert.NotEqual(t, http.StatusTooManyRequests, w.client.Do(http.MethodGet, "/api/collections/leads/records?perPage=1", "", nil, from("198.51.100.4")).Status)
}

// Ten wrong passwords sent by an attacker for someone's account slow the
// attacker, not the owner: the owner at another address signs in at once,
// and no number of failures locks the account. Before, ten failures from
// anywhere blocked the account's sign-in (the UI's per-e-mail limit) or
// the address for every account (PocketBase's "*:auth" rule).
func TestAttackerPasswordsDoNotLockOutTheOwner(t *testing.T) {
	w := newWorld(t)
	w.app.Settings().RateLimits.Enabled = true
	w.app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	login := func(ip, password string) (int, http.Header) {
		res := w.client.Do(http.MethodPost, "/api/collections/users/auth-with-password", "",
			map[string]any{"identity": "partner_user@world.test", "password": password}, map[string]string{"X-Forwarded-For": ip})
		return res.Status, res.Header
	}
	statuses := map[int]int{}
	for range 10 {
		s, _ := login("203.0.113.66", "guess")
		statuses[s]++
	}
	assert.Equal(t, 6, statuses[http.StatusBadRequest], "five failures cost nothing, the sixth makes the attacker wait: %v", statuses)
	assert.Equal(t, 4, statuses[http.StatusTooManyRequests], "%v", statuses)
	s, h := login("203.0.113.66", "world-password-1")
	assert.Equal(t, http.StatusTooManyRequests, s, "a waiting attempt is refused before the password is compared")
	assert.NotEmpty(t, h.Get("Retry-After"))

	s, _ = login("198.51.100.20", "world-password-1")
	assert.Equal(t, http.StatusOK, s, "the owner at another address signs in")
	// the office: thirty colleagues behind that address sign in too
	for i := range 30 {
		key := fmt.Sprintf("colleague%02d", i)
		w.addUser(key, "partner_user", "P1")
		res := w.client.Do(http.MethodPost, "/api/collections/users/auth-with-password", "",
			map[string]any{"identity": key + "@world.test", "password": "world-password-1"}, map[string]string{"X-Forwarded-For": "198.51.100.20"})
		require.Equal(t, http.StatusOK, res.Status, "colleague %d: %s", i, res.Body)
	}
}
