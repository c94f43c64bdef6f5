package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestDoubleSubmitGuardJourney: an htmx action form (the lead's activity
// form) has its button disabled while the request runs and enabled again
// after; a plain form (the language switch) disables its buttons once
// submitted, and the clicked button's value still reaches the server.
func TestDoubleSubmitGuardJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	ctx := tab(t, b)
	const email = "installer001.sales@demo.test"
	login(t, ctx, s, email)
	u, err := s.app.FindAuthRecordByEmail("users", email)
	require.NoError(t, err)
	require.NotEqual(t, "en", u.GetString("locale"))
	lead := s.lead(t, dbx.HashExp{"status": "contacted", "assignee": u.Id})

	do(t, ctx,
		chromedp.Navigate(s.url+"/leads/"+lead.Id),
		chromedp.WaitVisible(chromedp.CSS("#activity-form")),
	)
	// record the button's state when htmx issues the request
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__during = null;
		document.addEventListener("htmx:before:request", e => {
			const b = document.querySelector('#activity-form button[type="submit"]');
			window.__during = b ? b.disabled : null;
		}); true`))
	require.NoError(t, err)
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#activity-form select[name="kind"]`), "call"),
		chromedp.SendKeys(chromedp.CSS(`#activity-form textarea[name="summary"]`), "Appel de suivi (e2e garde)"),
		chromedp.Click(chromedp.CSS(`#activity-form button[type="submit"]`)),
	)
	logged := false
	for i := 0; i < 100 && !logged; i++ {
		time.Sleep(100 * time.Millisecond)
		logged, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#activities").textContent.includes("Appel de suivi (e2e garde)")`))
		require.NoError(t, err)
	}
	require.True(t, logged, "the activity was logged")
	during, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__during === true`))
	require.NoError(t, err)
	require.True(t, during, "the activity button is disabled while its request runs")
	after, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.querySelector('#activity-form button[type="submit"]').disabled`))
	require.NoError(t, err)
	require.True(t, after, "and enabled again once it is done")

	// the language switch is a plain form: a real click still sends the
	// clicked button's value (the guard disables after the browser read it)
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`form.lang button[value="en"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.lang button[value="en"][aria-pressed="true"]`)),
	)
	u, err = s.app.FindAuthRecordByEmail("users", email)
	require.NoError(t, err)
	require.Equal(t, "en", u.GetString("locale"), "the clicked button's value was sent")
	// a submit event that nothing cancelled (as the browser's own, which
	// then leaves the page) disables every button of the plain form
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("form.lang").dispatchEvent(new SubmitEvent("submit", {bubbles: true, cancelable: true}))`))
	require.NoError(t, err)
	var disabled bool
	for i := 0; i < 50 && !disabled; i++ {
		time.Sleep(50 * time.Millisecond)
		disabled, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll("form.lang button")].every(b => b.disabled)`))
		require.NoError(t, err)
	}
	require.True(t, disabled, "the plain form's buttons are disabled once submitted")
}
