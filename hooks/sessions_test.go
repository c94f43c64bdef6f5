package hooks_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/sessions"
	"github.com/relais/relais/internal/testapp"
)

// apiLogin logs in through the REST API and returns the token.
func apiLogin(t *testing.T, w *world, collection, email, password string) string {
	t.Helper()
	res := w.client.Do(http.MethodPost, "/api/collections/"+collection+"/auth-with-password", "", map[string]any{"identity": email, "password": password})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var out struct {
		Token string `json:"token"`
	}
	res.JSON(t, &out)
	require.NotEmpty(t, out.Token)
	return out.Token
}

// sid is the session id a token carries.
func sid(t *testing.T, token string) string {
	t.Helper()
	claims, err := security.ParseUnverifiedJWT(token)
	require.NoError(t, err)
	id, _ := claims["sid"].(string)
	require.NotEmpty(t, id, "the token carries its session id")
	return id
}

// setSession moves the stored times of a session (Unix seconds).
func setSession(t *testing.T, app core.App, id string, fields dbx.Params) {
	t.Helper()
	res, err := app.DB().Update("relais_sessions", fields, dbx.HashExp{"id": id}).Execute()
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	require.Equal(t, int64(1), n, "session %s", id)
}

func sessionCount(t *testing.T, app core.App, record string) int {
	t.Helper()
	var n int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM relais_sessions WHERE record = {:r}").Bind(dbx.Params{"r": record}).Row(&n))
	return n
}

// apiStatus is the status of a list request with token, and the error code.
func apiStatus(t *testing.T, w *world, token string) (int, string) {
	t.Helper()
	res := w.client.Do(http.MethodGet, url("leads"), token, nil)
	var body struct {
		Code string `json:"code"`
	}
	if res.Status != http.StatusOK {
		res.JSON(t, &body)
	}
	return res.Status, body.Code
}

// Ending a session (the UI's logout) ends every token of it and nothing
// else: another session of the same user goes on.
func TestEndingASessionEndsOnlyThatSession(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := apiLogin(t, w, "users", "partner_user@world.test", "world-password-1")
	b := apiLogin(t, w, "users", "partner_user@world.test", "world-password-1")
	require.NotEqual(t, sid(t, a), sid(t, b), "two logins, two sessions")
	pu := w.users["partner_user"]
	for _, tok := range []string{a, b} {
		status, _ := apiStatus(t, w, tok)
		require.Equal(t, http.StatusOK, status)
	}
	require.NoError(t, sessions.End(w.app, pu, a))

	status, code := apiStatus(t, w, a)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, sessions.Revoked, code)
	res := w.client.Do(http.MethodPost, "/api/collections/users/auth-refresh", a, nil)
	assert.Equal(t, http.StatusUnauthorized, res.Status, "an ended session cannot be refreshed: %s", res.Body)
	status, _ = apiStatus(t, w, b)
	assert.Equal(t, http.StatusOK, status, "the other session goes on")
	status, _ = apiStatus(t, w, w.tokens["partner_manager"])
	assert.Equal(t, http.StatusOK, status, "other users go on")
}

// A token without a session (made by Go code with NewAuthToken, or issued
// before sessions were recorded) is refused: it could not be logged out.
// So is a token re-signed with the session id of someone else.
func TestATokenWithoutItsOwnSessionIsRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	pu := w.users["partner_user"]
	raw, err := pu.NewAuthToken()
	require.NoError(t, err)
	status, code := apiStatus(t, w, raw)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, sessions.Revoked, code)

	// pu's own key, the session id of partner_manager's live session
	claims, err := security.ParseUnverifiedJWT(raw)
	require.NoError(t, err)
	claims["sid"] = sid(t, w.tokens["partner_manager"])
	forged, err := security.NewJWT(claims, pu.TokenKey()+pu.Collection().AuthToken.Secret, 0)
	require.NoError(t, err)
	status, code = apiStatus(t, w, forged)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, sessions.Revoked, code)

	// control: the tokens of the world have sessions
	status, _ = apiStatus(t, w, w.tokens["partner_user"])
	assert.Equal(t, http.StatusOK, status)
}

