package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withCookie is a browser holding a copy of a session cookie (a stolen
// cookie, a tab restored from disk, a shared computer).
func (e *env) withCookie(token string) *browser {
	c := e.browser()
	c.jar[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: token, Path: "/"}
	return c
}

// sessionID is the session id the token of a cookie carries.
func sessionID(t *testing.T, token string) string {
	t.Helper()
	claims, err := security.ParseUnverifiedJWT(token)
	require.NoError(t, err)
	id, _ := claims["sid"].(string)
	require.NotEmpty(t, id)
	return id
}

func apiWith(e *env, token string) resp {
	return e.browser().get("/api/collections/leads/records", header("Authorization", token))
}

// Logout ends the session on the server: a copy of the cookie gets the
// login page, the same token gets 401 on the API; another session of the
// same user goes on.
func TestLogoutEndsTheSessionOfEveryCopyOfTheCookie(t *testing.T) {
	e := newEnv(t)
	const email = "installer001.sales@demo.test"
	a := e.signedIn(email)
	other := e.signedIn(email)
	token := a.jar[sessionCookie].Value
	stolen := e.withCookie(token)
	require.Equal(t, http.StatusOK, stolen.get("/inbox").Status, "the copy works while the session lives")
	require.Equal(t, http.StatusOK, apiWith(e, token).Status, "so does the token on the API")

	r := a.post("/logout", nil)
	require.Equal(t, http.StatusSeeOther, r.Status)

	r = stolen.get("/inbox")
	assert.Equal(t, http.StatusSeeOther, r.Status)
	assert.True(t, strings.HasPrefix(r.Header.Get("Location"), "/login"), r.Header.Get("Location"))
	has(t, stolen.get("/login").Body, "Votre session a pris fin")
	r = e.withCookie(token).get("/inbox", hx)
	assert.Equal(t, http.StatusUnauthorized, r.Status)
	assert.Equal(t, "/login", r.Header.Get("HX-Redirect"))
	r = apiWith(e, token)
	assert.Equal(t, http.StatusUnauthorized, r.Status, "the token on the API")
	has(t, r.Body, `"code":"session_revoked"`)

	assert.Equal(t, http.StatusOK, other.get("/inbox").Status, "the user's other session goes on")
}

// A UI session ends after 8 hours unused or 24 hours after the login
// (settings_prm defaults), and the cookie is not kept longer.
func TestUISessionsHaveAnIdleAndAnAbsoluteTimeout(t *testing.T) {
	e := newEnv(t)
	const email = "installer001.sales@demo.test"
	move := func(b *browser, fields dbx.Params) {
		t.Helper()
		_, err := e.app.DB().Update("relais_sessions", fields, dbx.HashExp{"id": sessionID(t, b.jar[sessionCookie].Value)}).Execute()
		require.NoError(t, err)
	}
	now := time.Now()
	for _, tc := range []struct {
		name      string
		live, end dbx.Params
	}{
		{"idle", dbx.Params{"last_seen": now.Add(-8*time.Hour + time.Minute).Unix()}, dbx.Params{"last_seen": now.Add(-8*time.Hour - time.Minute).Unix()}},
		{"absolute", dbx.Params{"created": now.Add(-24*time.Hour + time.Minute).Unix()}, dbx.Params{"created": now.Add(-24*time.Hour - time.Minute).Unix()}},
	} {
		b := e.signedIn(email)
		assert.Equal(t, 24*3600, b.jar[sessionCookie].MaxAge, "the cookie lives as long as the session may")
		move(b, tc.live)
		require.Equal(t, http.StatusOK, b.get("/inbox").Status, tc.name)
		move(b, tc.end)
		r := b.get("/inbox")
		assert.Equal(t, http.StatusSeeOther, r.Status, tc.name)
		assert.Nil(t, b.jar[sessionCookie], "%s: the dead cookie is cleared", tc.name)
		has(t, b.get("/login").Body, "Votre session a pris fin", tc.name)
	}
}

// Rotating the token key (log out everywhere) ends every UI session of
// the user at the next click.
func TestLogOutEverywhereEndsEveryUISession(t *testing.T) {
	e := newEnv(t)
	const email = "installer001.sales@demo.test"
	a, b := e.signedIn(email), e.signedIn(email)
	u := e.user(email)
	u.RefreshTokenKey()
	require.NoError(t, e.app.Save(u))
	for _, br := range []*browser{a, b} {
		r := br.get("/inbox")
		assert.Equal(t, http.StatusSeeOther, r.Status)
	}
	var n int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM relais_sessions WHERE record = {:r}").Bind(dbx.Params{"r": u.Id}).Row(&n))
	assert.Zero(t, n)
}
