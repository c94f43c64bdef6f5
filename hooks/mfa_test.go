package hooks_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/account"
	"github.com/relais/relais/hooks/sessions"
)

var mailedCode = regexp.MustCompile(`\b(\d{8})\b`)

// requireMFA turns the "second factor for admins and channel managers"
// setting on, as an admin does.
func requireMFA(t *testing.T, w *world) {
	t.Helper()
	require.NoError(t, account.SetSecondFactorRequired(w.app, access.ByUser(w.users["admin"]), true))
}

// passwordStep sends the password of key and returns the status and the
// body's mfaId and token.
func passwordStep(t *testing.T, w *world, key string) (int, string, string) {
	t.Helper()
	res := w.client.Do(http.MethodPost, "/api/collections/users/auth-with-password", "", map[string]any{"identity": key + "@world.test", "password": "world-password-1"})
	var out struct {
		MfaID string `json:"mfaId"`
		Token string `json:"token"`
	}
	res.JSON(t, &out)
	return res.Status, out.MfaID, out.Token
}

// requestCode asks PocketBase's request-otp for key and returns the otpId
// and the code of the e-mail sent (empty when none is sent).
func requestCode(t *testing.T, w *world, key string) (string, string) {
	t.Helper()
	sent := w.app.TestMailer.TotalSend()
	res := w.client.Do(http.MethodPost, "/api/collections/users/request-otp", "", map[string]any{"email": key + "@world.test"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var out struct {
		OtpID string `json:"otpId"`
	}
	res.JSON(t, &out)
	require.NotEmpty(t, out.OtpID)
	if !assert.Eventually(t, func() bool { return w.app.TestMailer.TotalSend() > sent }, 2*time.Second, 20*time.Millisecond) {
		return out.OtpID, ""
	}
	m := w.app.TestMailer.LastMessage()
	require.Equal(t, key+"@world.test", m.To[0].Address)
	code := mailedCode.FindStringSubmatch(m.Text)
	require.NotNil(t, code, m.Text)
	return out.OtpID, code[1]
}

func otpLogin(w *world, otpID, code, mfaID string) (int, string) {
	body := map[string]any{"otpId": otpID, "password": code}
	if mfaID != "" {
		body["mfaId"] = mfaID
	}
	res := w.client.Do(http.MethodPost, "/api/collections/users/auth-with-otp", "", body)
	return res.Status, res.Body
}

// Which accounts need the second factor: their own choice, or the setting
// for the admin and channel manager roles only (PocketBase's MFA rule).
func TestSecondFactorRequiredByRoleAndChoice(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	check := func(key string, want bool) {
		t.Helper()
		u, err := w.app.FindRecordById("users", w.uid(key))
		require.NoError(t, err)
		got, err := account.SecondFactorRequired(w.app, u)
		require.NoError(t, err)
		assert.Equal(t, want, got, key)
	}
	for _, k := range []string{"admin", "channel_manager", "sales", "partner_manager", "partner_user"} {
		check(k, false)
	}
	requireMFA(t, w)
	for k, want := range map[string]bool{"admin": true, "channel_manager": true, "sales": false, "teleoperator": false, "partner_manager": false, "partner_user": false} {
		check(k, want)
	}
	require.NoError(t, account.SetSecondFactor(w.app, access.ByUser(w.users["partner_user"]), "world-password-1", true))
	check("partner_user", true)
	// the setting's roles may not turn it off while it is on
	err := account.SetSecondFactor(w.app, access.ByUser(w.users["admin"]), "world-password-1", false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "required")
	// a wrong password changes nothing
	require.Error(t, account.SetSecondFactor(w.app, access.ByUser(w.users["sales"]), "wrong-password-1", true))
	check("sales", false)
	// integrations have none
	require.Error(t, account.SetSecondFactor(w.app, access.ByUser(w.users["integration"]), "world-password-1", true))
}

// With the setting on, an admin's password alone gets no token and no
// session (PocketBase's 401 with mfaId); the e-mailed code with the mfaId
// does; a partner is unaffected.
func TestRequiredSecondFactorREST(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	requireMFA(t, w)
	admin := w.users["admin"]
	before, err := sessions.Count(w.app, admin)
	require.NoError(t, err)
	head := auditHead(t, w.app)

	status, mfaID, token := passwordStep(t, w, "admin")
	require.Equal(t, http.StatusUnauthorized, status)
	require.NotEmpty(t, mfaID)
	require.Empty(t, token, "no token with the password alone")
	after, err := sessions.Count(w.app, admin)
	require.NoError(t, err)
	assert.Equal(t, before, after, "no session with the password alone")
	var actions []string
	for _, e := range auditSince(t, w.app, head) {
		actions = append(actions, e.GetString("action"))
	}
	assert.Equal(t, []string{account.ActionSecondStep}, actions, "a step, neither a login nor a failure")

	otpID, code := requestCode(t, w, "admin")
	require.NotEmpty(t, code)
	// the code without the password step is refused
	st, body := otpLogin(w, otpID, code, "")
	assert.Equal(t, http.StatusForbidden, st, body)
	// a wrong code
	st, body = otpLogin(w, otpID, "00000000", mfaID)
	assert.Equal(t, http.StatusBadRequest, st, body)
	st, body = otpLogin(w, otpID, code, mfaID)
	require.Equal(t, http.StatusOK, st, body)
	assert.Contains(t, body, `"token"`)
	var out struct {
		Token string `json:"token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	apiSt, _ := apiStatus(t, w, out.Token)
	assert.Equal(t, http.StatusOK, apiSt, "the token of the second step works")
	// the step is used up
	st, _ = otpLogin(w, otpID, code, mfaID)
	assert.Equal(t, http.StatusBadRequest, st)

	// a partner (and a sales rep) still log in with the password alone
	for _, k := range []string{"partner_user", "sales"} {
		status, mfaID, token = passwordStep(t, w, k)
		assert.Equal(t, http.StatusOK, status, k)
		assert.Empty(t, mfaID, k)
		assert.NotEmpty(t, token, k)
	}
}

// The code of one account does not log in another; an old mfaId expires;
// a code is never sent nor accepted without a password step.
func TestSecondFactorCrossAccountAndExpiry(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	requireMFA(t, w)
	_, adminMFA, _ := passwordStep(t, w, "admin")
	_, cmMFA, _ := passwordStep(t, w, "channel_manager")
	require.NotEmpty(t, adminMFA)
	require.NotEmpty(t, cmMFA)
	cmOTP, cmCode := requestCode(t, w, "channel_manager")
	require.NotEmpty(t, cmCode)
	// the channel manager's code with the admin's step
	st, body := otpLogin(w, cmOTP, cmCode, adminMFA)
	assert.Equal(t, http.StatusBadRequest, st, body)
	assert.NotContains(t, body, "token")
	// the same through the UI's check
	_, err := account.CheckCode(w.app, account.Step{MFA: adminMFA, OTP: cmOTP}, cmCode, time.Now())
	assert.ErrorIs(t, err, account.ErrCodeGone)

	// an mfaId older than the MFA duration (10 minutes) is refused
	_, err = w.app.DB().NewQuery("UPDATE _mfas SET created = {:c} WHERE id = {:id}").
		Bind(map[string]any{"c": time.Now().Add(-11 * time.Minute).UTC().Format("2006-01-02 15:04:05.000Z"), "id": cmMFA}).Execute()
	require.NoError(t, err)
	st, body = otpLogin(w, cmOTP, cmCode, cmMFA)
	assert.Equal(t, http.StatusBadRequest, st, body)
	assert.NotContains(t, body, "token")

	// no password step: request-otp sends nothing (same answer) and an OTP
	// alone never logs in, even for an account without a second factor
	sent := w.app.TestMailer.TotalSend()
	res := w.client.Do(http.MethodPost, "/api/collections/users/request-otp", "", map[string]any{"email": "partner_user@world.test"})
	require.Equal(t, http.StatusOK, res.Status)
	assert.Contains(t, res.Body, "otpId")
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, sent, w.app.TestMailer.TotalSend(), "no code without a password step")
	pu := w.users["partner_user"]
	otp := core.NewOTP(w.app)
	otp.SetCollectionRef(pu.Collection().Id)
	otp.SetRecordRef(pu.Id)
	otp.SetPassword("12345678")
	require.NoError(t, w.app.Save(otp))
	st, body = otpLogin(w, otp.Id, "12345678", "")
	assert.Equal(t, http.StatusForbidden, st, body)
}

// The UI's check of a code: wrong codes are counted and the fifth ends the
// step; the right code is used once.
func TestCheckCodeTries(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin, err := w.app.FindRecordById("users", w.uid("admin"))
	require.NoError(t, err)
	sent := w.app.TestMailer.TotalSend()
	step, err := account.StartCode(w.app, admin)
	require.NoError(t, err)
	require.Equal(t, sent+1, w.app.TestMailer.TotalSend())
	code := mailedCode.FindStringSubmatch(w.app.TestMailer.LastMessage().Text)[1]
	now := time.Now()
	for i := 1; i < account.CodeTries; i++ {
		_, err := account.CheckCode(w.app, step, "99999999", now)
		require.ErrorIs(t, err, account.ErrCodeWrong, "try %d", i)
	}
	_, err = account.CheckCode(w.app, step, "99999999", now)
	require.ErrorIs(t, err, account.ErrCodeGone)
	_, err = account.CheckCode(w.app, step, code, now)
	require.ErrorIs(t, err, account.ErrCodeGone, "the right code after too many tries")

	step, err = account.StartCode(w.app, admin)
	require.NoError(t, err)
	code = mailedCode.FindStringSubmatch(w.app.TestMailer.LastMessage().Text)[1]
	_, err = account.CheckCode(w.app, step, code, now.Add(6*time.Minute))
	require.ErrorIs(t, err, account.ErrCodeGone, "the code lasts 5 minutes")
	step, err = account.StartCode(w.app, admin)
	require.NoError(t, err)
	code = mailedCode.FindStringSubmatch(w.app.TestMailer.LastMessage().Text)[1]
	u, err := account.CheckCode(w.app, step, code, now)
	require.NoError(t, err)
	assert.Equal(t, admin.Id, u.Id)
	_, err = account.CheckCode(w.app, step, code, now)
	require.ErrorIs(t, err, account.ErrCodeGone, "used once")
}

// The setting is the admin's only, and audited.
func TestSecondFactorSettingAudited(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	require.Error(t, account.SetSecondFactorRequired(w.app, access.ByUser(w.users["channel_manager"]), true))
	head := auditHead(t, w.app)
	requireMFA(t, w)
	e := onlyEntry(t, w.app, head, account.ActionSecondFactorRequired)
	assert.Equal(t, w.uid("admin"), e.GetString("actor"))
	assert.Equal(t, true, changesOf(t, e)["mfa_required"])
	s, err := access.LoadSettings(w.app)
	require.NoError(t, err)
	assert.True(t, s.MFARequired)
}

// The code e-mail is in the account's language.
func TestCodeMailLocalized(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for lang, want := range map[string]string{"fr": "votre code de connexion", "en": "your sign-in code"} {
		u, err := w.app.FindRecordById("users", w.uid("sales"))
		require.NoError(t, err)
		u.Set("locale", lang)
		require.NoError(t, w.app.Save(u))
		_, err = account.StartCode(w.app, u)
		require.NoError(t, err)
		m := w.app.TestMailer.LastMessage()
		assert.Contains(t, m.Subject, want, lang)
		assert.Regexp(t, mailedCode, m.HTML)
	}
}
