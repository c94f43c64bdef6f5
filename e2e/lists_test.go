package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
)

// phoneListPages are, per demo role, the pages with tables that must
// become cards on a phone (no sideways scroll at 390 px).
var phoneListPages = map[string][]string{
	"admin@demo.test": {"/audit", "/board", "/dashboard", "/reports", "/reports/map", "/access-review", "/conflicts", "/grants",
		"/integrations", "/integrations/deliveries", "/approvals", "/registrations", "/opportunities", "/users", "/pool", "/documents"},
	"manager.ouest@demo.test":      {"/board", "/dashboard", "/reports", "/users", "/opportunities"},
	"teleop@demo.test":             {"/pool"},
	"installer001@demo.test":       {"/figures", "/team", "/certificates", "/documents", "/reports"},
	"installer001.sales@demo.test": {"/figures", "/documents"},
}

// TestListsFitAPhoneJourney: at 390×844, every list page of each role
// (audit, board, dashboard, figures and reports, access review, …)
// never scrolls sideways, and its list rows are cards with labelled cells.
func TestListsFitAPhoneJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	for email, paths := range phoneListPages {
		ctx := onPhone(t, b, s, email)
		for _, p := range paths {
			openFitting(t, ctx, s, email, p)
			unlabelled, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("table.list tbody td")].filter(td =>
				td.offsetWidth > 0 && !td.dataset.label && !td.classList.contains("actions")).length`))
			require.NoError(t, err)
			assert.Zero(t, unlabelled, "%s %s: card cells without their label", email, p)
		}
		screenshot(t, ctx, "phone-audit-"+email+".png")
	}
}

// onPhone opens a tab at 390×844 signed in as email.
func onPhone(t *testing.T, b context.Context, s *site, email string) context.Context {
	t.Helper()
	ctx := tab(t, b)
	do(t, ctx, chromedp.EmulateViewport(390, 844))
	login(t, ctx, s, email)
	return ctx
}

// openFitting opens path and fails if the page scrolls sideways.
func openFitting(t *testing.T, ctx context.Context, s *site, email, path string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(s.url+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
	fitsWidth(t, ctx, email+" "+path)
}

// rowsShown counts the rows of a table.
func rowsShown(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+" tbody tr`"+`).length`))
	require.NoError(t, err)
	return n
}

// search types q into a list's search box and submits it (htmx), then
// waits for the URL to hold the search.
func search(t *testing.T, ctx context.Context, form, q string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.querySelector("`+form+` input[name=q]").value = ""; return true; })()`))
	require.NoError(t, err)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(form+` input[name="q"]`), q),
		chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)),
	)
	waitFor(t, ctx, `new URLSearchParams(location.search).get("q") === `+jsString(q), "the search in the URL")
}

// jsString quotes s as a JavaScript string.
func jsString(s string) string {
	return `decodeURIComponent("` + url.PathEscape(s) + `")`
}

// TestListsSearchJourney: the admin searches the audit log and the
// documents; the audit log's page 2 and the back button; a partner
// manager searches its team and finds only its own company.
func TestListsSearchJourney(t *testing.T) {
	s := startSite(t)
	// more than a page of audit entries (the small demo logs a few)
	for i := 0; i < 60; i++ {
		require.NoError(t, audit.Append(s.app, audit.SystemActor("lists-e2e"), "settings.lists_e2e", "settings_prm", "", map[string]any{"n": i}))
	}
	b := browser(t)

	admin := tab(t, b)
	login(t, admin, s, "admin@demo.test")
	// the audit log: a search by kind of action and by word
	do(t, admin, chromedp.Navigate(s.url+"/audit"), chromedp.WaitVisible(chromedp.CSS("#audit-search")))
	all := rowsShown(t, admin, "#audit-table")
	require.Equal(t, 50, all, "the audit log's first page is full")
	search(t, admin, "#audit-search", "auth.login")
	actions, err := chromedp.Run(admin, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#audit-table td code")].map(c => c.textContent).filter(a => !a.startsWith("{"))`))
	require.NoError(t, err)
	require.NotEmpty(t, actions)
	for _, a := range actions {
		assert.True(t, strings.HasPrefix(a, "auth.login"), "only the logins: %s", a)
	}

	// page 2 of the whole log, then back: page 1
	do(t, admin, chromedp.Navigate(s.url+"/audit"), chromedp.WaitVisible(chromedp.CSS(`#main a[data-page="2"]`)))
	first, err := chromedp.Run(admin, chromedp.Evaluate[string](`document.querySelector("#audit-table tbody tr").dataset.seq`))
	require.NoError(t, err)
	do(t, admin, chromedp.Click(chromedp.CSS(`#main a[data-page="2"]`)))
	waitFor(t, admin, `location.search === "?page=2" && document.querySelector('nav.pager [aria-current="page"]')?.textContent.trim() === "2"`, "page 2")
	second, err := chromedp.Run(admin, chromedp.Evaluate[string](`document.querySelector("#audit-table tbody tr").dataset.seq`))
	require.NoError(t, err)
	assert.NotEqual(t, first, second, "page 2 shows older entries")
	do(t, admin, chromedp.NavigateBack())
	waitFor(t, admin, `location.search === "" && document.querySelector("#audit-table tbody tr")?.dataset.seq === "`+first+`"`, "page 1 after back")

	// the documents: a search by category name
	do(t, admin, chromedp.Navigate(s.url+"/documents"), chromedp.WaitVisible(chromedp.CSS("#documents-search")))
	search(t, admin, "#documents-search", "tarifs")
	cats, err := chromedp.Run(admin, chromedp.Evaluate[[]string](`[...document.querySelectorAll("section.doc-group")].map(s => s.dataset.category)`))
	require.NoError(t, err)
	require.NotEmpty(t, cats, "the demo has price lists")
	for _, c := range cats {
		assert.Equal(t, "price_list", c)
	}

	// a partner manager's team: only its company, whatever the search
	pm := tab(t, b)
	login(t, pm, s, "installer001@demo.test")
	do(t, pm, chromedp.Navigate(s.url+"/team"), chromedp.WaitVisible(chromedp.CSS("#team-search")))
	search(t, pm, "#team-search", "demo.test")
	emails, err := chromedp.Run(pm, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#team-table tr[data-email]")].map(r => r.dataset.email)`))
	require.NoError(t, err)
	require.NotEmpty(t, emails)
	for _, e := range emails {
		assert.True(t, strings.HasPrefix(e, "installer001"), "only its company: %s", e)
	}
	search(t, pm, "#team-search", "installer002")
	n := rowsShown(t, pm, "#team-table")
	assert.Zero(t, n, "another company's accounts are never found")
	body := html(t, pm)
	assert.NotContains(t, body, "installer002.sales@demo.test")
}
