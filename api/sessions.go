package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	pbui "github.com/pocketbase/pocketbase/ui"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/apikeys"
	"github.com/relais/relais/hooks/sessions"
)

// SessionGuardMiddlewareID identifies the middleware that rejects revoked
// sessions.
const SessionGuardMiddlewareID = "relaisSessionGuard"

// sessionIDKey stores the id of the request's live session in the
// RequestEvent (for the realtime subscribe hook).
const sessionIDKey = "relais.sessionID"

// guardSession makes a revoked session fail loudly: PocketBase treats an
// invalid token as a guest (200 with an empty list), which hides from the
// client that it must log in again. A request to /api/ that presents a
// token which no longer authenticates, whose session has ended (logout,
// timeout: package sessions), or that belongs to an account that is
// blocked right now (deactivated, expired, partner suspended), gets 401 —
// except on the login routes, where it is served as a guest so that a
// stale token sent along does not stop the caller from logging in again.
func guardSession(e *core.RequestEvent) error {
	if !strings.HasPrefix(e.Request.URL.Path, "/api/") || e.Request.Header.Get("Authorization") == "" {
		return e.Next()
	}
	if token := bearerToken(e.Request); apikeys.IsKey(token) {
		return authenticateKey(e, token) // apikeys.go
	}
	reason := sessions.Revoked
	if e.Auth != nil {
		s, r, err := sessions.Check(e.App, e.Auth, bearerToken(e.Request), time.Now())
		if err != nil {
			return e.InternalServerError("", err)
		}
		reason = r
		if reason == "" && e.Auth.Collection().Name == "users" {
			reason = access.AccountBlock(e.App, e.Auth, time.Now())
		}
		if reason == "" {
			e.Set(sessionIDKey, s.ID)
		}
	}
	if reason == "" {
		return e.Next()
	}
	if loginRoute(e.Request.URL.Path) {
		e.Auth = nil
		return e.Next()
	}
	return e.JSON(http.StatusUnauthorized, sessionError(reason))
}

// bearerToken is the token of the Authorization header, as PocketBase
// reads it (an optional "Bearer " prefix).
func bearerToken(r *http.Request) string {
	token := r.Header.Get("Authorization")
	if len(token) > 7 && strings.EqualFold(token[:7], "Bearer ") {
		return token[7:]
	}
	return token
}

// loginRoute reports the routes that authenticate the caller afresh.
func loginRoute(path string) bool {
	if !strings.HasPrefix(path, "/api/collections/") {
		return false
	}
	for _, suffix := range []string{"/auth-with-password", "/auth-with-otp", "/auth-with-oauth2"} {
		if strings.HasSuffix(path, suffix) {
			return true
		}
	}
	return false
}

// tieRealtimeSession ties a realtime client to the session of the request
// that subscribes (set by guardSession), so that ending the session drops
// the client's auth.
func tieRealtimeSession(e *core.RealtimeSubscribeRequestEvent) error {
	if id, _ := e.Get(sessionIDKey).(string); e.Auth != nil && id != "" {
		e.Client.Set(sessions.RealtimeSessionKey, id)
	} else {
		e.Client.Unset(sessions.RealtimeSessionKey)
	}
	return e.Next()
}

// startAuthSession gives the token of an auth response a session: a new
// one for a login (sessions.ViaAPI) or an impersonation (sessions.ViaStatic),
// the session of the renewed token for a refresh. A new session is ended
// again if the response fails after it (MFA required, a later refusal).
func startAuthSession(e *core.RecordAuthRequestEvent) error {
	now := time.Now()
	path := e.Request.URL.Path
	var (
		token string
		fresh sessions.Session
		err   error
	)
	switch {
	case e.AuthMethod == "" && strings.HasSuffix(path, "/auth-refresh"):
		old := bearerToken(e.Request)
		if old == e.Token {
			return e.Next() // a static token is not renewed: it has its session
		}
		token, err = sessions.Renew(e.App, e.Record, old, e.Token, now)
		if errors.Is(err, sessions.ErrGone) {
			return e.JSON(http.StatusUnauthorized, sessionError(sessions.Revoked))
		}
	case e.AuthMethod == "" && strings.Contains(path, "/impersonate/"):
		token, fresh, err = sessions.Start(e.App, e.Record, e.Token, sessions.ViaStatic, now)
	default:
		token, fresh, err = sessions.Start(e.App, e.Record, e.Token, sessions.ViaAPI, now)
	}
	if err == nil && fresh.ID != "" {
		// the profile page lists the sessions by device
		err = sessions.SetDevice(e.App, token, e.Request.UserAgent(), e.RealIP())
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Token = token
	if err := e.Next(); err != nil {
		if fresh.ID != "" {
			if eerr := sessions.EndByID(e.App, fresh.ID); eerr != nil {
				e.App.Logger().Error("sessions: unused session not ended", "error", eerr)
			}
		}
		return err
	}
	return nil
}

// SessionInstaller is PocketBase's installer (apis.DefaultInstallerFunc:
// when no superuser exists, `serve` prints a link with a 30-minute token
// of a system superuser to create the first one) with the token recorded
// as a session, which the session guard requires. It prints the link to
// out and does not open a browser (a server has none).
func SessionInstaller(out io.Writer) func(app core.App, systemSuperuser *core.Record, baseURL string) error {
	return func(app core.App, systemSuperuser *core.Record, baseURL string) error {
		if pbui.DistDirFS == nil { // built without the admin panel: PocketBase prints the CLI hint
			return apis.DefaultInstallerFunc(app, systemSuperuser, baseURL)
		}
		token, err := systemSuperuser.NewStaticAuthToken(30 * time.Minute)
		if err != nil {
			return err
		}
		token, _, err = sessions.Start(app, systemSuperuser, token, sessions.ViaStatic, time.Now())
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "\n(!) Open this URL in a browser to create your first superuser account (valid 30 minutes):\n%s/_/#/pbinstall/%s\n"+
			"(or create it with: relais superuser upsert EMAIL PASSWORD)\n\n", strings.TrimRight(baseURL, "/"), token)
		return err
	}
}

func sessionError(code string) map[string]any {
	msg := blockMessages[code]
	switch {
	case code == sessions.Expired:
		msg = "This session has expired; please log in again. / Cette session a expiré ; reconnectez-vous."
	case msg == "":
		msg = "This session is no longer valid; please log in again. / Cette session n'est plus valide ; reconnectez-vous."
	}
	return map[string]any{"status": http.StatusUnauthorized, "message": msg, "code": code, "data": map[string]any{}}
}
