package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/writepath"
)

// No role but admin can change, through the write path of the profile
// page, the fields that decide what an account reaches or who it is
// (SPEC §3.3.4): each forbidden field, sent alone, is refused and the
// account is unchanged; the profile's own fields are saved.
func TestProfileEditsCannotEscalate(t *testing.T) {
	w := newWorld(t)
	future := time.Now().Add(30 * 24 * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")
	forbidden := map[string]any{
		"role":            "admin",
		"partner":         w.P2,
		"territories":     []string{w.T1, w.T2},
		"active":          false,
		"access_expires":  future,
		"email":           "someone.else@world.test",
		"verified":        true,
		"emailVisibility": true,
		"last_login":      future,
		"guide_seen":      future,
	}
	for _, key := range []string{"partner_user", "partner_manager", "sales", "teleoperator", "channel_manager"} {
		u := w.users[key]
		for field, value := range forbidden {
			t.Run(key+"/"+field, func(t *testing.T) {
				before, err := w.app.FindRecordById("users", u.Id)
				require.NoError(t, err)
				_, err = writepath.UpdateFor(w.app, access.ByUser(before), "users", u.Id, map[string]any{field: value})
				require.Error(t, err, "%s may not send %s", key, field)
				after, err := w.app.FindRecordById("users", u.Id)
				require.NoError(t, err)
				assert.Equal(t, before.Get(field), after.Get(field), "%s unchanged", field)
				assert.Equal(t, before.TokenKey(), after.TokenKey())
			})
		}
		t.Run(key+"/profile", func(t *testing.T) {
			me, err := w.app.FindRecordById("users", u.Id)
			require.NoError(t, err)
			ok, err := account.MayEditProfile(w.app, me)
			require.NoError(t, err)
			require.True(t, ok)
			_, err = account.UpdateProfile(w.app, access.ByUser(me), account.Profile{Name: "New " + key, Phone: "+33 6 12 34 56 78", Locale: "en", MailOff: []string{"offer"}, Digest: true})
			require.NoError(t, err)
			after, err := w.app.FindRecordById("users", u.Id)
			require.NoError(t, err)
			assert.Equal(t, "New "+key, after.GetString("name"))
			assert.Equal(t, "+33 6 12 34 56 78", after.GetString("phone"))
			assert.Equal(t, "en", after.GetString("locale"))
			assert.Equal(t, []string{"offer"}, after.GetStringSlice("mail_off"))
			assert.True(t, after.GetBool("digest"))
			assert.Equal(t, me.GetString("role"), after.GetString("role"))
		})
	}
	// a role whose matrix cell users.update is none has a read-only profile
	for _, key := range []string{"integration"} {
		me := w.users[key]
		ok, err := account.MayEditProfile(w.app, me)
		require.NoError(t, err)
		assert.False(t, ok, key)
		_, err = account.UpdateProfile(w.app, access.ByUser(me), account.Profile{Name: "x", Locale: "fr"})
		assert.Error(t, err, key)
	}
}

// The reset e-mail goes only to an account that may log in, at most once
// per two minutes, in the account's language, with a link to the Relais
// page (never the admin panel); the REST API's request-password-reset
// sends the same e-mail.
func TestPasswordResetMail(t *testing.T) {
	w := newWorld(t)
	w.app.Settings().Meta.AppURL = "https://relais.example"
	en := w.users["partner_user"]
	en.Set("locale", "en")
	require.NoError(t, w.app.Save(en))
	fr := w.users["sales"]
	fr.Set("locale", "fr")
	require.NoError(t, w.app.Save(fr))
	off := w.users["partner_user_b"]
	off.Set("active", false)
	require.NoError(t, w.app.Save(off))
	now := time.Now()

	for _, tc := range []struct {
		email string
		sent  bool
	}{
		{"nobody@world.test", false},
		{off.Email(), false},
		{en.Email(), true},
		{strings.ToUpper(en.Email()), false}, // within two minutes
		{fr.Email(), true},
	} {
		sent, err := account.RequestReset(w.app, tc.email, now)
		require.NoError(t, err)
		assert.Equal(t, tc.sent, sent, tc.email)
	}
	msgs := w.app.TestMailer.Messages()
	require.Len(t, msgs, 2)
	for i, want := range []struct{ to, subject, words string }{
		{en.Email(), "Relais: choose a new password", "Open this link"},
		{fr.Email(), "Relais : choisir un nouveau mot de passe", "Ouvrez ce lien"},
	} {
		m := msgs[i]
		assert.Equal(t, want.to, m.To[0].Address)
		assert.Equal(t, want.subject, m.Subject)
		assert.Contains(t, m.HTML, want.words)
		assert.Contains(t, m.HTML, "https://relais.example/reset-password/")
		assert.Contains(t, m.Text, "https://relais.example/reset-password/")
		assert.NotContains(t, m.HTML, "/_/")
	}
	// later, another e-mail may go
	sent, err := account.RequestReset(w.app, en.Email(), now.Add(account.ResendEvery+time.Second))
	require.NoError(t, err)
	assert.True(t, sent)

	// PocketBase's REST request goes through the same mailer hook
	r := w.client.Do(http.MethodPost, "/api/collections/users/request-password-reset", "", map[string]any{"email": fr.Email()})
	require.Equal(t, http.StatusNoContent, r.Status)
	require.Eventually(t, func() bool { return w.app.TestMailer.TotalSend() == 4 }, 5*time.Second, 20*time.Millisecond)
	last := w.app.TestMailer.LastMessage()
	assert.Equal(t, "Relais : choisir un nouveau mot de passe", last.Subject)
	assert.Contains(t, last.HTML, "https://relais.example/reset-password/")
}

// Confirming a reset sets the password once: the link then fails, every
// session of the account has ended, the entry is audited.
func TestConfirmResetEndsSessionsAndIsSingleUse(t *testing.T) {
	w := newWorld(t)
	u := w.users["partner_user"]
	token, err := u.NewPasswordResetToken()
	require.NoError(t, err)
	api := w.tokens["partner_user"]
	require.Equal(t, http.StatusOK, w.client.Do(http.MethodGet, "/api/collections/leads/records", api, nil).Status)

	_, err = account.ConfirmReset(w.app, token, "short", "short", w.actor(), time.Now())
	require.Error(t, err, "too short")
	_, err = account.ConfirmReset(w.app, token, "a-new-password-1", "another-one-22", w.actor(), time.Now())
	require.Error(t, err, "mismatch")
	_, err = account.ConfirmReset(w.app, "not-a-token", "a-new-password-1", "a-new-password-1", w.actor(), time.Now())
	require.ErrorIs(t, err, account.ErrResetLink)

	_, err = account.ConfirmReset(w.app, token, "a-new-password-1", "a-new-password-1", w.actor(), time.Now())
	require.NoError(t, err)
	after, err := w.app.FindRecordById("users", u.Id)
	require.NoError(t, err)
	assert.True(t, after.ValidatePassword("a-new-password-1"))
	assert.Equal(t, http.StatusUnauthorized, w.client.Do(http.MethodGet, "/api/collections/leads/records", api, nil).Status, "old sessions end")
	_, err = account.ConfirmReset(w.app, token, "a-new-password-2", "a-new-password-2", w.actor(), time.Now())
	require.ErrorIs(t, err, account.ErrResetLink, "the link works once")
	rec, err := w.app.FindFirstRecordByData("audit_log", "action", account.ActionPasswordReset)
	require.NoError(t, err)
	assert.Equal(t, u.Id, rec.GetString("record"))
	assert.Equal(t, u.Id, rec.GetString("actor"))
}

// actor is an unauthenticated caller (a reset link is opened signed out).
func (w *world) actor() audit.Actor { return audit.Actor{IP: "127.0.0.1"} }

// A user who unticked a kind of e-mail on the profile page still gets the
// notification in the app, but no e-mail; others still get both.
func TestMailOffKeepsTheNotificationInTheAppOnly(t *testing.T) {
	w := newWorld(t)
	quiet := w.users["partner_user"]
	quiet.Set("mail_off", []string{"offer"})
	require.NoError(t, w.app.Save(quiet))
	flushMail(t, w)
	before := w.app.TestMailer.TotalSend()
	require.NoError(t, notify.Send(w.app, quiet.Id, "offer", "", notify.Msg("back_to_pool", "lead", "Nouvelle offre", "city", "Une offre")))
	n, err := w.app.FindFirstRecordByData("notifications", "user", quiet.Id)
	require.NoError(t, err)
	assert.Equal(t, "offer", n.GetString("kind"))
	flushMail(t, w)
	assert.Equal(t, before, w.app.TestMailer.TotalSend(), "no e-mail")
	require.NoError(t, notify.Send(w.app, quiet.Id, "lead_back_to_pool", "", notify.Msg("back_to_pool", "lead", "Retour au vivier", "city", "Un lead")))
	flushMail(t, w)
	assert.Equal(t, before+1, w.app.TestMailer.TotalSend(), "the kinds left ticked are mailed")
	require.NoError(t, notify.Send(w.app, w.uid("partner_user_b"), "offer", "", notify.Msg("back_to_pool", "lead", "Nouvelle offre", "city", "Une offre")))
	flushMail(t, w)
	assert.Equal(t, before+2, w.app.TestMailer.TotalSend(), "other users still get the e-mail")
}

// PocketBase's REST confirm-password-reset is audited like the UI's page,
// and its request is rate limited (5 per minute per IP).
func TestRESTPasswordResetIsAuditedAndLimited(t *testing.T) {
	w := newWorld(t)
	u := w.users["sales"]
	token, err := u.NewPasswordResetToken()
	require.NoError(t, err)
	r := w.client.Do(http.MethodPost, "/api/collections/users/confirm-password-reset", "",
		map[string]any{"token": token, "password": "a-new-password-1", "passwordConfirm": "a-new-password-1"})
	require.Equal(t, http.StatusNoContent, r.Status, r.Body)
	rec, err := w.app.FindFirstRecordByData("audit_log", "action", account.ActionPasswordReset)
	require.NoError(t, err)
	assert.Equal(t, u.Id, rec.GetString("record"))

	w.app.Settings().RateLimits.Enabled = true
	statuses := []int{}
	for range 6 {
		statuses = append(statuses, w.client.Do(http.MethodPost, "/api/collections/users/request-password-reset", "", map[string]any{"email": "nobody@world.test"}).Status)
	}
	assert.Equal(t, []int{204, 204, 204, 204, 204, 429}, statuses)
}