// UI and API sessions end after settings_prm.session_idle_minutes unused
// (default 8 h) or session_max_hours old (default 24 h), refresh or not.
func TestSessionsHaveAnIdleAndAnAbsoluteTimeout(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	now := time.Now()
	login := func() string { return apiLogin(t, w, "users", "sales@world.test", "world-password-1") }

	tok := login()
	setSession(t, w.app, sid(t, tok), dbx.Params{"last_seen": now.Add(-8*time.Hour + time.Minute).Unix()})
	status, _ := apiStatus(t, w, tok)
	assert.Equal(t, http.StatusOK, status, "7 h 59 unused: still open")
	setSession(t, w.app, sid(t, tok), dbx.Params{"last_seen": now.Add(-8*time.Hour - time.Minute).Unix()})
	status, code := apiStatus(t, w, tok)
	assert.Equal(t, http.StatusUnauthorized, status, "8 h 01 unused")
	assert.Equal(t, sessions.Expired, code)
	assert.Zero(t, sessionCount(t, w.app, w.uid("sales"))-1, "the expired session is ended (the world's own remains)")

	// the absolute timeout holds whatever the use and across refreshes
	tok = login()
	res := w.client.Do(http.MethodPost, "/api/collections/users/auth-refresh", tok, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var refreshed struct {
		Token string `json:"token"`
	}
	res.JSON(t, &refreshed)
	assert.Equal(t, sid(t, tok), sid(t, refreshed.Token), "a refresh stays in its session")
	setSession(t, w.app, sid(t, tok), dbx.Params{"created": now.Add(-24*time.Hour + time.Minute).Unix(), "last_seen": now.Unix()})
	status, _ = apiStatus(t, w, refreshed.Token)
	assert.Equal(t, http.StatusOK, status, "23 h 59 old")
	setSession(t, w.app, sid(t, tok), dbx.Params{"created": now.Add(-24*time.Hour - time.Minute).Unix(), "last_seen": now.Unix()})
	status, code = apiStatus(t, w, refreshed.Token)
	assert.Equal(t, http.StatusUnauthorized, status, "24 h 01 old")
	assert.Equal(t, sessions.Expired, code)
	status, code = apiStatus(t, w, tok)
	assert.Equal(t, http.StatusUnauthorized, status, "the token before the refresh")
	assert.Equal(t, sessions.Revoked, code, "the expired session was ended")

	// the timeouts are settings
	settings, err := w.app.FindRecordById("settings_prm", access.SettingsID)
	require.NoError(t, err)
	assert.Equal(t, 480, settings.GetInt("session_idle_minutes"), "default set by the migration")
	assert.Equal(t, 24, settings.GetInt("session_max_hours"), "default set by the migration")
	settings.Set("session_idle_minutes", 30)
	require.NoError(t, w.app.Save(settings))
	tok = login()
	setSession(t, w.app, sid(t, tok), dbx.Params{"last_seen": now.Add(-31 * time.Minute).Unix()})
	status, code = apiStatus(t, w, tok)
	assert.Equal(t, http.StatusUnauthorized, status, "31 min unused with a 30 min idle timeout")
	assert.Equal(t, sessions.Expired, code)
}

// The last use of a session is written at most once a minute, not on every
// request.
func TestLastSeenIsWrittenAtMostOnceAMinute(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.tokens["sales"]
	id := sid(t, tok)
	lastSeen := func() int64 {
		var v int64
		require.NoError(t, w.app.DB().NewQuery("SELECT last_seen FROM relais_sessions WHERE id = {:id}").Bind(dbx.Params{"id": id}).Row(&v))
		return v
	}
	recent := time.Now().Add(-30 * time.Second).Unix()
	setSession(t, w.app, id, dbx.Params{"last_seen": recent})
	for range 3 {
		status, _ := apiStatus(t, w, tok)
		require.Equal(t, http.StatusOK, status)
	}
	assert.Equal(t, recent, lastSeen(), "used 30 s ago: not written again")
	setSession(t, w.app, id, dbx.Params{"last_seen": time.Now().Add(-2 * time.Minute).Unix()})
	before := time.Now().Unix()
	status, _ := apiStatus(t, w, tok)
	require.Equal(t, http.StatusOK, status)
	assert.GreaterOrEqual(t, lastSeen(), before, "used 2 min ago: written")
}

// "Log out everywhere" (a rotated token key) and deactivation end every
// session of the account, and only of that account.
func TestKeyRotationAndDeactivationEndEverySession(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(u *core.Record)
	}{
		{"log out everywhere", func(u *core.Record) { u.RefreshTokenKey() }},
		{"deactivation", func(u *core.Record) { u.Set("active", false) }},
		{"password change", func(u *core.Record) { u.SetPassword("another-password-7") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			a := apiLogin(t, w, "users", "partner_user@world.test", "world-password-1")
			require.Equal(t, 2, sessionCount(t, w.app, w.uid("partner_user")), "the world's token and a login")
			u, err := w.app.FindRecordById("users", w.uid("partner_user"))
			require.NoError(t, err)
			tc.change(u)
			require.NoError(t, w.app.Save(u))
			assert.Zero(t, sessionCount(t, w.app, w.uid("partner_user")), "every session row is gone")
			for _, tok := range []string{a, w.tokens["partner_user"]} {
				status, _ := apiStatus(t, w, tok)
				assert.Equal(t, http.StatusUnauthorized, status)
			}
			assert.Equal(t, 1, sessionCount(t, w.app, w.uid("partner_user_b")), "a colleague keeps hers")
			status, _ := apiStatus(t, w, w.tokens["partner_user_b"])
			assert.Equal(t, http.StatusOK, status)
		})
	}
}

