package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

func TestGuestsAreSentToLogin(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	r := b.get("/leads?status=won")
	assert.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/login?next="+url.QueryEscape("/leads?status=won"), r.Header.Get("Location"))
	r = b.get("/inbox", hx)
	assert.Equal(t, http.StatusUnauthorized, r.Status)
	assert.Equal(t, "/login", r.Header.Get("HX-Redirect"), "htmx requests redirect the whole page")
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	for _, path := range []string{"/login", "/inbox"} {
		r := b.get(path)
		csp := r.Header.Get("Content-Security-Policy")
		assert.Contains(t, csp, "script-src 'self'", path)
		assert.NotContains(t, csp, "unsafe-inline", path)
		assert.Contains(t, csp, "frame-ancestors 'none'", path)
		assert.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"), path)
		assert.Equal(t, "DENY", r.Header.Get("X-Frame-Options"), path)
		assert.Equal(t, "same-origin", r.Header.Get("Referrer-Policy"), path)
		assert.Equal(t, "no-store", r.Header.Get("Cache-Control"), path)
	}
}

// The session cookie is never an API credential: the API reads only the
// Authorization header, so a cookie-carrying cross-site request to /api
// is a guest request.
func TestTheSessionCookieIsNotAnAPICredential(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	r := b.get("/api/collections/leads/records")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `"items":[]`)
}

func TestAuthorizationHeaderIsIgnoredByTheUI(t *testing.T) {
	e := newEnv(t)
	token := testapp.Token(t, e.app, e.user("admin@demo.test"))
	r := e.browser().get("/leads", header("Authorization", token))
	assert.Equal(t, http.StatusSeeOther, r.Status, "the UI is cookie-only")
}

func TestARevokedSessionIsRejectedOnTheNextClick(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer003.sales@demo.test")
	require.Equal(t, http.StatusOK, b.get("/inbox").Status)
	u := e.user("installer003.sales@demo.test")
	u.Set("active", false)
	require.NoError(t, e.app.Save(u))
	r := b.get("/leads")
	assert.Equal(t, http.StatusSeeOther, r.Status)
	assert.True(t, strings.HasPrefix(r.Header.Get("Location"), "/login"))
	assert.Nil(t, b.jar[sessionCookie], "the dead cookie is cleared")
	login := b.get("/login")
	has(t, login.Body, "Votre session a pris fin")
}

func TestSuspendingThePartnerEndsTheSession(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer003.sales@demo.test")
	p, err := e.app.FindRecordById("partners", e.user("installer003.sales@demo.test").GetString("partner"))
	require.NoError(t, err)
	p.Set("status", "suspended")
	require.NoError(t, e.app.Save(p))
	r := b.get("/inbox", hx)
	assert.Equal(t, "/login", r.Header.Get("HX-Redirect"))
}

func TestSignedInPostsNeedTheSessionCSRFToken(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	r := b.post("/logout", url.Values{"_csrf": {""}})
	assert.Equal(t, http.StatusForbidden, r.Status)
	has(t, r.Body, "Ce formulaire a expiré")
	// another session's token does not work either
	other := e.signedIn("installer002.sales@demo.test")
	r = b.post("/logout", url.Values{"_csrf": {other.csrf}})
	assert.Equal(t, http.StatusForbidden, r.Status)
	// the htmx header works
	r = b.post("/logout", url.Values{"_csrf": {""}}, header(csrfHeader, b.csrf), hx)
	assert.Equal(t, "/login", r.Header.Get("HX-Redirect"))
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	r := b.post("/logout", nil, crossSite)
	assert.Equal(t, http.StatusForbidden, r.Status)
	has(t, r.Body, "Requête refusée")
	assert.NotNil(t, b.jar[sessionCookie], "still signed in")
}

func TestLogoutClearsTheCookie(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	r := b.post("/logout", nil)
	assert.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/login", r.Header.Get("Location"))
	assert.Nil(t, b.jar[sessionCookie])
	assert.Equal(t, http.StatusSeeOther, b.get("/inbox").Status)
	var n int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.logout'").Row(&n))
	assert.Equal(t, 1, n)
}

func TestGetNeverChangesState(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	for _, path := range []string{"/logout", "/lang", "/leads/x/accept", "/leads/x/decline", "/users/x/active", "/matrix/x"} {
		r := b.get(path)
		assert.Contains(t, []int{http.StatusMethodNotAllowed, http.StatusNotFound}, r.Status, path)
	}
	assert.NotNil(t, b.jar[sessionCookie])
}

func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	assert.Contains(t, b.get("/inbox").Body, "Offres reçues")
	r := b.post("/lang", url.Values{"lang": {"en"}, "back": {"/inbox"}})
	assert.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/inbox", r.Header.Get("Location"))
	assert.Contains(t, b.get("/inbox").Body, "<h1>Offers</h1>")
	assert.Equal(t, "en", e.user("installer001.sales@demo.test").GetString("locale"), "saved on the user")

	// every internal role too: a channel manager's own record was
	// read-only (matrix cell users.update none), so the switch answered 403
	for _, email := range []string{"manager@demo.test", "manager.ouest@demo.test", "admin@demo.test"} {
		m := e.signedIn(email)
		r := m.post("/lang", url.Values{"lang": {"en"}, "back": {"/"}})
		assert.Equal(t, http.StatusSeeOther, r.Status, email)
		assert.Equal(t, "en", e.user(email).GetString("locale"), "%s: saved on the user", email)
	}

	guest := e.browser()
	guest.get("/login")
	guest.post("/lang", url.Values{"lang": {"en"}, "back": {"/login"}})
	assert.Contains(t, guest.get("/login").Body, "Log in")
}

func TestStaticAssetsAreHashedAndCached(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	page := b.get("/login").Body
	for _, name := range []string{"htmx", "relais"} {
		i := strings.Index(page, "/static/"+name)
		require.Positive(t, i, name)
		u := page[i : i+strings.IndexAny(page[i:], `"`)]
		r := b.get(u)
		assert.Equal(t, http.StatusOK, r.Status, u)
		assert.Contains(t, r.Header.Get("Cache-Control"), "immutable")
	}
	has(t, page, "/static/htmx-4.0.1.min.", "the pinned htmx version is in the URL")
	assert.Equal(t, http.StatusNotFound, b.get("/static/relais.css").Status, "only hashed names are served")
}
