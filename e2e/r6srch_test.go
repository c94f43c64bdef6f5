package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPipelineSearchJourney: on a phone (390 px), in French and in
// English, the admin and a partner manager type a customer in the
// pipeline's search box: the board is filtered by htmx (the words in the
// URL, the back button returns to the whole board); the partner never
// finds another partner's opportunity; the page never scrolls sideways.
func TestPipelineSearchJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	own := s.partnerOf(t, "installer001@demo.test")
	type opp struct {
		ID      string `db:"id"`
		Company string `db:"company"`
	}
	var mine, foreign opp
	pipeline := "registration_status NOT IN ('pending', 'rejected') AND company != ''"
	require.NoError(t, s.app.DB().NewQuery("SELECT id, company FROM opportunities WHERE "+pipeline+" AND partner = {:p} ORDER BY created LIMIT 1").
		Bind(dbx.Params{"p": own}).One(&mine))
	require.NoError(t, s.app.DB().NewQuery("SELECT id, company FROM opportunities WHERE "+pipeline+" AND partner != {:p} AND partner != '' ORDER BY created LIMIT 1").
		Bind(dbx.Params{"p": own}).One(&foreign))
	for _, email := range []string{"admin@demo.test", "installer001@demo.test"} {
		for _, lang := range []string{"fr", "en"} {
			ctx := tab(t, b)
			do(t, ctx, chromedp.EmulateViewport(390, 844))
			login(t, ctx, s, email)
			do(t, ctx, chromedp.Navigate(s.url+"/opportunities"), chromedp.WaitVisible(chromedp.CSS("#opps-search input[name=q]")))
			if lang == "en" {
				do(t, ctx, chromedp.Click(chromedp.CSS(`footer button[value="en"]`)), chromedp.WaitVisible(chromedp.CSS(`footer button[value="en"][aria-pressed="true"]`)))
			}
			fitsWidth(t, ctx, email+" pipeline "+lang)
			for _, o := range []opp{mine, foreign} {
				do(t, ctx,
					chromedp.SetValue(chromedp.CSS("#opps-search input[name=q]"), o.Company),
					chromedp.Submit(chromedp.CSS("#opps-search input[name=q]")),
				)
				waitFor(t, ctx, `location.search.includes("q=")`, "the search in the URL")
				waitFor(t, ctx, `document.querySelector("#opps-search-clear") !== null`, "the searched board")
				body := html(t, ctx)
				visible := email == "admin@demo.test" || o.ID == mine.ID
				if visible {
					assert.Contains(t, body, `data-opp-id="`+o.ID+`"`, "%s (%s) finds %q", email, lang, o.Company)
				} else {
					assert.NotContains(t, body, o.ID, "%s never finds another partner's %q", email, o.Company)
				}
				fitsWidth(t, ctx, email+" searched pipeline "+lang)
			}
			screenshot(t, ctx, "r6srch-pipeline-"+strings.Split(email, "@")[0]+"-"+lang+".png")
			do(t, ctx, chromedp.NavigateBack())
			waitFor(t, ctx, `location.search.includes("q=")`, "back to the previous search")
		}
	}
}
