package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/demo"
	"github.com/relais/relais/hooks/account"
)

var resetLinkRe = regexp.MustCompile(`https?://[^/\s"]+(/reset-password/[A-Za-z0-9._-]+)`)

// loginWith posts the login form with a password and returns the answer.
func (b *browser) loginWith(email, password string) resp {
	b.get("/login")
	return b.post("/login", url.Values{"email": {email}, "password": {password}})
}

// A user who forgot their password asks for a link on the login page,
// opens it from the e-mail (in their language, on a Relais page), sets a
// new password and logs in with it; the old one fails, the link works
// once, and their other sessions have ended. An unknown address gets the
// same answer and no e-mail.
func TestForgottenPasswordIsResetThroughTheEmail(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			e.app.Settings().Meta.AppURL = "https://relais.example"
			const email = "installer002.sales@demo.test"
			u := e.user(email)
			u.Set("locale", lang)
			require.NoError(t, e.app.Save(u))
			other := e.signedIn(email)

			guest := e.browser()
			has(t, guest.get("/login").Body, `href="/forgot-password"`)
			require.Equal(t, http.StatusOK, guest.get("/forgot-password").Status)
			unknown := guest.post("/forgot-password", url.Values{"email": {"nobody@demo.test"}})
			known := guest.post("/forgot-password", url.Values{"email": {email}})
			require.Equal(t, http.StatusOK, known.Status)
			assert.Equal(t, unknown.Status, known.Status)
			assert.Equal(t, unknown.Body, known.Body, "the answer does not tell whether the address has an account")
			has(t, known.Body, `id="forgot-sent"`)

			require.Eventually(t, func() bool { return e.app.TestMailer.TotalSend() == 1 }, 5*time.Second, 20*time.Millisecond)
			time.Sleep(100 * time.Millisecond)
			require.Equal(t, 1, int(e.app.TestMailer.TotalSend()), "no e-mail for the unknown address")
			m := e.app.TestMailer.LastMessage()
			assert.Equal(t, email, m.To[0].Address)
			subject, _, _ := account.ResetMail(lang, "", 30)
			assert.Equal(t, subject, m.Subject)
			assert.NotContains(t, m.HTML, "/_/")
			link := resetLinkRe.FindStringSubmatch(m.HTML)
			require.NotNil(t, link, "a link to the Relais page in %q", m.HTML)
			path := link[1]

			page := guest.get(path)
			require.Equal(t, http.StatusOK, page.Status)
			has(t, page.Body, email)
			// in the account's language, whatever the browser's (French here)
			has(t, page.Body, map[string]string{"fr": "<h1>Nouveau mot de passe</h1>", "en": "<h1>New password</h1>"}[lang])
			r := guest.post(path, url.Values{"password": {"new-password-2026"}, "passwordConfirm": {"other-password-2026"}})
			assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
			r = guest.post(path, url.Values{"password": {"new-password-2026"}, "passwordConfirm": {"new-password-2026"}})
			require.Equal(t, http.StatusSeeOther, r.Status)
			assert.Equal(t, "/login", r.Header.Get("Location"))
			has(t, guest.get("/login").Body, map[string]string{"fr": "Votre nouveau mot de passe est enregistré", "en": "Your new password is set"}[lang])

			r = guest.loginWith(email, demo.Password)
			assert.Equal(t, http.StatusUnauthorized, r.Status, "the old password fails")
			r = guest.loginWith(email, "new-password-2026")
			require.Equal(t, http.StatusSeeOther, r.Status, "the new password works")

			r = guest.get(path)
			assert.Equal(t, http.StatusBadRequest, r.Status, "the link works once")
			has(t, r.Body, `id="reset-error"`)

			r = other.get("/inbox")
			assert.Equal(t, http.StatusSeeOther, r.Status, "the other session has ended")
			assert.True(t, strings.HasPrefix(r.Header.Get("Location"), "/login"))
		})
	}
}

