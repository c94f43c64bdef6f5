package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestROIJourney: the admin opens the ROI report from the Reports menu,
// sees the charts and tables, changes the period (a preset, then dates),
// and on a phone the page does not scroll sideways and the chart's labels
// stay at 12 px or more.
func TestROIJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	ctx := tab(t, b)
	do(t, ctx, chromedp.EmulateViewport(1366, 800))
	login(t, ctx, s, "admin@demo.test")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#menu-reports summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#menu-reports a[href="/reports/roi"]`)),
		chromedp.Click(chromedp.CSS(`#menu-reports a[href="/reports/roi"]`)),
		chromedp.WaitVisible(chromedp.CSS("#roi-chart meter")),
	)
	page := html(t, ctx)
	require.Contains(t, page, "Annonces Google solaire", "the demo's campaigns")
	require.Contains(t, page, `data-period="year" aria-current="true"`, "the last 12 months by default")
	require.Contains(t, page, `id="roi-csv"`, "admins may download it")
	meters, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#roi-chart meter").length`))
	require.NoError(t, err)
	require.Positive(t, meters)
	screenshot(t, ctx, "roi-desktop.png")

	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#roi-period a[data-period="quarter"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#roi-period a[data-period="quarter"][aria-current="true"]`)),
	)
	require.True(t, strings.HasSuffix(location(t, ctx), "/reports/roi?period=quarter"))
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#roi-dates input[name="from"]`), "2026-01-01"),
		chromedp.SetValue(chromedp.CSS(`#roi-dates input[name="to"]`), "2026-03-31"),
		chromedp.Click(chromedp.CSS(`#roi-dates button`)),
		chromedp.WaitVisible(chromedp.CSS(`#roi-dates input[value="2026-03-31"]`)),
	)
	require.Contains(t, location(t, ctx), "from=2026-01-01&to=2026-03-31")
	require.Contains(t, html(t, ctx), "Du 1 janv. 2026 au 31 mars 2026")

	do(t, ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(s.url+"/reports/roi"),
		chromedp.WaitVisible(chromedp.CSS("#roi-chart meter")),
	)
	fitsWidth(t, ctx, "the ROI page")
	smallest, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Math.min(...[...document.querySelectorAll("#roi-chart .bar-label, #roi-chart .bar-value")].map(e => parseFloat(getComputedStyle(e).fontSize)))`))
	require.NoError(t, err)
	require.GreaterOrEqual(t, smallest, 12.0, "chart labels readable on a phone")
	visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#roi-chart meter").getBoundingClientRect().width > 100`))
	require.NoError(t, err)
	require.True(t, visible, "the bars show on a phone")
	screenshot(t, ctx, "roi-mobile.png")
}
