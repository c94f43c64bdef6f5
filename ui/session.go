package ui

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/sessions"
)

// Cookie names.
const (
	sessionCookie = "relais_session" // the auth token (HttpOnly)
	guestCSRF     = "relais_csrf"    // double-submit token before login
	flashCookie   = "relais_flash"   // a message id for the next page
)

// csrfField and csrfHeader carry the CSRF token of a form or htmx request.
const (
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
)

// sessionKey stores the *session of a request in the RequestEvent.
const sessionKey = "relais.ui.session"

// session is the signed-in user of a request with what the UI derives from
// the role (loaded once per request).
type session struct {
	user     *core.Record
	token    string
	role     string // role id
	roleName string // role name (lifecycle transitions are per name)
	kind     string // internal | partner | integration
	caps     caps
	memo     *pageMemo // what the read path answered during this page (GET only)
}

// sess returns the request's session (nil for guests).
func sess(e *core.RequestEvent) *session {
	s, _ := e.Get(sessionKey).(*session)
	return s
}

// setSessionCookie stores the auth token: HttpOnly, SameSite=Lax, Secure
// when the request came over TLS, for the token's lifetime.
func setSessionCookie(e *core.RequestEvent, token string, maxAge time.Duration) {
	e.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: e.IsTLS(),
		SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge.Seconds()),
	})
}

func clearCookie(e *core.RequestEvent, name string) {
	e.SetCookie(&http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, Secure: e.IsTLS(), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// setFlash leaves a message id for the next rendered page.
func setFlash(e *core.RequestEvent, id string) {
	e.SetCookie(&http.Cookie{Name: flashCookie, Value: id, Path: "/", HttpOnly: true, Secure: e.IsTLS(), SameSite: http.SameSiteLaxMode, MaxAge: 120})
}

// flashIDs are the only message ids a flash cookie may carry.
var flashIDs = map[string]bool{
	"flash.session_ended": true, "flash.logged_out": true, "flash.lang_saved": true, "flash.notification_gone": true,
	"flash.password_reset": true, "flash.password_changed": true, "flash.profile_saved": true, "flash.logged_out_everywhere": true,
	"flash.account_created": true, "flash.account_saved": true, "flash.contact_added": true, "flash.opportunity_created": true,
	"flash.invited": true, "flash.invite_not_sent": true, "flash.team_saved": true, "flash.welcome": true,
	"flash.document_saved": true, "flash.document_withdrawn": true, "flash.partner_saved": true,
	// the deal pages (registrations.go, opportunity.go)
	"deals.registered": true, "deals.approved": true, "deals.rejected": true, "deals.stage_saved": true, "deals.win_pending_flash": true,
	"deals.win_validated": true, "deals.win_refused": true,
	"flash.key_revoked": true, "flash.webhook_saved": true, "flash.password_login_saved": true, "flash.event_resent": true,
	"campaigns.saved": true, "cert_rules.saved": true, // the campaigns and certificate rules forms
	"flash.mfa_on": true, "flash.mfa_off": true, "flash.mfa_required_saved": true, // the second factor (second_factor.go)
}

// takeFlash reads and clears the flash cookie.
func takeFlash(e *core.RequestEvent) string {
	c, err := e.Request.Cookie(flashCookie)
	if err != nil || !flashIDs[c.Value] {
		return ""
	}
	clearCookie(e, flashCookie)
	return c.Value
}

// mwSecurityHeaders sets the UI's security headers: a CSP without inline
// script, no framing, no sniffing, a strict referrer policy and no caching
// of pages (they are personal); responses vary with HX-Request.
func (h *handlers) mwSecurityHeaders() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{Id: "relaisUISecurityHeaders", Func: func(e *core.RequestEvent) error {
		hd := e.Response.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		hd.Set("Cache-Control", "no-store")
		hd.Add("Vary", "HX-Request, Cookie")
		return e.Next()
	}}
}

// mwSameOrigin refuses state-changing requests from another origin (Go's
// http.CrossOriginProtection: Sec-Fetch-Site, then Origin against Host).
func (h *handlers) mwSameOrigin() *hook.Handler[*core.RequestEvent] {
	cop := http.NewCrossOriginProtection()
	return &hook.Handler[*core.RequestEvent]{Id: "relaisUISameOrigin", Func: func(e *core.RequestEvent) error {
		if err := cop.Check(e.Request); err != nil {
			return &uiError{status: http.StatusForbidden, msg: "error.cross_origin"}
		}
		return e.Next()
	}}
}

// mwSession loads the session cookie into e.Auth. The UI is cookie-only:
// an Authorization header is ignored here. A token that no longer
// authenticates (key rotated: deactivation, expiry, partner suspended),
// whose session has ended (logout, idle or absolute timeout:
// sessions.Check) or of an account blocked right now is dropped with a
// notice.
func (h *handlers) mwSession() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{Id: "relaisUISession", Func: func(e *core.RequestEvent) error {
		e.Auth = nil
		c, err := e.Request.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			return e.Next()
		}
		user, err := access.AuthByToken(e.App, c.Value, time.Now()) // from memory when it can
		live := err == nil && user.Collection().Name == "users" && access.AccountBlock(e.App, user, h.now()) == ""
		if live {
			check := sessions.Check
			if isPoll(e) {
				check = sessions.Peek // a background poll is not a use
			}
			_, reason, err := check(e.App, user, c.Value, h.now())
			if err != nil {
				return err
			}
			live = reason == ""
		}
		if !live {
			clearCookie(e, sessionCookie)
			setFlash(e, "flash.session_ended")
			return e.Next()
		}
		s, err := h.newSession(user, c.Value)
		if err != nil {
			return err
		}
		s.memo = memoFor(e.Request)
		e.Auth = user
		e.Set(sessionKey, s)
		return e.Next()
	}}
}