// The profile form saves name, phone, language and e-mail choices; fields
// that are not on the form (role, partner, activity…) are never sent, and
// a read-only role (users.update none: the integration) gets 403; a
// channel manager edits his own.
func TestProfilePageSavesOnlyItsFields(t *testing.T) {
	e := newEnv(t)
	const email = "installer003@demo.test"
	b := e.signedIn(email)
	before := e.user(email)
	r := b.get("/profile")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `action="/profile/password"`)
	has(t, r.Body, `id="logout-everywhere"`)
	r = b.post("/profile", url.Values{
		"name": {"Jeanne Martin"}, "phone": {"06 12 34 56 78"}, "locale": {"en"}, "mail_on": {"offer"}, "digest": {"on"},
		"role": {"relais_admin"}, "partner": {""}, "active": {"false"}, "email": {"x@demo.test"},
	})
	require.Equal(t, http.StatusSeeOther, r.Status)
	after := e.user(email)
	assert.Equal(t, "Jeanne Martin", after.GetString("name"))
	assert.Equal(t, "06 12 34 56 78", after.GetString("phone"))
	assert.Equal(t, "en", after.GetString("locale"))
	assert.ElementsMatch(t, []string{"lead_back_to_pool", "offer_reminder"}, after.GetStringSlice("mail_off"))
	assert.True(t, after.GetBool("digest"))
	for _, f := range []string{"role", "partner", "active", "email", "tokenKey"} {
		assert.Equal(t, before.Get(f), after.Get(f), f)
	}
	has(t, b.get("/profile").Body, "Your profile is saved.")

	r = b.post("/profile", url.Values{"name": {"Jeanne"}, "phone": {"call me"}, "locale": {"en"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, `id="profile-error"`)

	// a channel manager edits his own profile (users.update own), never
	// his territories
	cm := e.signedIn("manager.ouest@demo.test")
	cmBefore := e.user("manager.ouest@demo.test")
	r = cm.get("/profile")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `action="/profile/password"`)
	r = cm.post("/profile", url.Values{"name": {"Responsable Ouest"}, "locale": {"en"}, "territories": {"x"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	cmAfter := e.user("manager.ouest@demo.test")
	assert.Equal(t, "Responsable Ouest", cmAfter.GetString("name"))
	assert.Equal(t, cmBefore.GetStringSlice("territories"), cmAfter.GetStringSlice("territories"))

	// a role whose cell is none (the integration's) has a read-only profile
	api := e.signedIn("api@demo.test")
	r = api.get("/profile")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `id="profile-read-only"`)
	lacks(t, r.Body, `action="/profile/password"`)
	r = api.post("/profile", url.Values{"name": {"Boss"}, "locale": {"fr"}})
	assert.Equal(t, http.StatusForbidden, r.Status)
}

// Changing the password needs the current one; it ends the other
// sessions and keeps this browser signed in.
func TestChangePasswordNeedsTheCurrentOne(t *testing.T) {
	e := newEnv(t)
	const email = "sales@demo.test"
	b := e.signedIn(email)
	other := e.signedIn(email)
	b.get("/profile")
	r := b.post("/profile/password", url.Values{"oldPassword": {"wrong-one-123"}, "password": {"new-password-2026"}, "passwordConfirm": {"new-password-2026"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, `id="password-error"`)
	assert.True(t, e.user(email).ValidatePassword(demo.Password))

	r = b.post("/profile/password", url.Values{"oldPassword": {demo.Password}, "password": {"new-password-2026"}, "passwordConfirm": {"new-password-2026"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	assert.True(t, e.user(email).ValidatePassword("new-password-2026"))
	assert.Equal(t, http.StatusOK, b.get("/profile").Status, "this browser stays signed in")
	assert.Equal(t, http.StatusSeeOther, other.get("/leads").Status, "the other session has ended")
}

// "Log out everywhere" lists the sessions first, then ends all of them:
// the other browser is sent to the login page (401 for htmx), an API
// token of the account gets 401, and it is audited.
func TestLogoutEverywhereEndsTheOtherSessions(t *testing.T) {
	e := newEnv(t)
	const email = "installer004.sales@demo.test"
	b := e.signedIn(email)
	other := e.browser()
	other.get("/login")
	r := other.post("/login", url.Values{"email": {email}, "password": {demo.Password}},
		header("User-Agent", "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36"))
	require.Equal(t, http.StatusSeeOther, r.Status)
	token := other.jar[sessionCookie].Value
	require.Equal(t, http.StatusOK, apiWith(e, token).Status)

	page := b.get("/profile")
	has(t, page.Body, "Chrome · Android")
	assert.Equal(t, 2, strings.Count(page.Body, `<li class="device`), "two sessions listed")

	r = b.post("/profile/logout-everywhere", nil)
	require.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/login", r.Header.Get("Location"))

	r = other.get("/inbox")
	assert.Equal(t, http.StatusSeeOther, r.Status)
	assert.True(t, strings.HasPrefix(r.Header.Get("Location"), "/login"))
	r = e.withCookie(token).get("/inbox", hx)
	assert.Equal(t, http.StatusUnauthorized, r.Status)
	assert.Equal(t, http.StatusUnauthorized, apiWith(e, token).Status)
	assert.Equal(t, http.StatusSeeOther, b.get("/inbox").Status, "this session too")

	entry, err := e.app.FindFirstRecordByData("audit_log", "action", account.ActionLogoutEverywhere)
	require.NoError(t, err)
	assert.Equal(t, e.user(email).Id, entry.GetString("actor"))
}

func TestDeviceLabel(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0":                                    "Firefox · Windows",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1": "Safari · iPhone",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0":     "Edge · macOS",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36":       "Chrome (headless) · Linux",
		"curl/8.5.0": "curl",
		"":           "",
	} {
		assert.Equal(t, want, deviceLabel(ua), ua)
	}
}

// The account page renders for every demo role, in both languages.
func TestProfileRendersForEveryRole(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{"admin@demo.test", "manager@demo.test", "teleop@demo.test", "sales@demo.test", "installer001@demo.test", "installer001.sales@demo.test"} {
		u := e.user(email)
		for lang, title := range map[string]string{"fr": "Mon compte", "en": "My account"} {
			u.Set("locale", lang)
			require.NoError(t, e.app.Save(u))
			b := e.signedIn(email)
			r := b.get("/profile")
			require.Equal(t, http.StatusOK, r.Status, email)
			has(t, r.Body, "<h1>"+title+"</h1>", email)
			has(t, r.Body, `id="sessions"`, email)
			has(t, r.Body, `href="/profile"`, email)
		}
	}
}
