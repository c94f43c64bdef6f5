// Package apikeys holds the API keys of integration accounts (lead
// sources): their creation (the key is shown once and stored as its
// SHA-256), their revocation, the authentication of a request that sends
// one as `Authorization: Bearer <key>`, the audit of their use, the scopes
// that limit what a key may call (deny by default), and the setting that
// refuses password logins of integration accounts.
//
// Own keys rather than PocketBase's impersonation tokens: a key is one
// row, revoked by writing revoked_at (the next request fails), with its
// own scopes and use audit, and nothing of it but a hash is stored; an
// impersonation token is a JWT valid until it expires, that only a token
// key rotation (every session of the account) or a recorded session can
// end, and that carries no scope.
package apikeys

import (
	"slices"
	"strings"
)

// The scopes of a key. A key may call only the routes of its scopes
// (RouteScope); every other route answers 403 to it.
const (
	// ScopeIngest: push leads (one, a batch) and attach call recordings.
	ScopeIngest = "ingest"
	// ScopeStatus: read the status of the integration's own leads through
	// the leads collection (list, view), under the leads rules.
	ScopeStatus = "status"
	// ScopeWebhooks: read the integration's own webhook events (to catch
	// up after an outage of its receiver).
	ScopeWebhooks = "webhooks"
)

// Scopes returns every scope, in display order, as a fresh slice.
func Scopes() []string { return []string{ScopeIngest, ScopeStatus, ScopeWebhooks} }

// ValidScopes reports whether scopes is a non-empty list of known scopes
// without repeats.
func ValidScopes(scopes []string) bool {
	if len(scopes) == 0 {
		return false
	}
	seen := map[string]bool{}
	for _, s := range scopes {
		if seen[s] || !slices.Contains(Scopes(), s) {
			return false
		}
		seen[s] = true
	}
	return true
}

// routeScopes are the routes a key may call, by method and path pattern
// ("*" matches one path segment), with the scope each needs.
var routeScopes = []struct {
	method, pattern, scope string
}{
	{"POST", "/api/prm/leads/ingest", ScopeIngest},
	{"POST", "/api/prm/leads/ingest/batch", ScopeIngest},
	{"POST", "/api/prm/leads/*/recording", ScopeIngest},
	{"GET", "/api/collections/leads/records", ScopeStatus},
	{"GET", "/api/collections/leads/records/*", ScopeStatus},
	{"GET", "/api/prm/webhooks/events", ScopeWebhooks},
}

// RouteScope returns the scope a key needs to call method on path, or ""
// when no key may call it (deny by default: logins, token refreshes,
// realtime, every other collection and route).
func RouteScope(method, path string) string {
	got := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for _, r := range routeScopes {
		if r.method != method {
			continue
		}
		want := strings.Split(r.pattern, "/")
		if len(want) != len(got) {
			continue
		}
		ok := true
		for i := range want {
			if want[i] == "*" {
				ok = got[i] != ""
			} else {
				ok = want[i] == got[i]
			}
			if !ok {
				break
			}
		}
		if ok {
			return r.scope
		}
	}
	return ""
}

// Allows reports whether a key with scopes may call method on path.
func Allows(scopes []string, method, path string) bool {
	s := RouteScope(method, path)
	return s != "" && slices.Contains(scopes, s)
}
