package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLeadsSearchByCompanyJourney: in the leads list's search box, the
// admin finds a lead by its company, its own partner's and another's; a
// partner manager finds its own company's lead, and another partner's
// company gives no result (no row, no id, no name of it in the page) —
// at desktop and phone width, in French and in English.
func TestLeadsSearchByCompanyJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	own := s.partnerOf(t, "installer001@demo.test")
	type lead struct {
		ID      string `db:"id"`
		Company string `db:"company"`
	}
	// a company name held by one lead only, so that the search names it alone
	pick := func(cond string) lead {
		var l lead
		require.NoError(t, s.app.DB().NewQuery(`SELECT id, company FROM leads WHERE `+cond+` AND company != ''
			AND (SELECT COUNT(*) FROM leads x WHERE x.company = leads.company) = 1 ORDER BY created LIMIT 1`).
			Bind(dbx.Params{"p": own}).One(&l))
		return l
	}
	mine := pick("partner = {:p}")
	foreign := pick("partner != {:p} AND partner != ''")
	require.NotEqual(t, mine.ID, foreign.ID)
	for _, c := range []struct {
		email, lang string
		width       int64
	}{{"admin@demo.test", "fr", 1366}, {"installer001@demo.test", "fr", 1366}, {"installer001@demo.test", "en", 390}} {
		ctx := tab(t, b)
		do(t, ctx, chromedp.EmulateViewport(c.width, 844))
		login(t, ctx, s, c.email)
		do(t, ctx, chromedp.Navigate(s.url+"/leads"), chromedp.WaitVisible(chromedp.CSS("#leads-search")))
		if c.lang == "en" {
			do(t, ctx, chromedp.Click(chromedp.CSS(`footer button[value="en"]`)), chromedp.WaitVisible(chromedp.CSS(`footer button[value="en"][aria-pressed="true"]`)))
		}
		for _, l := range []lead{mine, foreign} {
			search(t, ctx, "#leads-search", l.Company)
			waitFor(t, ctx, `document.querySelector("#leads-search input[name=q]").value === `+jsString(l.Company), "the searched page")
			shown := leadIDsShown(t, ctx)
			body := html(t, ctx)
			if c.email == "admin@demo.test" || l.ID == mine.ID {
				assert.Equal(t, []string{"/leads/" + l.ID}, shown, "%s (%s) finds %q and only it", c.email, c.lang, l.Company)
			} else {
				assert.Empty(t, shown, "%s finds nothing of another partner's %q", c.email, l.Company)
				assert.NotContains(t, body, l.ID)
				total, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#leads-total").textContent`))
				require.NoError(t, err)
				assert.True(t, strings.HasPrefix(strings.TrimSpace(total), "0"), "a total of none: %q", total)
				// the company is only in the search box, never in a row
				assert.Equal(t, 1, strings.Count(body, l.Company), "the foreign company appears only as the typed words")
			}
			fitsWidth(t, ctx, c.email+" leads search "+c.lang)
		}
		screenshot(t, ctx, "lead7-leads-search-"+strings.Split(c.email, "@")[0]+"-"+c.lang+".png")
	}
}
