package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/relais/relais/hooks/notify"
	"github.com/stretchr/testify/require"
)

// demoRoles is one demo user per role.
var demoRoles = []string{
	"installer001.sales@demo.test", "installer001@demo.test", "teleop@demo.test",
	"manager.ouest@demo.test", "sales@demo.test", "admin@demo.test",
}

// navRow measures the header's navigation: whether all its top-level items
// share one row, the number of items, and the free width left of the
// user's corner (room for one more header link).
type navRow struct {
	OneRow bool    `json:"oneRow"`
	Items  int     `json:"items"`
	Links  int     `json:"links"`
	Free   float64 `json:"free"`
}

const measureNav = `(() => {
	const nav = document.querySelector("nav.menu");
	const items = [...nav.children];
	const tops = items.map(i => i.offsetTop);
	const h = Math.max(...items.map(i => i.offsetHeight));
	const last = items[items.length - 1].getBoundingClientRect().right;
	const me = document.querySelector(".me").getBoundingClientRect();
	return {oneRow: tops.every(t => t === tops[0]) && nav.offsetHeight <= h + 4 && me.top < nav.getBoundingClientRect().bottom,
		items: items.length, links: nav.querySelectorAll("a[href]").length, free: me.left - last};
})()`

// unreadBadge is the header's unread-notifications badge: shown (with a
// size, inside the viewport, on the navigation's row) and the count it reads.
type unreadBadge struct {
	Visible bool `json:"visible"`
	Count   int  `json:"count"`
}

const measureBadge = `(() => {
	const b = document.querySelector("#unread-count"), nav = document.querySelector("nav.menu");
	if (!b) return {visible: false, count: 0};
	const r = b.getBoundingClientRect(), n = nav.getBoundingClientRect();
	const visible = r.width > 0 && r.height > 0 && r.right <= window.innerWidth && r.top < n.bottom && r.bottom > n.top &&
		getComputedStyle(b).visibility !== "hidden";
	return {visible, count: parseInt(b.firstChild && b.firstChild.nodeType === 3 ? b.firstChild.textContent : "0", 10) || 0};
})()`

// ensureUnread gives the demo user at least one unread notification (the
// demo seeds some for most roles), so the header carries its count.
func (s *site) ensureUnread(t *testing.T, email string) {
	t.Helper()
	u, err := s.app.FindAuthRecordByEmail("users", email)
	require.NoError(t, err)
	var n int
	require.NoError(t, s.app.DB().NewQuery("SELECT COUNT(*) FROM notifications WHERE user = {:u} AND read = 0").
		Bind(dbx.Params{"u": u.Id}).Row(&n))
	if n == 0 {
		require.NoError(t, notify.Send(s.app, u.Id, "lead_withdrawn", "", notify.Msg("lead_withdrawn", "lead", "Camping Les Dunes", "city", "Carnac")))
	}
}

// TestNavigationFitsOneLineJourney: at 1366×768 every demo role's menu
// (grouped drop-downs for the long ones) stays on one row next to the
// user's corner, which shows an unread count (one notification is sent to
// a role the demo left without any), and a drop-down opens with the keyboard.
func TestNavigationFitsOneLineJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	for _, email := range demoRoles {
		s.ensureUnread(t, email)
		ctx := tab(t, b)
		do(t, ctx, chromedp.EmulateViewport(1366, 768))
		login(t, ctx, s, email)
		// the unread count is shown, in the header, on the navigation's row
		badge, err := chromedp.Run(ctx, chromedp.Evaluate[unreadBadge](measureBadge))
		require.NoError(t, err)
		require.True(t, badge.Visible, "%s: the unread badge is visible in the header", email)
		require.Positive(t, badge.Count, "%s: the unread badge shows a count", email)
		m, err := chromedp.Run(ctx, chromedp.Evaluate[navRow](measureNav))
		require.NoError(t, err)
		t.Logf("%s: %d top-level items, %d links, %.0f px free", email, m.Items, m.Links, m.Free)
		require.True(t, m.OneRow, "%s: the navigation holds on one row at 1366 px", email)
		require.GreaterOrEqual(t, m.Free, 0.0, "%s: the navigation does not run under the user's corner", email)
		// the header's help link sits on the same row, in the user's corner
		onRow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			const help = document.querySelector("#help-link"), nav = document.querySelector("nav.menu");
			return !!help && help.getBoundingClientRect().top < nav.getBoundingClientRect().bottom;
		})()`))
		require.NoError(t, err)
		require.True(t, onRow, "%s: the help link is in the header, on the navigation's row", email)
		if email == "admin@demo.test" {
			screenshot(t, ctx, "nav-admin-1366.png")
			// keyboard: focus the first drop-down, open it with Enter,
			// its links are then visible
			do(t, ctx,
				chromedp.Focus(chromedp.CSS("nav.menu details summary")),
				chromedp.KeyEvent("\r"),
				chromedp.WaitVisible(chromedp.CSS("nav.menu details[open] .menu-drop a")),
			)
		}
	}
}

// TestPhoneListsAsCardsJourney: at 390×844 the inbox, the leads list and
// the charts report never scroll sideways, for a partner and for the
// admin (and every page of the admin's menu); on the charts page the
// SVG charts give way to their tables.
func TestPhoneListsAsCardsJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	pages := map[string][]string{
		"installer001@demo.test": {"/inbox", "/leads", "/reports/charts", "/reports", "/figures"},
		"admin@demo.test": {"/leads", "/reports/charts", "/reports", "/dashboard", "/board", "/pool", "/partners", "/users", "/audit", "/access-review", "/documents", "/notifications",
			"/accounts", "/accounts/new", "/leads/new", "/leads/import"},
	}
	for email, paths := range pages {
		ctx := onPhone(t, b, s, email)
		for _, p := range paths {
			openFitting(t, ctx, s, email, p)
			// nor do the lists inside their scrolling wrappers
			wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.list")].filter(t => t.offsetWidth > 0 && t.parentElement.scrollWidth > t.parentElement.clientWidth + 1).map(t => t.id || t.className)`))
			require.NoError(t, err)
			require.Empty(t, wide, "%s %s: lists wider than the phone", email, p)
		}
		do(t, ctx, chromedp.Navigate(s.url+"/leads"), chromedp.WaitVisible(chromedp.CSS("main h1")))
		cards, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			const td = document.querySelector("table.list tbody td[data-label]");
			return !!td && getComputedStyle(td).display === "block" && getComputedStyle(td, "::before").content.length > 2;
		})()`))
		require.NoError(t, err)
		require.True(t, cards, "%s: the leads rows are cards with labelled cells", email)
		screenshot(t, ctx, "phone-leads-"+email+".png")
		do(t, ctx, chromedp.Navigate(s.url+"/reports/charts"), chromedp.WaitVisible(chromedp.CSS("#funnel-table")))
		chartsReadable(t, ctx, email)
		screenshot(t, ctx, "phone-charts-"+email+".png")
	}
}

// chartsReadable fails unless every chart on the page is either hidden
// (its table shown instead) or draws its text at 12 px or more.
func chartsReadable(t *testing.T, ctx context.Context, who string) {
	t.Helper()
	small, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("svg.chart text")].filter(x => {
		const r = x.getBoundingClientRect();
		return r.width > 0 && r.height < 12;
	}).length`))
	require.NoError(t, err)
	require.Zero(t, small, "%s: chart text under 12 px on a phone", who)
	tables, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`["#funnel-table", "#trend-table"].every(s => document.querySelector(s).offsetHeight > 0)`))
	require.NoError(t, err)
	require.True(t, tables, "%s: the charts' tables are shown", who)
}
