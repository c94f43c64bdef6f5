package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/apikeys"
	"github.com/relais/relais/hooks/audit"
)

// apiKeyIDKey stores the id of the API key a request authenticated with.
const apiKeyIDKey = "relais.apiKeyID"

// authenticateKey authenticates a request that sends an API key as its
// bearer token (called by guardSession, in its place: a key has no
// session). The key's integration account becomes the request's auth, so
// every rule applies to it as to the account, and the key's scopes limit
// it further (apikeys.RouteScope, deny by default): an unknown or revoked
// key or a blocked account gets 401, a route outside the key's scopes
// 403. The first use of a key in each minute is audited.
func authenticateKey(e *core.RequestEvent, token string) error {
	now := time.Now()
	e.Auth = nil
	k, user, err := apikeys.Authenticate(e.App, token)
	if errors.Is(err, apikeys.ErrInvalid) {
		return e.JSON(http.StatusUnauthorized, keyError(http.StatusUnauthorized, "api_key_invalid",
			"This API key is unknown or revoked. / Cette clé d'API est inconnue ou révoquée."))
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	if reason := access.AccountBlock(e.App, user, now); reason != "" {
		return e.JSON(http.StatusUnauthorized, sessionError(reason))
	}
	if !apikeys.Allows(k.Scopes, e.Request.Method, e.Request.URL.Path) {
		return e.JSON(http.StatusForbidden, keyError(http.StatusForbidden, "api_key_scope",
			"This API key may not call this route (scopes). / Cette clé d'API ne permet pas cet appel (portées)."))
	}
	e.Auth = user
	e.Set(apiKeyIDKey, k.ID)
	if err := apikeys.NoteUse(e.App, audit.ActorOf(e), k, e.Request.Method, e.Request.URL.Path, now); err != nil {
		return e.InternalServerError("", err)
	}
	return e.Next()
}

func keyError(status int, code, msg string) map[string]any {
	return map[string]any{"status": status, "message": msg, "code": code, "data": map[string]any{}}
}
