package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func login(w *world, email, password string) (int, string) {
	res := w.client.Do(http.MethodPost, "/api/collections/users/auth-with-password", "", map[string]any{"identity": email, "password": password})
	return res.Status, res.Body
}

func listStatus(w *world, token string) int {
	return w.client.Do(http.MethodGet, url("leads"), token, nil).Status
}

// A deactivated, expired or suspended-partner account loses every session
// at once and cannot log in again (SPEC §3.3.5).
func TestAccountLifecycleRevokesSessions(t *testing.T) {
	cases := []struct {
		name   string
		user   string
		change func(w *world)
		code   string
	}{
		{"deactivation", "sales", func(w *world) {
			u := w.users["sales"]
			u.Set("active", false)
			require.NoError(t, w.app.Save(u))
		}, "account_inactive"},
		{"expiry set in the past", "teleoperator", func(w *world) {
			u := w.users["teleoperator"]
			u.Set("access_expires", types.NowDateTime().Add(-time.Minute))
			require.NoError(t, w.app.Save(u))
		}, "account_expired"},
		{"partner suspended", "partner_user", func(w *world) {
			p, err := w.app.FindRecordById("partners", w.P1)
			require.NoError(t, err)
			p.Set("status", "suspended")
			require.NoError(t, w.app.Save(p))
		}, "partner_inactive"},
		{"partner ended", "partner_manager", func(w *world) {
			p, err := w.app.FindRecordById("partners", w.P1)
			require.NoError(t, err)
			p.Set("status", "ended")
			require.NoError(t, w.app.Save(p))
		}, "partner_inactive"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tok := w.tokens[tc.user]
			require.Equal(t, http.StatusOK, listStatus(w, tok))
			status, _ := login(w, tc.user+"@world.test", "world-password-1")
			require.Equal(t, http.StatusOK, status)

			tc.change(w)

			// the old token is rejected right away
			res := w.client.Do(http.MethodGet, url("leads"), tok, nil)
			assert.Contains(t, []int{http.StatusUnauthorized, http.StatusForbidden}, res.Status, res.Body)
			res = w.client.Do(http.MethodPost, "/api/collections/users/auth-refresh", tok, nil)
			assert.Contains(t, []int{http.StatusUnauthorized, http.StatusForbidden}, res.Status, res.Body)
			// and a new login is refused with a clear message
			status, body := login(w, tc.user+"@world.test", "world-password-1")
			assert.Equal(t, http.StatusForbidden, status, body)
			assert.Contains(t, body, tc.code)
			// a wrong password still gets the generic answer (no account oracle)
			status, body = login(w, tc.user+"@world.test", "wrong-password")
			assert.Equal(t, http.StatusBadRequest, status)
			assert.NotContains(t, body, tc.code)
		})
	}
}

// Even with a token key that was not rotated (e.g. an expiry reached by the
// clock), the rules check active and expiry on every request.
func TestRulesCheckExpiryWithoutRotation(t *testing.T) {
	w := newWorld(t)
	tok := w.tokens["partner_user"]
	require.Equal(t, http.StatusOK, listStatus(w, tok))
	// expire the account behind the hooks' back: no token rotation
	_, err := w.app.DB().NewQuery("UPDATE users SET access_expires = {:t} WHERE id = {:id}").
		Bind(map[string]any{"t": types.NowDateTime().Add(-time.Second).String(), "id": w.uid("partner_user")}).Execute()
	require.NoError(t, err)
	lead := w.lead(ownLead("partner_user"))
	// the session guard answers 401 ...
	res := w.client.Do(http.MethodGet, url("leads", lead.Id), tok, nil)
	assert.Equal(t, http.StatusUnauthorized, res.Status, res.Body)
	assert.NotContains(t, res.Body, lead.GetString("company"))
	// ... and the rules alone refuse too (defence in depth)
	expired, err := w.app.FindRecordById("users", w.uid("partner_user"))
	require.NoError(t, err)
	leads, err := w.app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	ok, err := w.app.CanAccessRecord(lead, &core.RequestInfo{Auth: expired, Method: http.MethodGet}, leads.ViewRule)
	require.NoError(t, err)
	assert.False(t, ok, "the view rule must refuse an expired account")
	valid, err := w.app.FindRecordById("users", w.uid("partner_user_b"))
	require.NoError(t, err)
	lead.Set("assignee", valid.Id)
	require.NoError(t, w.app.Save(lead))
	ok, err = w.app.CanAccessRecord(lead, &core.RequestInfo{Auth: valid, Method: http.MethodGet}, leads.ViewRule)
	require.NoError(t, err)
	assert.True(t, ok, "control: the same rule lets an active colleague in")
}

func TestLoginRecordsLastLogin(t *testing.T) {
	w := newWorld(t)
	before := time.Now().UTC().Add(-time.Second)
	status, body := login(w, "partner_user@world.test", "world-password-1")
	require.Equal(t, http.StatusOK, status, body)
	u, err := w.app.FindRecordById("users", w.uid("partner_user"))
	require.NoError(t, err)
	assert.True(t, u.GetDateTime("last_login").Time().After(before), "last_login=%v", u.GetDateTime("last_login"))
}

// Sign-up is closed: guests cannot create accounts.
func TestGuestsCannotSignUp(t *testing.T) {
	w := newWorld(t)
	res := w.client.Do(http.MethodPost, url("users"), "", map[string]any{
		"email": "intruder@x.test", "password": "intruder-pass-1", "passwordConfirm": "intruder-pass-1", "role": "admin", "active": true,
	})
	assert.Contains(t, []int{http.StatusBadRequest, http.StatusForbidden}, res.Status, res.Body)
	_, err := w.app.FindAuthRecordByEmail("users", "intruder@x.test")
	assert.Error(t, err)
}

// Admins manage accounts (they see e-mails); colleagues do not see each
// other's e-mail.
func TestUserEmailsVisibleToAdminsOnly(t *testing.T) {
	w := newWorld(t)
	res := w.client.Do(http.MethodGet, url("users", w.uid("partner_user")), w.tokens["admin"], nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Contains(t, res.Body, "partner_user@world.test")
	res = w.client.Do(http.MethodGet, url("users", w.uid("partner_user")), w.tokens["partner_manager"], nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.NotContains(t, res.Body, "partner_user@world.test")
	res = w.client.Do(http.MethodPatch, url("users", w.uid("partner_user")), w.tokens["partner_manager"], map[string]any{"password": "new-pass-12345", "passwordConfirm": "new-pass-12345"})
	assert.NotEqual(t, http.StatusOK, res.Status, "a partner manager cannot reset a colleague's password")
}
