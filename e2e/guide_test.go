package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestFirstLoginGuideJourney: on a phone, a partner salesperson's first
// login shows the guide of their role; "Got it" hides it, a second login
// does not show it again, and the header's Help link reopens it with the
// help page.
func TestFirstLoginGuideJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	email := "installer013.sales@demo.test"
	u, err := s.app.FindAuthRecordByEmail("users", email)
	require.NoError(t, err)
	require.True(t, u.GetDateTime("guide_seen").IsZero())

	ctx := tab(t, b)
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	login(t, ctx, s, email)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#guide ol")))
	fitsWidth(t, ctx, "the first page with the guide")
	screenshot(t, ctx, "guide-first-login-mobile.png")
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#guide-close")),
		chromedp.WaitVisible(chromedp.CSS("nav.menu")),
	)
	require.NotContains(t, html(t, ctx), `id="guide"`, "the guide is shown once")

	do(t, ctx,
		chromedp.Click(chromedp.CSS("#logout")),
		chromedp.WaitVisible(chromedp.CSS("#login-submit")),
	)
	login(t, ctx, s, email)
	require.NotContains(t, html(t, ctx), `id="guide"`, "a second login does not show it")

	do(t, ctx,
		chromedp.Click(chromedp.CSS("#help-link")),
		chromedp.WaitVisible(chromedp.CSS("#help h1")),
		chromedp.WaitVisible(chromedp.CSS("#guide ol")),
	)
	fitsWidth(t, ctx, "the help page")
}