// An update that does not rotate the key keeps the sessions.
func TestAnUpdateWithoutKeyRotationKeepsTheSessions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	u, err := w.app.FindRecordById("users", w.uid("sales"))
	require.NoError(t, err)
	u.Set("name", "Renamed")
	require.NoError(t, w.app.Save(u))
	assert.Equal(t, 1, sessionCount(t, w.app, w.uid("sales")))
	status, _ := apiStatus(t, w, w.tokens["sales"])
	assert.Equal(t, http.StatusOK, status)
}

// A static token (impersonation: an API key whose lifetime a superuser
// chose) is a session without idle or absolute timeout; it is not renewed
// by a refresh and ends like any other session.
func TestStaticTokensAreSessionsWithoutTimeouts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	su := core.NewRecord(govCollection(t, w.app, core.CollectionNameSuperusers))
	su.SetEmail("root@world.test")
	su.SetPassword("root-password-1")
	require.NoError(t, w.app.Save(su))
	suTok := testapp.Token(t, w.app, su)
	res := w.client.Do(http.MethodPost, "/api/collections/users/impersonate/"+w.uid("integration"), suTok, map[string]any{"duration": 30 * 24 * 3600})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var out struct {
		Token string `json:"token"`
	}
	res.JSON(t, &out)
	key := out.Token
	old := time.Now().Add(-20 * 24 * time.Hour).Unix()
	setSession(t, w.app, sid(t, key), dbx.Params{"created": old, "last_seen": old})
	status, _ := apiStatus(t, w, key)
	assert.Equal(t, http.StatusOK, status, "20 days old and unused: a key has no timeout")
	res = w.client.Do(http.MethodPost, "/api/collections/users/auth-refresh", key, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res.JSON(t, &out)
	assert.Equal(t, key, out.Token, "a static token is not renewed")
	n, err := sessions.Purge(w.app, time.Now())
	require.NoError(t, err)
	assert.Zero(t, n, "nothing to purge")

	u, err := w.app.FindRecordById("users", w.uid("integration"))
	require.NoError(t, err)
	u.RefreshTokenKey()
	require.NoError(t, w.app.Save(u))
	status, _ = apiStatus(t, w, key)
	assert.Equal(t, http.StatusUnauthorized, status, "log out everywhere ends it")

	// superusers' sessions are checked too
	status, _ = apiStatus(t, w, suTok)
	require.Equal(t, http.StatusOK, status)
	require.NoError(t, sessions.End(w.app, su, suTok))
	status, _ = apiStatus(t, w, suTok)
	assert.Equal(t, http.StatusUnauthorized, status)
}

// SDKs send their stored token with every request: a dead one must not
// stop the user from logging in again.
func TestAStaleTokenDoesNotPreventLoggingIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok := w.tokens["sales"]
	require.NoError(t, sessions.End(w.app, w.users["sales"], tok))
	res := w.client.Do(http.MethodPost, "/api/collections/users/auth-with-password", tok, map[string]any{"identity": "sales@world.test", "password": "world-password-1"})
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	// but it is no guest pass elsewhere
	status, _ := apiStatus(t, w, tok)
	assert.Equal(t, http.StatusUnauthorized, status)
}

