package hooks_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/audit"
)

var welcomeLinkRe = regexp.MustCompile(`href="([^"]*/welcome/([A-Za-z0-9._-]+))"`)

// welcomeToken returns the token of the last invitation e-mail sent to
// email, failing when the last e-mail is not one.
func (w *world) welcomeToken(email string) string {
	w.t.Helper()
	m := w.app.TestMailer.LastMessage()
	require.Equal(w.t, email, m.To[0].Address)
	link := welcomeLinkRe.FindStringSubmatch(m.HTML)
	require.NotNil(w.t, link, "a welcome link in %q", m.HTML)
	assert.NotContains(w.t, m.HTML+m.Text, "/_/", "never a link to the admin panel")
	return link[2]
}

// An admin and a partner manager invite accounts through the REST route;
// the invitation is PocketBase's verification e-mail in the new user's
// language, linking to /welcome/{token}, where the user chooses a
// password once.
func TestInviteAndWelcome(t *testing.T) {
	w := newWorld(t)
	w.app.Settings().Meta.AppURL = "https://relais.example"
	r := w.client.Do("POST", "/api/prm/users/invite", w.tokens["admin"], map[string]any{
		"email": "New.Seller@World.test", "name": "Nouveau Vendeur", "role": "partner_user", "partner": w.P2, "locale": "en",
	})
	require.Equal(t, http.StatusCreated, r.Status, r.Body)
	assert.Contains(t, r.Body, `"email":"new.seller@world.test"`)
	assert.NotContains(t, r.Body, "password")
	assert.NotContains(t, r.Body, "tokenKey")
	m := w.app.TestMailer.LastMessage()
	assert.Equal(t, "Relais: your account is waiting", m.Subject)
	assert.Contains(t, m.HTML, "https://relais.example/welcome/")
	token := w.welcomeToken("new.seller@world.test")

	u, err := w.app.FindAuthRecordByEmail("users", "new.seller@world.test")
	require.NoError(t, err)
	assert.False(t, u.Verified())
	assert.True(t, u.GetBool("active"))
	assert.False(t, u.ValidatePassword("relais-welcome-1"))

	_, err = account.ConfirmWelcome(w.app, token, "relais-welcome-1", "other", audit.Actor{}, time.Now())
	require.Error(t, err, "the confirmation differs")
	_, err = account.ConfirmWelcome(w.app, token, "relais-welcome-1", "relais-welcome-1", audit.Actor{}, time.Now())
	require.NoError(t, err)
	_, err = account.ConfirmWelcome(w.app, token, "relais-welcome-2", "relais-welcome-2", audit.Actor{}, time.Now())
	assert.ErrorIs(t, err, account.ErrWelcomeLink, "the link works once")
	u, err = w.app.FindAuthRecordByEmail("users", "new.seller@world.test")
	require.NoError(t, err)
	assert.True(t, u.Verified())
	assert.True(t, u.ValidatePassword("relais-welcome-1"))
	login := w.client.Do("POST", "/api/collections/users/auth-with-password", "", map[string]any{"identity": "new.seller@world.test", "password": "relais-welcome-1"})
	assert.Equal(t, http.StatusOK, login.Status, login.Body)

	// a partner manager invites a salesperson of its own company, in French
	r = w.client.Do("POST", "/api/prm/users/invite", w.tokens["partner_manager"], map[string]any{
		"email": "recrue@world.test", "name": "Recrue", "role": "partner_user", "locale": "fr",
	})
	require.Equal(t, http.StatusCreated, r.Status, r.Body)
	assert.Contains(t, r.Body, `"partner":"`+w.P1+`"`, "its own company by default")
	assert.Equal(t, "Relais : votre compte vous attend", w.app.TestMailer.LastMessage().Subject)
	w.welcomeToken("recrue@world.test")
}

