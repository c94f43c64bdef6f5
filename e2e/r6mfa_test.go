package e2e

import (
	"context"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/demo"
)

var mailedCode = regexp.MustCompile(`\b(\d{8})\b`)

// axeClean fails on any WCAG 2.1 A/AA violation of the current page.
func axeClean(t *testing.T, ctx context.Context, src, where string) {
	t.Helper()
	v, err := runAxe(ctx, src)
	require.NoError(t, err)
	require.Empty(t, v, "axe-core on %s", where)
}

// passwordToCode signs in with the password of email and waits for the
// code step; it returns the code of the e-mail sent (PocketBase's test
// mailer), after checking the e-mail's subject.
func passwordToCode(t *testing.T, ctx context.Context, s *site, email, subject string) string {
	t.Helper()
	sent := s.app.TestMailer.TotalSend()
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), demo.Password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#code-submit")),
	)
	require.Equal(t, sent+1, s.app.TestMailer.TotalSend(), "one code e-mailed")
	m := s.app.TestMailer.LastMessage()
	require.Equal(t, email, m.To[0].Address)
	require.Contains(t, m.Subject, subject)
	code := mailedCode.FindStringSubmatch(m.Text)
	require.NotNil(t, code, m.Text)
	return code[1]
}

// TestSecondFactorJourney: on a phone, in French, the admin turns on the
// second factor on the account page, logs out, and signs in again with the
// password then the code e-mailed to them (a wrong code is refused with a
// message); in English, the admin requires the second factor of admins and
// channel managers on the sign-in security page and a channel manager
// signs in with a code. Every page fits 390 px and passes axe-core.
func TestSecondFactorJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	src := axeSource(t)
	u, err := s.app.FindAuthRecordByEmail("users", "manager@demo.test")
	require.NoError(t, err)
	u.Set("locale", "en")
	require.NoError(t, s.app.Save(u))

	t.Run("fr", func(t *testing.T) {
		ctx := tab(t, b)
		do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		login(t, ctx, s, "admin@demo.test")
		do(t, ctx, chromedp.Navigate(s.url+"/profile"), chromedp.WaitVisible(chromedp.CSS("#mfa-submit")))
		fitsWidth(t, ctx, "the account page")
		axeClean(t, ctx, src, "the account page")
		do(t, ctx,
			chromedp.SendKeys(chromedp.CSS(`#second-factor input[name="password"]`), demo.Password),
			chromedp.Click(chromedp.CSS("#mfa-submit")),
			chromedp.WaitVisible(chromedp.CSS("#messages .flash")),
		)
		flash, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#messages")))
		require.NoError(t, err)
		require.Contains(t, flash, "Le second facteur est activé")
		screenshot(t, ctx, "second-factor-profile-fr-mobile.png")
		do(t, ctx, chromedp.Click(chromedp.CSS("#logout-everywhere")), chromedp.WaitVisible(chromedp.CSS("#login-submit")))

		code := passwordToCode(t, ctx, s, "admin@demo.test", "votre code de connexion")
		fitsWidth(t, ctx, "the code step")
		axeClean(t, ctx, src, "the code step")
		screenshot(t, ctx, "second-factor-code-fr-mobile.png")
		do(t, ctx,
			chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), "00000000"),
			chromedp.Click(chromedp.CSS("#code-submit")),
			chromedp.WaitVisible(chromedp.CSS("#code-error")),
		)
		msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#code-error")))
		require.NoError(t, err)
		require.Contains(t, msg, "Ce n'est pas le bon code")
		axeClean(t, ctx, src, "the code step with its error")
		do(t, ctx,
			chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), code),
			chromedp.Click(chromedp.CSS("#code-submit")),
			chromedp.WaitVisible(chromedp.CSS("nav.menu")),
		)
		fitsWidth(t, ctx, "the landing page")
	})

	t.Run("en", func(t *testing.T) {
		// the admin (second factor on) requires it of the managers
		ctx := tab(t, b)
		do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(s.url+"/login"), chromedp.WaitVisible(chromedp.CSS("#login-submit")))
		do(t, ctx, chromedp.Click(chromedp.CSS(`footer button[value="en"]`)), chromedp.WaitVisible(chromedp.CSS(`footer button[value="en"][aria-pressed="true"]`)))
		code := passwordToCode(t, ctx, s, "admin@demo.test", "votre code de connexion")
		label, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#code-submit")))
		require.NoError(t, err)
		require.Contains(t, label, "Sign in")
		fitsWidth(t, ctx, "the code step (en)")
		axeClean(t, ctx, src, "the code step (en)")
		do(t, ctx,
			chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), code),
			chromedp.Click(chromedp.CSS("#code-submit")),
			chromedp.WaitVisible(chromedp.CSS("nav.menu")),
			chromedp.Navigate(s.url+"/security"),
			chromedp.WaitVisible(chromedp.CSS("#mfa-required-submit")),
		)
		fitsWidth(t, ctx, "the sign-in security page")
		axeClean(t, ctx, src, "the sign-in security page")
		do(t, ctx,
			chromedp.Click(chromedp.CSS("#mfa-required-submit")),
			chromedp.WaitVisible(chromedp.CSS("#messages .flash")),
		)
		state, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#mfa-required-state")))
		require.NoError(t, err)
		require.Contains(t, state, "Exigé") // the admin reads French (their locale)
		screenshot(t, ctx, "second-factor-security-mobile.png")

		// a channel manager, in English, now signs in with a code
		mctx := tab(t, b)
		do(t, mctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(s.url+"/login"), chromedp.WaitVisible(chromedp.CSS("#login-submit")))
		do(t, mctx, chromedp.Click(chromedp.CSS(`footer button[value="en"]`)), chromedp.WaitVisible(chromedp.CSS(`footer button[value="en"][aria-pressed="true"]`)))
		code = passwordToCode(t, mctx, s, "manager@demo.test", "your sign-in code")
		intro, err := chromedp.Run(mctx, chromedp.Text(chromedp.CSS("#login-code")))
		require.NoError(t, err)
		require.Contains(t, intro, "We have sent a code to m…@demo.test")
		fitsWidth(t, mctx, "the manager's code step")
		screenshot(t, mctx, "second-factor-code-en-mobile.png")
		do(t, mctx,
			chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), code),
			chromedp.Click(chromedp.CSS("#code-submit")),
			chromedp.WaitVisible(chromedp.CSS("nav.menu")),
			chromedp.Navigate(s.url+"/profile"),
			chromedp.WaitVisible(chromedp.CSS("#mfa-state")),
		)
		state, err = chromedp.Run(mctx, chromedp.Text(chromedp.CSS("#mfa-state")))
		require.NoError(t, err)
		require.Contains(t, state, "Required for your role")
		fitsWidth(t, mctx, "the manager's account page")
		axeClean(t, mctx, src, "the manager's account page")
	})
}