// The purge ends the sessions over a timeout and those whose token expired,
// and only those.
func TestPurgeSessions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	now := time.Now()
	idle := apiLogin(t, w, "users", "sales@world.test", "world-password-1")
	setSession(t, w.app, sid(t, idle), dbx.Params{"last_seen": now.Add(-9 * time.Hour).Unix()})
	old := apiLogin(t, w, "users", "sales@world.test", "world-password-1")
	setSession(t, w.app, sid(t, old), dbx.Params{"created": now.Add(-25 * time.Hour).Unix()})
	gone := apiLogin(t, w, "users", "sales@world.test", "world-password-1")
	setSession(t, w.app, sid(t, gone), dbx.Params{"expires": now.Add(-time.Second).Unix()})
	live := apiLogin(t, w, "users", "sales@world.test", "world-password-1")

	n, err := sessions.Purge(w.app, now)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	var left []string
	require.NoError(t, w.app.DB().NewQuery("SELECT id FROM relais_sessions WHERE record = {:r} ORDER BY id").Bind(dbx.Params{"r": w.uid("sales")}).Column(&left))
	assert.ElementsMatch(t, []string{sid(t, live), sid(t, w.tokens["sales"])}, left)
}

// A realtime client subscribed with a token loses its authentication when
// that session ends (logout or purge), not when another one does.
func TestRealtimeClientsLoseTheAuthOfAnEndedSession(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	subscribeWith := func(token string) subscriptions.Client {
		c := subscriptions.NewDefaultClient()
		w.app.SubscriptionsBroker().Register(c)
		res := w.client.Do(http.MethodPost, "/api/realtime", token, map[string]any{"clientId": c.Id(), "subscriptions": []string{"leads"}})
		require.Equal(t, http.StatusNoContent, res.Status, res.Body)
		require.NotNil(t, c.Get(apis.RealtimeClientAuthKey), "subscribed with auth")
		return c
	}
	a := apiLogin(t, w, "users", "partner_user@world.test", "world-password-1")
	ca := subscribeWith(a)
	cb := subscribeWith(w.tokens["partner_user"])
	require.NoError(t, sessions.End(w.app, w.users["partner_user"], a))
	assert.Nil(t, ca.Get(apis.RealtimeClientAuthKey), "logged out")
	assert.NotNil(t, cb.Get(apis.RealtimeClientAuthKey), "the other session keeps its subscription")

	setSession(t, w.app, sid(t, w.tokens["partner_user"]), dbx.Params{"last_seen": time.Now().Add(-9 * time.Hour).Unix()})
	_, err := sessions.Purge(w.app, time.Now())
	require.NoError(t, err)
	assert.Nil(t, cb.Get(apis.RealtimeClientAuthKey), "purged")
}

var installerURL = regexp.MustCompile(`/_/#/pbinstall/(\S+)`)

// Under serve: the purge job is scheduled and PocketBase's installer link
// (first superuser) carries a token with a session.
func TestSessionsUnderServe(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, "")
	r, err := apis.NewRouter(app)
	require.NoError(t, err)
	// as apis.Serve does (the test app unsets the installer first thing)
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{Priority: -99998, Func: func(e *core.ServeEvent) error {
		e.InstallerFunc = apis.DefaultInstallerFunc
		return e.Next()
	}})
	se := &core.ServeEvent{App: app, Router: r, Server: &http.Server{}}
	require.NoError(t, app.OnServe().Trigger(se, func(e *core.ServeEvent) error { return nil }))
	var job string
	for _, j := range app.Cron().Jobs() {
		if j.Id() == sessions.PurgeCronID {
			job = j.Expression()
		}
	}
	assert.Equal(t, "*/10 * * * *", job)
	app.Cron().Stop()

	installer := core.NewRecord(govCollection(t, app, core.CollectionNameSuperusers))
	installer.SetEmail(core.DefaultInstallerEmail)
	installer.SetRandomPassword()
	require.NoError(t, app.Save(installer))
	// the serve event replaced PocketBase's installer
	require.NoError(t, se.InstallerFunc(app, installer, "http://127.0.0.1:8090"))
	assert.Equal(t, 1, sessionCount(t, app, installer.Id))
	// and its link opens the API (another app: one serve event per app)
	w := newWorld(t)
	installer = core.NewRecord(govCollection(t, w.app, core.CollectionNameSuperusers))
	installer.SetEmail(core.DefaultInstallerEmail)
	installer.SetRandomPassword()
	require.NoError(t, w.app.Save(installer))
	var out bytes.Buffer
	require.NoError(t, api.SessionInstaller(&out)(w.app, installer, "http://127.0.0.1:8090"))
	m := installerURL.FindStringSubmatch(out.String())
	require.NotNil(t, m, out.String())
	res := w.client.Do(http.MethodGet, "/api/collections/_superusers/records", m[1], nil)
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	var body map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.Body), &body))
	assert.Contains(t, body, "items")
}
