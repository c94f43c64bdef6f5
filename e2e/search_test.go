package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitFor polls a JavaScript condition until it holds (10 s at most).
func waitFor(t *testing.T, ctx context.Context, cond, what string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		require.NoError(t, err)
		if ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s (%s)", what, cond)
}

// partnerRates are the acceptance rates of the partners table, in the
// order shown (-1: no answered offer).
func partnerRates(t *testing.T, ctx context.Context) []float64 {
	t.Helper()
	rates, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll("#partners-table td[data-answered]")].map(td => {
		const a = +td.dataset.accepted, n = +td.dataset.answered;
		return n > 0 ? a / n : -1;
	})`))
	require.NoError(t, err)
	return rates
}

// TestPartnersSortByAcceptanceRateJourney: the admin sorts the partners by
// acceptance rate, ascending then descending, by the column header (htmx,
// the sort kept in the URL); partners without an answered offer come last.
func TestPartnersSortByAcceptanceRateJourney(t *testing.T) {
	s := startSite(t)
	ctx := tab(t, browser(t))
	login(t, ctx, s, "admin@demo.test")
	do(t, ctx,
		chromedp.Navigate(s.url+"/partners"),
		chromedp.WaitVisible(chromedp.CSS(`#partners-table th a[data-sort="rate"]`)),
		chromedp.Click(chromedp.CSS(`#partners-table th a[data-sort="rate"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#partners-table th[aria-sort="ascending"] a[data-sort="rate"]`)),
	)
	assert.Contains(t, location(t, ctx), "sort=rate", "the sort is in the URL")
	asc := partnerRates(t, ctx)
	require.Greater(t, len(asc), 5)
	answered := 0
	for i, r := range asc {
		if r >= 0 {
			answered++
		}
		if i > 0 && r >= 0 {
			assert.GreaterOrEqual(t, r, asc[i-1], "ascending at row %d: %v", i, asc)
		}
		if i > 0 && asc[i-1] < 0 {
			assert.Negative(t, r, "partners without an answer come last: %v", asc)
		}
	}
	require.Greater(t, answered, 1, "the demo has partners with answered offers")

	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#partners-table th a[data-sort="rate"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#partners-table th[aria-sort="descending"] a[data-sort="rate"]`)),
	)
	assert.Contains(t, location(t, ctx), "sort=-rate")
	desc := partnerRates(t, ctx)
	for i := 1; i < len(desc); i++ {
		if desc[i] >= 0 {
			assert.LessOrEqual(t, desc[i], desc[i-1], "descending at row %d: %v", i, desc)
		}
	}
	assert.ElementsMatch(t, asc, desc, "the same partners")
}

// leadIDsShown are the lead ids of the leads table.
func leadIDsShown(t *testing.T, ctx context.Context) []string {
	t.Helper()
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#main table a[href^="/leads/"]')].map(a => a.getAttribute("href"))`))
	require.NoError(t, err)
	return ids
}

// TestLeadsPageThreeAndBackJourney: the admin opens page 3 of the leads
// list from the numbered pager (htmx, the page in the URL), then the back
// button brings page 1 back, and forward page 3 again.
func TestLeadsPageThreeAndBackJourney(t *testing.T) {
	s := startSite(t)
	ctx := tab(t, browser(t))
	login(t, ctx, s, "admin@demo.test")
	do(t, ctx,
		chromedp.Navigate(s.url+"/leads"),
		chromedp.WaitVisible(chromedp.CSS(`a[data-page="3"]`)),
	)
	page1 := leadIDsShown(t, ctx)
	require.Len(t, page1, 50)
	do(t, ctx, chromedp.Click(chromedp.CSS(`a[data-page="3"]`)))
	waitFor(t, ctx, `document.querySelector('nav.pager [aria-current="page"]')?.textContent.trim() === "3"`, "page 3")
	assert.True(t, strings.HasSuffix(location(t, ctx), "/leads?page=3"), location(t, ctx))
	page3 := leadIDsShown(t, ctx)
	require.NotEmpty(t, page3)
	assert.NotContains(t, page1, page3[0], "page 3 shows other leads")

	do(t, ctx, chromedp.NavigateBack())
	waitFor(t, ctx, `location.search === "" && document.querySelector('nav.pager [aria-current="page"]')?.textContent.trim() === "1"`, "page 1 after back")
	assert.Equal(t, page1, leadIDsShown(t, ctx), "back shows page 1 again")

	do(t, ctx, chromedp.NavigateForward())
	waitFor(t, ctx, `location.search === "?page=3" && document.querySelector('nav.pager [aria-current="page"]')?.textContent.trim() === "3"`, "page 3 after forward")
	assert.Equal(t, page3, leadIDsShown(t, ctx), "forward shows page 3 again")
}
