package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/demo"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/account"
)

var (
	mailedCode = regexp.MustCompile(`\b(\d{8})\b`)
	hiddenMFA  = regexp.MustCompile(`name="mfa" value="([^"]+)"`)
	hiddenOTP  = regexp.MustCompile(`name="otp" value="([^"]+)"`)
)

// codeStep posts the password of email and returns the second step's
// ids and the code of the e-mail sent.
func codeStep(t *testing.T, e *env, b *browser, email string) (mfa, otp, code string) {
	t.Helper()
	sent := e.app.TestMailer.TotalSend()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {email}, "password": {demo.Password}})
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, `id="login-code"`)
	assert.Nil(t, b.jar[sessionCookie], "no session after the password alone")
	require.Equal(t, sent+1, e.app.TestMailer.TotalSend(), "a code is e-mailed")
	m := e.app.TestMailer.LastMessage()
	require.Equal(t, email, m.To[0].Address)
	return hiddenMFA.FindStringSubmatch(r.Body)[1], hiddenOTP.FindStringSubmatch(r.Body)[1], mailedCode.FindStringSubmatch(m.Text)[1]
}

// With the setting on, an admin and a channel manager get no UI session
// from their password alone; a wrong code is refused with a clear
// message; the right code signs in. A partner is unaffected. The code of
// one account does not end another's step.
func TestRequiredSecondFactorUILogin(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, account.SetSecondFactorRequired(e.app, access.ByUser(e.user("admin@demo.test")), true))
	for _, email := range []string{"admin@demo.test", "manager@demo.test"} {
		b := e.browser()
		mfa, otp, code := codeStep(t, e, b, email)
		r := b.post("/login/code", url.Values{"mfa": {mfa}, "otp": {otp}, "code": {"00000000"}})
		assert.Equal(t, http.StatusUnauthorized, r.Status)
		has(t, r.Body, "Ce n&#39;est pas le bon code")
		assert.Nil(t, b.jar[sessionCookie], email)
		r = b.post("/login/code", url.Values{"mfa": {mfa}, "otp": {otp}, "code": {code[:4] + " " + code[4:]}, "next": {"/leads"}})
		require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
		assert.Equal(t, "/leads", r.Header.Get("Location"))
		require.NotNil(t, b.jar[sessionCookie], email)
		assert.Equal(t, http.StatusOK, b.get("/leads").Status)
		// the step is used up
		again := e.browser()
		again.get("/login")
		assert.Equal(t, http.StatusUnauthorized, again.post("/login/code", url.Values{"mfa": {mfa}, "otp": {otp}, "code": {code}}).Status)
		assert.Nil(t, again.jar[sessionCookie])
	}
	// a partner still signs in with the password alone
	e.signedIn("installer001.sales@demo.test")

	// the manager's code with the admin's step
	ba, bm := e.browser(), e.browser()
	adminMFA, _, _ := codeStep(t, e, ba, "admin@demo.test")
	_, managerOTP, managerCode := codeStep(t, e, bm, "manager@demo.test")
	r := ba.post("/login/code", url.Values{"mfa": {adminMFA}, "otp": {managerOTP}, "code": {managerCode}})
	assert.Equal(t, http.StatusUnauthorized, r.Status)
	assert.Nil(t, ba.jar[sessionCookie])
	has(t, r.Body, "Reconnectez-vous")
}

// Five wrong codes end the step: the right code no longer works.
func TestUICodeTriesAreLimited(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, account.SetSecondFactorRequired(e.app, access.ByUser(e.user("admin@demo.test")), true))
	b := e.browser()
	mfa, otp, code := codeStep(t, e, b, "admin@demo.test")
	for i := 0; i < account.CodeTries; i++ {
		b.post("/login/code", url.Values{"mfa": {mfa}, "otp": {otp}, "code": {"11111111"}})
	}
	r := b.post("/login/code", url.Values{"mfa": {mfa}, "otp": {otp}, "code": {code}})
	assert.Equal(t, http.StatusUnauthorized, r.Status)
	assert.Nil(t, b.jar[sessionCookie])
	var n int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed' AND changes LIKE '%invalid_code%'").Row(&n))
	assert.Equal(t, account.CodeTries, n, "each wrong code is audited")
	// a new code can be asked for the live step only
	b2 := e.browser()
	mfa, _, _ = codeStep(t, e, b2, "admin@demo.test")
	r = b2.post("/login/code/resend", url.Values{"mfa": {mfa}})
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `id="code-resent"`)
	code = mailedCode.FindStringSubmatch(e.app.TestMailer.LastMessage().Text)[1]
	otp = hiddenOTP.FindStringSubmatch(r.Body)[1]
	require.Equal(t, http.StatusSeeOther, b2.post("/login/code", url.Values{"mfa": {mfa}, "otp": {otp}, "code": {code}}).Status)
	b3 := e.browser()
	b3.get("/login")
	assert.Equal(t, http.StatusUnauthorized, b3.post("/login/code/resend", url.Values{"mfa": {mfa}}).Status, "the step is over")
}

