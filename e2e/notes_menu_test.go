package e2e

import (
	"context"
	"github.com/pocketbase/dbx"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/notify"
)

// unread reads the header's unread count.
func unread(t *testing.T, ctx context.Context) int {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#unread-count").dataset.count`))
	require.NoError(t, err)
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

// TestUnreadBadgeJourney: on a phone, in French and in English, a partner
// salesperson's header shows the unread count; when an offer's
// notification arrives the count goes up by itself (the 30 s poll), the
// menu lists it, and marking it read there brings the count down.
func TestUnreadBadgeJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	type user struct {
		lang, email, title, label string
		ctx                       context.Context
		before                    int
	}
	users := []*user{
		{lang: "fr", email: "installer009.sales@demo.test", title: "Nouvelle offre (e2e badge FR)", label: "non lue"},
		{lang: "en", email: "installer010.sales@demo.test", title: "New offer (e2e badge EN)", label: "unread"},
	}
	for _, u := range users {
		rec, err := s.app.FindAuthRecordByEmail("users", u.email)
		require.NoError(t, err)
		rec.Set("locale", u.lang)
		require.NoError(t, s.app.Save(rec))
		u.ctx = tab(t, b)
		do(t, u.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		login(t, u.ctx, s, u.email)
		do(t, u.ctx, chromedp.WaitVisible(chromedp.CSS(".notes-menu summary")))
		fitsWidth(t, u.ctx, "the inbox with the notification menu")
		u.before = unread(t, u.ctx)
		label, err := chromedp.Run(u.ctx, chromedp.Evaluate[string](`document.querySelector("#unread-count .sr").textContent`))
		require.NoError(t, err)
		require.Contains(t, label, u.label)
	}
	// an offer arrives for each (the notification an offer sends)
	for _, u := range users {
		rec, err := s.app.FindAuthRecordByEmail("users", u.email)
		require.NoError(t, err)
		require.NoError(t, notify.Send(s.app, rec.Id, "offer", "", notify.Msg("back_to_pool", "lead", u.title, "city", "e2e")))
	}
	deadline := time.Now().Add(45 * time.Second)
	for _, u := range users {
		for unread(t, u.ctx) != u.before+1 {
			require.True(t, time.Now().Before(deadline), "%s: the count did not change", u.lang)
			time.Sleep(time.Second)
		}
	}
	for _, u := range users {
		do(t, u.ctx,
			chromedp.Click(chromedp.CSS(".notes-menu summary")),
			chromedp.WaitVisible(chromedp.CSS(".notes-list")),
		)
		list, err := chromedp.Run(u.ctx, chromedp.Text(chromedp.CSS("#notes-latest")))
		require.NoError(t, err)
		require.Contains(t, list, u.title)
		fitsWidth(t, u.ctx, "the open notification menu")
		screenshot(t, u.ctx, "notification-menu-"+u.lang+"-mobile.png")
		n, err := s.app.FindFirstRecordByFilter("notifications", "title ~ {:t}", dbx.Params{"t": u.title})
		require.NoError(t, err)
		do(t, u.ctx, chromedp.Click(chromedp.CSS("#menu-note-"+n.Id+" button")))
		require.Eventually(t, func() bool { return unread(t, u.ctx) == u.before }, 10*time.Second, 100*time.Millisecond, "%s: marked read", u.lang)
	}
}