// newSession reads the role of the user and the matrix cells that decide
// which pages it may use (from the in-memory matrix, reset whenever a role
// or a permission changes).
func (h *handlers) newSession(user *core.Record, token string) (*session, error) {
	s := &session{user: user, token: token, role: user.GetString("role")}
	m, err := access.CachedMatrix(h.app)
	if err != nil {
		return nil, err
	}
	role, ok := m.Role(s.role)
	if !ok {
		return nil, fmt.Errorf("ui: unknown role %q", s.role)
	}
	s.kind, s.roleName = string(role.Kind), role.Name
	var cells []policy.Cell
	for _, c := range m.Cells {
		if c.Role == s.role {
			cells = append(cells, c)
		}
	}
	s.caps = capsOf(s.role, s.kind, cells)
	return s, nil
}

// mwSignedIn sends guests to the login page (htmx requests get an
// HX-Redirect so the whole page changes, not a fragment).
func (h *handlers) mwSignedIn() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{Id: "relaisUISignedIn", Func: func(e *core.RequestEvent) error {
		if sess(e) != nil {
			return e.Next()
		}
		target := "/login"
		if e.Request.Method == http.MethodGet && e.Request.URL.Path != "/" && !isHX(e) {
			target += "?next=" + url.QueryEscape(e.Request.URL.RequestURI())
		}
		if isHX(e) {
			e.Response.Header().Set("HX-Redirect", target)
			return e.NoContent(http.StatusUnauthorized)
		}
		return e.Redirect(http.StatusSeeOther, target)
	}}
}

// mwCSRF checks the CSRF token of every state-changing request: the form
// field _csrf or the X-CSRF-Token header (sent by htmx from hx-headers).
// Signed-in: an HMAC of the session token keyed by the user's token key
// (it dies with the session); guests: a double-submit cookie.
func (h *handlers) mwCSRF() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{Id: "relaisUICSRF", Func: func(e *core.RequestEvent) error {
		switch e.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return e.Next()
		}
		got := e.Request.Header.Get(csrfHeader)
		if got == "" {
			got = e.Request.FormValue(csrfField)
		}
		want := h.csrfToken(e)
		if got == "" || want == "" || !hmac.Equal([]byte(got), []byte(want)) {
			return &uiError{status: http.StatusForbidden, msg: "error.csrf"}
		}
		return e.Next()
	}}
}

// csrfToken returns the request's expected CSRF token, issuing the guest
// cookie when needed.
func (h *handlers) csrfToken(e *core.RequestEvent) string {
	if s := sess(e); s != nil {
		return sessionCSRF(s.user, s.token)
	}
	if c, err := e.Request.Cookie(guestCSRF); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	if e.Request.Method != http.MethodGet {
		return ""
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return ""
	}
	v := base64.RawURLEncoding.EncodeToString(b)
	e.SetCookie(&http.Cookie{Name: guestCSRF, Value: v, Path: "/", HttpOnly: true, Secure: e.IsTLS(), SameSite: http.SameSiteLaxMode})
	return v
}

// sessionCSRF is HMAC-SHA256(user token key, session token).
func sessionCSRF(user *core.Record, token string) string {
	m := hmac.New(sha256.New, []byte(user.TokenKey()))
	m.Write([]byte("relais-csrf\x00" + token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// isHX reports an htmx request (render the fragment, not the page).
func isHX(e *core.RequestEvent) bool {
	return e.Request.Header.Get("HX-Request") == "true"
}