// Every person sees the second factor on their account page and may turn
// it on with their password (then the login asks for a code); the
// setting's roles may not turn it off while it is required.
func TestProfileSecondFactorPerRole(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{"admin@demo.test", "manager@demo.test", "teleop@demo.test", "sales@demo.test", "installer001@demo.test", "installer001.sales@demo.test"} {
		t.Run(email, func(t *testing.T) {
			b := e.signedIn(email)
			r := b.get("/profile")
			require.Equal(t, http.StatusOK, r.Status)
			has(t, r.Body, `id="second-factor"`, `value="true"`)
			r = b.post("/profile/second-factor", url.Values{"on": {"true"}, "password": {"wrong-password-1"}})
			assert.Equal(t, htmlStatusInvalid, r.Status)
			has(t, r.Body, "Le mot de passe actuel est incorrect")
			assert.False(t, e.user(email).GetBool("mfa"))
			r = b.post("/profile/second-factor", url.Values{"on": {"true"}, "password": {demo.Password}})
			require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
			assert.True(t, e.user(email).GetBool("mfa"))
			r = b.get("/profile")
			has(t, r.Body, "Le second facteur est activé")
			has(t, r.Body, `id="mfa-submit"`, `value="false"`)
			// the next login asks for a code
			next := e.browser()
			_, _, _ = codeStep(t, e, next, email)
			require.Equal(t, http.StatusSeeOther, b.post("/profile/second-factor", url.Values{"on": {"false"}, "password": {demo.Password}}).Status)
			assert.False(t, e.user(email).GetBool("mfa"))
		})
	}
	require.NoError(t, account.SetSecondFactorRequired(e.app, access.ByUser(e.user("admin@demo.test")), false))
	// required: the manager's page says so and refuses to turn it off
	b := e.signedIn("manager@demo.test")
	require.NoError(t, account.SetSecondFactorRequired(e.app, access.ByUser(e.user("admin@demo.test")), true))
	r := b.get("/profile")
	has(t, r.Body, "Exigé pour votre rôle")
	assert.NotContains(t, r.Body, `id="mfa-submit"`)
	r = b.post("/profile/second-factor", url.Values{"on": {"false"}, "password": {demo.Password}})
	assert.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, "il ne peut pas être désactivé")
}

// The sign-in security page is the admin's: 404 for every other role; the
// change is saved and audited.
func TestSecurityPagePerRole(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{"manager@demo.test", "teleop@demo.test", "sales@demo.test", "installer001@demo.test", "installer001.sales@demo.test"} {
		b := e.signedIn(email)
		assert.Equal(t, http.StatusNotFound, b.get("/security").Status, email)
		assert.Equal(t, http.StatusNotFound, b.post("/security/mfa-required", url.Values{"on": {"true"}}).Status, email)
	}
	s, err := access.LoadSettings(e.app)
	require.NoError(t, err)
	require.False(t, s.MFARequired)
	admin := e.signedIn("admin@demo.test")
	r := admin.get("/security")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `id="mfa-required-submit"`, "Non exigé")
	r = admin.post("/security/mfa-required", url.Values{"on": {"true"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	has(t, admin.get(r.Header.Get("Location")).Body, "Le réglage de sécurité de connexion est enregistré")
	s, err = access.LoadSettings(e.app)
	require.NoError(t, err)
	assert.True(t, s.MFARequired)
	var n int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM audit_log WHERE action = {:a} AND actor = {:u}").
		Bind(map[string]any{"a": account.ActionSecondFactorRequired, "u": e.user("admin@demo.test").Id}).Row(&n))
	assert.Equal(t, 1, n, "the change is audited")
	has(t, admin.get("/security").Body, "Exigé")
	// the admin's own session goes on; the next login asks for a code
	assert.Equal(t, http.StatusOK, admin.get("/security").Status)
	_, _, _ = codeStep(t, e, e.browser(), "admin@demo.test")
}
