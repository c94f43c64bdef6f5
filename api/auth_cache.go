package api

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/apikeys"
)

// AuthCacheMiddlewareID identifies the middleware that loads the
// request's auth record from memory.
const AuthCacheMiddlewareID = "relaisAuthCache"

// loadAuthFromCache does what PocketBase's loadAuthToken middleware does
// (the Authorization header's auth token → e.Auth; a token that does not
// authenticate leaves a guest), through access.AuthByToken, which answers
// from memory a token it verified a moment ago: PocketBase's middleware
// runs right after and keeps an e.Auth already set. API keys are left to
// the session guard.
func loadAuthFromCache(e *core.RequestEvent) error {
	if e.Auth != nil {
		return e.Next()
	}
	token := bearerToken(e.Request)
	if token == "" || apikeys.IsKey(token) {
		return e.Next()
	}
	if rec, err := access.AuthByToken(e.App, token, time.Now()); err == nil {
		e.Auth = rec
	} else {
		e.App.Logger().Debug("relais auth cache: token not loaded", "error", err)
	}
	return e.Next()
}
