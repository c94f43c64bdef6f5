package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/demo"
	"github.com/relais/relais/hooks/sessions"
)

func TestLoginPage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	r := b.get("/login")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `name="email"`)
	has(t, r.Body, "Connexion", "French from Accept-Language")
	assert.NotEmpty(t, b.csrf, "the login form carries a CSRF token")
	en := b.get("/login", header("Accept-Language", "en-GB,en;q=0.8"))
	has(t, en.Body, "Log in")
}

func TestLoginSetsAHardenedCookie(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {"installer001.sales@demo.test"}, "password": {demo.Password}, "next": {"/leads"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	assert.Equal(t, "/leads", r.Header.Get("Location"))
	c := b.jar[sessionCookie]
	require.NotNil(t, c)
	assert.True(t, c.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	assert.False(t, c.Secure, "plain HTTP in tests; Secure is set under TLS")
	var n int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login'").Row(&n))
	assert.Equal(t, 1, n, "the login is audited")
}

func TestLoginFailuresShareOneMessage(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.get("/login")
	unknown := b.post("/login", url.Values{"email": {"nobody@demo.test"}, "password": {demo.Password}})
	wrong := b.post("/login", url.Values{"email": {"installer001.sales@demo.test"}, "password": {"nope-nope-nope"}})
	assert.Equal(t, http.StatusUnauthorized, unknown.Status)
	assert.Equal(t, http.StatusUnauthorized, wrong.Status)
	msg := "E-mail ou mot de passe incorrect."
	has(t, unknown.Body, msg)
	has(t, wrong.Body, msg)
	assert.Nil(t, b.jar[sessionCookie])
}

func TestLoginOfADeactivatedAccountIsRefused(t *testing.T) {
	e := newEnv(t)
	u := e.user("installer002.sales@demo.test")
	u.Set("active", false)
	require.NoError(t, e.app.Save(u))
	b := e.browser()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {"installer002.sales@demo.test"}, "password": {demo.Password}})
	assert.Equal(t, http.StatusForbidden, r.Status)
	has(t, r.Body, "désactivé")
	assert.Nil(t, b.jar[sessionCookie])
}

func TestLoginIsRateLimited(t *testing.T) {
	e := newEnv(t, testappRateLimits())
	b := e.browser()
	b.get("/login")
	var last resp
	for i := 0; i < 11; i++ {
		last = b.post("/login", url.Values{"email": {"installer001.sales@demo.test"}, "password": {"wrong-password"}})
	}
	assert.Equal(t, http.StatusTooManyRequests, last.Status)
	has(t, last.Body, "Trop de tentatives")
}

func TestLoginWithoutCSRFOrFromAnotherSiteIsRefused(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {"installer001.sales@demo.test"}, "password": {demo.Password}, "_csrf": {"forged"}})
	assert.Equal(t, http.StatusForbidden, r.Status)
	r = b.post("/login", url.Values{"email": {"installer001.sales@demo.test"}, "password": {demo.Password}}, crossSite)
	assert.Equal(t, http.StatusForbidden, r.Status)
	assert.Nil(t, b.jar[sessionCookie])
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/leads": "/leads", "": "/", "//evil.example": "/", "https://evil.example": "/", "/\\evil": "/", "/api/x": "/", "/login": "/",
	} {
		assert.Equal(t, want, safeNext(in), in)
	}
	assert.True(t, strings.HasPrefix(safeNext("/leads?status=won"), "/leads"))
}

// Every UI login attempt costs exactly one bcrypt comparison, whatever the
// identity (an unknown e-mail answers as slowly as a wrong password).
func TestEveryUILoginAttemptCostsOnePasswordComparison(t *testing.T) {
	e := newEnv(t)
	u := e.user("installer002.sales@demo.test")
	u.Set("active", false)
	require.NoError(t, e.app.Save(u))
	for _, a := range []struct {
		name, email, password string
		status                int
	}{
		{"existing account, wrong password", "installer001.sales@demo.test", "wrong-password-9", http.StatusUnauthorized},
		{"unknown e-mail", "nobody@demo.test", "wrong-password-9", http.StatusUnauthorized},
		{"blocked account, right password", "installer002.sales@demo.test", demo.Password, http.StatusForbidden},
		{"blocked account, wrong password", "installer002.sales@demo.test", "wrong-password-9", http.StatusUnauthorized},
		{"right password", "installer001.sales@demo.test", demo.Password, http.StatusSeeOther},
	} {
		b := e.browser()
		b.get("/login")
		before := sessions.PasswordComparisons(e.app)
		r := b.post("/login", url.Values{"email": {a.email}, "password": {a.password}})
		require.Equal(t, a.status, r.Status, a.name)
		assert.Equal(t, int64(1), sessions.PasswordComparisons(e.app)-before, a.name)
	}
}

// An attacker's wrong passwords slow the attacker, not the owner: ten
// failures from the office's address (shared with the owner: a NAT, or a
// reverse proxy whose headers are not trusted) leave the owner's browser,
// known from an earlier sign-in, able to sign in at once, and the owner at
// another address too. Only a new browser at the attacker's address waits.
func TestUILoginAttackerDoesNotLockOutTheOwner(t *testing.T) {
	e := newEnv(t, testappRateLimits())
	e.app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	const email = "installer001.sales@demo.test"
	office := header("X-Forwarded-For", "203.0.113.50")
	owner := e.browser()
	owner.get("/login", office)
	r := owner.post("/login", url.Values{"email": {email}, "password": {demo.Password}}, office)
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	require.NotNil(t, owner.jar[deviceCookie], "the browser is now known")
	delete(owner.jar, sessionCookie)

	attacker := e.browser()
	attacker.get("/login", office)
	for range 10 {
		r = attacker.post("/login", url.Values{"email": {email}, "password": {"guess-123"}}, office)
	}
	assert.Equal(t, http.StatusTooManyRequests, r.Status)
	assert.NotEmpty(t, r.Header.Get("Retry-After"))
	r = attacker.post("/login", url.Values{"email": {email}, "password": {demo.Password}}, office)
	assert.Equal(t, http.StatusTooManyRequests, r.Status, "a waiting attempt is refused before the password is compared")

	owner.get("/login", office)
	r = owner.post("/login", url.Values{"email": {email}, "password": {demo.Password}}, office)
	assert.Equal(t, http.StatusSeeOther, r.Status, "the owner's known browser signs in")

	home := header("X-Forwarded-For", "198.51.100.9")
	elsewhere := e.browser()
	elsewhere.get("/login", home)
	r = elsewhere.post("/login", url.Values{"email": {email}, "password": {demo.Password}}, home)
	assert.Equal(t, http.StatusSeeOther, r.Status, "the owner at another address signs in")

	// a device cookie of another account, or a forged one, counts for nothing
	forged := e.browser()
	forged.get("/login", office)
	forged.jar[deviceCookie] = &http.Cookie{Name: deviceCookie, Value: owner.jar[deviceCookie].Value + "x"}
	r = forged.post("/login", url.Values{"email": {email}, "password": {demo.Password}}, office)
	assert.Equal(t, http.StatusTooManyRequests, r.Status)
}