// A partner manager never creates a manager, an internal account or an
// account of another company, neither through the team route nor through
// PocketBase's record API; other roles without the users create right
// create nothing either.
func TestInviteCeiling(t *testing.T) {
	w := newWorld(t)
	sent := w.app.TestMailer.TotalSend()
	n := 0
	body := func(role, partner string, extra ...string) map[string]any {
		n++
		b := map[string]any{"email": "forbidden" + strings.Repeat("x", n) + "@world.test", "name": "Interdit", "role": role, "partner": partner,
			"password": "forbidden-pass-1", "passwordConfirm": "forbidden-pass-1", "active": true}
		if len(extra) > 0 {
			b["territories"] = []string{w.T1}
		}
		return b
	}
	cases := []struct {
		name, actor string
		body        map[string]any
	}{
		{"manager makes a manager", "partner_manager", body("partner_manager", w.P1)},
		{"manager makes an admin", "partner_manager", body("admin", "")},
		{"manager makes a channel manager", "partner_manager", body("channel_manager", "", "territories")},
		{"manager makes an integration", "partner_manager", body("integration", "")},
		{"manager makes a salesperson elsewhere", "partner_manager", body("partner_user", w.P2)},
		{"manager makes a manager elsewhere", "partner_manager", body("partner_manager", w.P2)},
		{"manager gives territories", "partner_manager", body("partner_user", w.P1, "territories")},
		{"salesperson invites", "partner_user", body("partner_user", w.P1)},
		{"channel manager invites", "channel_manager", body("partner_user", w.P1)},
		{"sales invites", "sales", body("sales", "")},
		{"integration invites", "integration", body("partner_user", w.P1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := w.client.Do("POST", "/api/prm/users/invite", w.tokens[tc.actor], tc.body)
			assert.Contains(t, []int{http.StatusForbidden, http.StatusBadRequest}, r.Status, "team route: %s", r.Body)
			r = w.client.Do("POST", "/api/collections/users/records", w.tokens[tc.actor], tc.body)
			assert.Contains(t, []int{http.StatusForbidden, http.StatusBadRequest}, r.Status, "record API: %s", r.Body)
			_, err := w.app.FindAuthRecordByEmail("users", tc.body["email"].(string))
			assert.Error(t, err, "no account was created")
		})
	}
	assert.Equal(t, sent, w.app.TestMailer.TotalSend(), "no invitation was sent")
	r := w.client.Do("POST", "/api/prm/users/invite", "", body("partner_user", w.P1))
	assert.Equal(t, http.StatusUnauthorized, r.Status, "guests")
}

// A partner manager deactivates and reactivates its own company's
// salespeople (their sessions end), never itself, another manager, an
// internal account or another company's salesperson; the record API
// refuses it the same change.
func TestTeamDeactivation(t *testing.T) {
	w := newWorld(t)
	pm := w.tokens["partner_manager"]
	pu := w.uid("partner_user")
	r := w.client.Do("POST", "/api/prm/users/"+pu+"/active", pm, map[string]any{"active": false})
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	u, err := w.app.FindRecordById("users", pu)
	require.NoError(t, err)
	assert.False(t, u.GetBool("active"))
	r = w.client.Do("GET", "/api/collections/leads/records", w.tokens["partner_user"], nil)
	assert.Equal(t, http.StatusUnauthorized, r.Status, "the salesperson's session ended: %s", r.Body)
	r = w.client.Do("POST", "/api/prm/users/"+pu+"/active", pm, map[string]any{"active": true})
	require.Equal(t, http.StatusOK, r.Status, r.Body)

	second := w.addUser("pm_b", "partner_manager", "P1")
	for _, tc := range []struct {
		name, id string
		status   int
	}{
		{"itself", w.uid("partner_manager"), http.StatusForbidden},
		{"another manager of its company", second.Id, http.StatusForbidden},
		{"another company's salesperson", w.uid("pu2"), http.StatusNotFound},
		{"another company's manager", w.uid("pm2"), http.StatusNotFound},
		{"an admin", w.uid("admin"), http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.client.Do("POST", "/api/prm/users/"+tc.id+"/active", pm, map[string]any{"active": false})
			assert.Equal(t, tc.status, r.Status, r.Body)
			r = w.client.Do("PATCH", "/api/collections/users/records/"+tc.id, pm, map[string]any{"active": false})
			assert.Contains(t, []int{http.StatusForbidden, http.StatusNotFound, http.StatusBadRequest}, r.Status, r.Body)
			u, err := w.app.FindRecordById("users", tc.id)
			require.NoError(t, err)
			assert.True(t, u.GetBool("active"))
		})
	}
	// a salesperson manages nobody
	r = w.client.Do("POST", "/api/prm/users/"+pu+"/active", w.tokens["partner_user_b"], map[string]any{"active": false})
	assert.Contains(t, []int{http.StatusForbidden, http.StatusNotFound}, r.Status, r.Body)
	// the record API still refuses the manager its salesperson's activity
	r = w.client.Do("PATCH", "/api/collections/users/records/"+pu, pm, map[string]any{"active": false})
	assert.Contains(t, []int{http.StatusForbidden, http.StatusNotFound, http.StatusBadRequest}, r.Status, r.Body)
}
