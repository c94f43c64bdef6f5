package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/internal/testapp"
)

// TestNoCandidateAlertJourney: on a phone, in French and in English, a
// channel manager finds in the header's menu one alert counting the ready
// leads no partner can take in a territory; following it opens the
// board's list of those leads. A lead notification of the same menu opens
// the lead's page (it used to open /leads/true).
func TestNoCandidateAlertJourney(t *testing.T) {
	s := startSite(t)
	managers := []struct{ lang, email, title string }{
		{"fr", "manager.ouest@demo.test", "3 leads qu'aucun partenaire ne peut prendre (territoire Corse)"},
		{"en", "manager@demo.test", "3 leads cannot be taken by any partner in Corse"},
	}
	tr := testapp.UncoveredTerritory(t, s.app, []string{managers[0].email, managers[1].email}, 3)
	for _, m := range managers {
		u, err := s.app.FindAuthRecordByEmail("users", m.email)
		require.NoError(t, err)
		u.Set("locale", m.lang)
		require.NoError(t, s.app.Save(u))
	}
	_, err := distribution.DistributePending(s.app, time.Now())
	require.NoError(t, err)

	b := browser(t)
	for _, m := range managers {
		ctx := tab(t, b)
		do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		login(t, ctx, s, m.email)
		do(t, ctx,
			chromedp.Click(chromedp.CSS(".notes-menu summary")),
			chromedp.WaitVisible(chromedp.CSS("#notes-latest .notes-list")),
		)
		fitsWidth(t, ctx, "the notification menu")
		page := html(t, ctx)
		require.Contains(t, page, m.title, m.lang)
		screenshot(t, ctx, "nocand-menu-"+m.lang+".png")
		title, err := json.Marshal(m.title)
		require.NoError(t, err)
		clicked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const a = [...document.querySelectorAll("#notes-latest a")].find(a => a.textContent.trim() === %s); if (!a) return false; a.click(); return true })()`, title)))
		require.NoError(t, err)
		require.True(t, clicked, "the alert is a link in the menu (%s)", m.lang)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#no-partner")))
		assert.Contains(t, location(t, ctx), "/board?territory="+tr.Id, m.lang)
		board := html(t, ctx)
		for i := range 3 {
			assert.Contains(t, board, fmt.Sprintf("Corse Lead %d", i), m.lang)
		}
		fitsWidth(t, ctx, "the board's leads no partner can take")
		screenshot(t, ctx, "nocand-board-"+m.lang+".png")

		// a lead notification of the same menu opens the lead
		u, err := s.app.FindAuthRecordByEmail("users", m.email)
		require.NoError(t, err)
		lead := s.lead(t, dbx.HashExp{"territory": tr.Id})
		require.NoError(t, notify.Send(s.app, u.Id, "offer", lead.Id, notify.Msg("back_to_pool", "lead", "E2E menu "+m.lang, "city", "corps")))
		do(t, ctx,
			chromedp.Navigate(s.url+"/notifications"),
			chromedp.Click(chromedp.CSS(".notes-menu summary")),
			chromedp.WaitVisible(chromedp.CSS("#notes-latest .notes-list")),
		)
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#notes-latest a")].find(a => a.textContent.includes("E2E menu")).getAttribute("href")`))
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(href, "/notifications/"), href)
		do(t, ctx, chromedp.Navigate(s.url+href), chromedp.WaitVisible(chromedp.CSS("nav.menu")))
		assert.Equal(t, s.url+"/leads/"+lead.Id, location(t, ctx), m.lang)
	}
}
