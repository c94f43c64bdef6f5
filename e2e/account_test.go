package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

var resetLink = regexp.MustCompile(`href="(https?://[^"]+/reset-password/[A-Za-z0-9._-]+)"`)

// fitsWidth fails when the page scrolls sideways.
func fitsWidth(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	require.NoError(t, err)
	require.True(t, ok, "%s scrolls sideways", where)
}

// TestForgottenPasswordJourney: on a phone, in French and in English, a
// partner salesperson who forgot their password asks for a link from the
// login page, opens the e-mail's link (PocketBase's test mailer), sets a
// new password and logs in with it.
func TestForgottenPasswordJourney(t *testing.T) {
	s := startSite(t)
	s.app.Settings().Meta.AppURL = s.url
	b := browser(t)
	for _, tc := range []struct {
		lang, email, sent, done string
	}{
		{"fr", "installer005.sales@demo.test", "un e-mail avec un lien", "Votre nouveau mot de passe est enregistré"},
		{"en", "installer006.sales@demo.test", "an e-mail with a link", "Your new password is set"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			u, err := s.app.FindAuthRecordByEmail("users", tc.email)
			require.NoError(t, err)
			u.Set("locale", tc.lang)
			require.NoError(t, s.app.Save(u))
			sent := s.app.TestMailer.TotalSend()

			ctx := tab(t, b)
			do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(s.url+"/login"), chromedp.WaitVisible(chromedp.CSS("#login-submit")))
			if tc.lang == "en" {
				do(t, ctx, chromedp.Click(chromedp.CSS(`footer button[value="en"]`)), chromedp.WaitVisible(chromedp.CSS(`footer button[value="en"][aria-pressed="true"]`)))
			}
			do(t, ctx,
				chromedp.Click(chromedp.CSS("#forgot-link")),
				chromedp.WaitVisible(chromedp.CSS("#forgot-submit")),
			)
			fitsWidth(t, ctx, "the forgotten-password page")
			do(t, ctx,
				chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), tc.email),
				chromedp.Click(chromedp.CSS("#forgot-submit")),
				chromedp.WaitVisible(chromedp.CSS("#forgot-sent")),
			)
			msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#forgot-sent")))
			require.NoError(t, err)
			require.Contains(t, msg, tc.sent)
			screenshot(t, ctx, "forgot-password-"+tc.lang+"-mobile.png")

			require.Eventually(t, func() bool { return s.app.TestMailer.TotalSend() == sent+1 }, 10*time.Second, 50*time.Millisecond, "the reset e-mail is sent")
			m := s.app.TestMailer.LastMessage()
			require.Equal(t, tc.email, m.To[0].Address)
			link := resetLink.FindStringSubmatch(m.HTML)
			require.NotNil(t, link, "a link in the e-mail")
			require.True(t, strings.HasPrefix(link[1], s.url+"/reset-password/"))

			do(t, ctx,
				chromedp.Navigate(link[1]),
				chromedp.WaitVisible(chromedp.CSS("#reset-submit")),
			)
			fitsWidth(t, ctx, "the new-password page")
			screenshot(t, ctx, "reset-password-"+tc.lang+"-mobile.png")
			do(t, ctx,
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "journey-password-26"),
				chromedp.SendKeys(chromedp.CSS(`input[name="passwordConfirm"]`), "journey-password-26"),
				chromedp.Click(chromedp.CSS("#reset-submit")),
				chromedp.WaitVisible(chromedp.CSS("#login-submit")),
			)
			flash, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#messages")))
			require.NoError(t, err)
			require.Contains(t, flash, tc.done)
			do(t, ctx,
				chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), tc.email),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "journey-password-26"),
				chromedp.Click(chromedp.CSS("#login-submit")),
				chromedp.WaitVisible(chromedp.CSS("nav.menu")),
			)
			fitsWidth(t, ctx, "the landing page")
			require.Contains(t, location(t, ctx), "/inbox")
		})
	}
}

// TestProfileJourney: on a phone, in French and in English, a partner
// manager opens "my account" from the header, fits the screen, saves the
// daily digest choice, and logs out everywhere.
func TestProfileJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	for _, tc := range []struct{ lang, email, saved, ended string }{
		{"fr", "installer011@demo.test", "Votre profil est enregistré", "Vous êtes déconnecté de tous vos appareils"},
		{"en", "installer012@demo.test", "Your profile is saved", "You are logged out on every device"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			u, err := s.app.FindAuthRecordByEmail("users", tc.email)
			require.NoError(t, err)
			u.Set("locale", tc.lang)
			require.NoError(t, s.app.Save(u))
			ctx := tab(t, b)
			do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
			login(t, ctx, s, tc.email)
			do(t, ctx,
				chromedp.Click(chromedp.CSS("#profile-link")),
				chromedp.WaitVisible(chromedp.CSS("#profile-save")),
			)
			fitsWidth(t, ctx, "the account page")
			screenshot(t, ctx, "profile-"+tc.lang+"-mobile.png")
			do(t, ctx,
				chromedp.Click(chromedp.CSS(`input[name="digest"]`)),
				chromedp.Click(chromedp.CSS("#profile-save")),
				chromedp.WaitVisible(chromedp.CSS("#messages .flash")),
			)
			flash, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#messages")))
			require.NoError(t, err)
			require.Contains(t, flash, tc.saved)
			u, err = s.app.FindAuthRecordByEmail("users", tc.email)
			require.NoError(t, err)
			require.True(t, u.GetBool("digest"))
			do(t, ctx,
				chromedp.Click(chromedp.CSS("#logout-everywhere")),
				chromedp.WaitVisible(chromedp.CSS("#login-submit")),
			)
			flash, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#messages")))
			require.NoError(t, err)
			require.Contains(t, flash, tc.ended)
		})
	}
}
