package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"
)

// axeTags are the rule sets the accessibility test runs: WCAG 2.0 and 2.1,
// levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeSource is the vendored axe-core (e2e/testdata/refresh-axe.sh), test
// only: the app never serves it.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	require.NoError(t, err, "e2e/testdata/axe.min.js: run e2e/testdata/refresh-axe.sh")
	return string(b)
}

// axeViolation is one rule axe-core found broken on a page, with the
// selectors of (at most five of) the elements that break it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Nodes   int      `json:"nodes"`
	Targets []string `json:"targets"`
}

// runAxe injects axe-core into the current page unless axeTab already
// did (through the DevTools protocol, so the page's
// Content-Security-Policy does not apply), opens
// the page's folded parts and returns the WCAG 2.1 A/AA violations.
func runAxe(ctx context.Context, src string) ([]axeViolation, error) {
	has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!window.axe`))
	if err != nil {
		return nil, err
	}
	if !has {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+"\n;true")); err != nil {
			return nil, fmt.Errorf("injecting axe-core: %w", err)
		}
	}
	// the folded parts of the page too (a decline form, a filter panel)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.querySelectorAll("main details").forEach(d => d.open = true); return true })()`)); err != nil {
		return nil, err
	}
	tags := `["` + strings.Join(axeTags, `","`) + `"]`
	return chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {runOnly: {type: "tag", values: `+tags+`}, resultTypes: ["violations"], reporter: "no-passes"})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.length,
			targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))})))`, chromedp.EvalAwaitPromise))
}

// settle waits for the page's heading and for htmx requests started at
// load (badges, lazy parts) to end.
func settle(ctx context.Context) error {
	_, err := chromedp.Run(ctx, chromedp.WaitVisible(chromedp.CSS("main h1")))
	if err != nil {
		return err
	}
	for i := 0; i < 40; i++ {
		busy, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector(".htmx-request")`))
		if err != nil || !busy {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// discoverLinks lists the same-origin GET pages a page links to, paths
// only: the header's links (menu, help, profile, notifications) when
// header is set, and in the main part the page's own sub-pages (the same
// path followed by one segment: a record, its "new" form, a report tab) and
// record pages of any list (/<list>/<id>), or every link when anyMain is
// set (the signed-out pages).
const discoverLinks = `((header, anyMain) => {
	const here = location.pathname.replace(/\/$/, "");
	const out = new Set();
	const take = (sel, keep) => document.querySelectorAll(sel).forEach(a => {
		const u = new URL(a.href, location.href);
		if (u.origin !== location.origin) return;
		const p = u.pathname.replace(/\/$/, "");
		if (p === "" || /\.[a-z0-9]+$/i.test(p)) return;
		if (keep(p)) out.add(p);
	});
	if (header) take("header a[href]", p => true);
	take("main a[href]", p => anyMain || (here !== "" && p.startsWith(here + "/") && p.split("/").length === here.split("/").length + 1) ||
		/^\/[a-z-]+\/[a-z0-9]{15}$/.test(p));
	return [...out];
})`

// pattern names a page path with its record ids replaced, so that one
// record page of each kind is checked.
func pattern(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if len(s) == 15 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789") == "" {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}

// axeTab is a tab in its own browser context (own cookies) for a whole
// role's crawl (the harness's tab gives 90 s to a journey, a role with
// forty pages needs more on a busy machine), where every page gets
// axe-core as it loads: Chromium compiles it once instead of at each page.
func axeTab(t *testing.T, browserCtx context.Context, src string) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 8*time.Minute)
	t.Cleanup(cancelT)
	do(t, ctx, chromedp.EmulateViewport(1100, 800))
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
	require.NoError(t, err)
	return ctx
}

// a11yPage is one page checked for one role.
type a11yPage struct{ role, path string }

// crawl visits the role's pages breadth-first from the current page: the
// header's links of the landing page (signed in, header set) or every link
// of the page (signed out), then what each of them links to (one page per
// pattern), two levels deep, and calls check on each.
func crawl(t *testing.T, ctx context.Context, base, role string, header bool, check func(a11yPage)) int {
	t.Helper()
	landing := strings.TrimPrefix(location(t, ctx), base)
	if i := strings.IndexAny(landing, "?#"); i >= 0 {
		landing = landing[:i]
	}
	seen := map[string]bool{pattern(landing): true}
	queue := []string{landing}
	n := 0
	for depth := 0; depth < 3 && len(queue) > 0; depth++ {
		var next []string
		for _, p := range queue {
			if p != landing || depth > 0 {
				do(t, ctx, chromedp.Navigate(base+p))
			}
			require.NoError(t, settle(ctx), "%s: %s shows its heading", role, p)
			check(a11yPage{role: role, path: p})
			n++
			if depth == 2 {
				continue
			}
			links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf("%s(%v, %v)", discoverLinks, header && depth == 0, !header)))
			require.NoError(t, err)
			sort.Strings(links)
			for _, l := range links {
				if k := pattern(l); !seen[k] {
					seen[k] = true
					next = append(next, l)
				}
			}
		}
		queue = next
	}
	return n
}

// TestA11yAxeEveryPageJourney runs axe-core (WCAG 2.1 A and AA rules) on
// every page of every demo role: the pages of its menu and header, and one
// record page and form of each list they link to, plus the signed-out
// pages; it fails listing each violation with its rule, page, role and
// the elements' selectors. The roles run two at a time, each in its own tab
// of one Chromium.
func TestA11yAxeEveryPageJourney(t *testing.T) {
	start := time.Now()
	s := startSite(t)
	b := browser(t)
	src := axeSource(t)
	var mu sync.Mutex
	pages := map[string]int{}

	t.Run("roles", func(t *testing.T) {
		// the longest crawls first (the admin's), the signed-out pages last
		var roles []string
		for i := len(demoRoles) - 1; i >= 0; i-- {
			roles = append(roles, demoRoles[i])
		}
		for _, who := range append(roles, "guest") {
			t.Run(who, func(t *testing.T) {
				t.Parallel()
				ctx := axeTab(t, b, src)
				if who == "guest" { // signed out: the login page and what it links to
					do(t, ctx, chromedp.Navigate(s.url+"/login"))
				} else {
					login(t, ctx, s, who)
				}
				var found []string
				n := crawl(t, ctx, s.url, who, who != "guest", func(p a11yPage) {
					vs, err := runAxe(ctx, src)
					require.NoError(t, err, "%s %s", p.role, p.path)
					for _, v := range vs {
						found = append(found, fmt.Sprintf("%s [%s] on %s as %s (%d elements: %s) — %s",
							v.ID, v.Impact, p.path, p.role, v.Nodes, strings.Join(v.Targets, " | "), v.Help))
					}
				})
				mu.Lock()
				pages[who] = n
				mu.Unlock()
				t.Logf("%s: %d pages", who, n)
				require.Empty(t, found, "axe-core violations:\n%s", strings.Join(found, "\n"))
			})
		}
	})
	total := 0
	for _, n := range pages {
		total += n
	}
	t.Logf("axe-core %s: %d pages over %d roles (guest included), %s", axeTags, total, len(pages), time.Since(start).Round(time.Second))
	require.Len(t, pages, len(demoRoles)+1, "every role is checked")
	require.Greater(t, total, 60, "every role's pages are visited")
}

// press sends one key (Tab, Enter, Space, an arrow…) to the focused
// element, with modifiers.
func press(t *testing.T, ctx context.Context, key string, mods ...chromedp.Modifier) {
	t.Helper()
	do(t, ctx, chromedp.KeyEvent(key, chromedp.KeyModifiers(mods...)))
}

// focused tells whether the focused element matches sel.
func focused(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, sel)))
	require.NoError(t, err)
	return ok
}

// describeFocus names the focused element for a failure message.
const describeFocus = `(() => { const e = document.activeElement; if (!e) return "nothing";
	return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.name ? "[name=" + e.name + "]" : "") + " " + (e.textContent || "").trim().slice(0, 40); })()`

// tabTo presses Tab (Shift-Tab when back) until the focused element matches
// sel, at most max times, then checks that its focus is visible.
func tabTo(t *testing.T, ctx context.Context, sel string, back bool, max int) {
	t.Helper()
	var mods []chromedp.Modifier
	if back {
		mods = append(mods, chromedp.ModifierShift)
	}
	for i := 0; i < max; i++ {
		press(t, ctx, kb.Tab, mods...)
		if focused(t, ctx, sel) {
			focusVisible(t, ctx, sel)
			return
		}
	}
	last, err := chromedp.Run(ctx, chromedp.Evaluate[string](describeFocus))
	require.NoError(t, err)
	t.Fatalf("%d Tab presses never reached %s (focus on %s)", max, sel, last)
}

// focusVisible fails unless the focused element shows its keyboard focus:
// it matches :focus-visible and draws an outline (or a box shadow).
func focusVisible(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const e = document.activeElement, s = getComputedStyle(e);
		return e.matches(":focus-visible") && ((s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none"); })()`))
	require.NoError(t, err)
	require.True(t, ok, "the keyboard focus on %s is visible", what)
}

// skipToContent checks the page's first Tab stop: the skip link, visible
// once focused; Enter moves the focus to the main content.
func skipToContent(t *testing.T, ctx context.Context) {
	t.Helper()
	press(t, ctx, kb.Tab)
	require.True(t, focused(t, ctx, "a#skip-link"), "the first Tab stop is the skip link")
	focusVisible(t, ctx, "the skip link")
	inView, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const r = document.activeElement.getBoundingClientRect(); return r.top >= 0 && r.height > 0; })()`))
	require.NoError(t, err)
	require.True(t, inView, "the focused skip link shows on screen")
	press(t, ctx, kb.Enter)
	require.True(t, focused(t, ctx, "main#main"), "Enter on the skip link moves the focus to the main content")
}

// TestA11yKeyboardAndPhoneJourneys: a partner salesperson accepts one
// offer and declines another, and a teleoperator qualifies a pool lead,
// with key presses only (Tab, Shift-Tab, Enter, Space, arrows and typing,
// no click), each focused control showing its focus; every page starts
// with a skip link to the content. A partner's inbox fits a phone.
func TestA11yKeyboardAndPhoneJourneys(t *testing.T) {
	s := startSite(t)
	b := browser(t)

	t.Run("partner_accepts_and_declines_offers", func(t *testing.T) {
		ctx := tab(t, b)
		login(t, ctx, s, "installer001.sales@demo.test")
		do(t, ctx, chromedp.Navigate(s.url+"/inbox"), chromedp.WaitVisible(chromedp.CSS(".offer.state-open")))
		ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".offer.state-open")].map(o => o.dataset.leadId)`))
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(ids), 2, "the demo partner has two open offers")
		accept, decline := "#offer-"+ids[0], "#offer-"+ids[1]
		skipToContent(t, ctx)

		// accept: Tab to the first offer's button, Enter
		tabTo(t, ctx, accept+` button[data-action="accept"]`, false, 40)
		press(t, ctx, kb.Enter)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(accept+".state-accepted")))
		lead, err := s.app.FindRecordById("leads", ids[0])
		require.NoError(t, err)
		require.Equal(t, "accepted", lead.GetString("status"))

		// decline: open the second offer's "decline" with Space, pick a
		// reason with the arrows, type details, check the way back with
		// Shift-Tab, and submit with Space
		tabTo(t, ctx, decline+" details.decline summary", false, 40)
		press(t, ctx, " ")
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(decline+` select[name="reason"]`)))
		tabTo(t, ctx, decline+` select[name="reason"]`, false, 3)
		press(t, ctx, kb.ArrowDown)
		reason, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.value`))
		require.NoError(t, err)
		require.NotEmpty(t, reason, "the arrow key picks a reason")
		tabTo(t, ctx, decline+` textarea[name="details"]`, false, 3)
		do(t, ctx, chromedp.KeyEvent("Hors zone (clavier)"))
		tabTo(t, ctx, decline+` button[data-action="decline"]`, false, 3)
		tabTo(t, ctx, decline+` textarea[name="details"]`, true, 3)
		tabTo(t, ctx, decline+` button[data-action="decline"]`, false, 3)
		press(t, ctx, " ")
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(decline+".state-declined")))
		declined, err := s.app.FindFirstRecordByFilter("lead_offers", "lead = {:l} && outcome = 'declined'", map[string]any{"l": ids[1]})
		require.NoError(t, err, "the offer is declined")
		require.NotEmpty(t, declined.GetString("reason_code"), "with the reason picked by the arrow key")
		require.Contains(t, declined.GetString("reason_note"), "Hors zone (clavier)", "and the typed details")
	})

	t.Run("teleoperator_qualifies_a_lead", func(t *testing.T) {
		ctx := tab(t, b)
		login(t, ctx, s, "teleop@demo.test")
		do(t, ctx, chromedp.Navigate(s.url+"/pool?status=new"), chromedp.WaitVisible(chromedp.CSS("#pool-table tbody tr")))
		id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#pool-table tbody tr").dataset.leadId`))
		require.NoError(t, err)
		skipToContent(t, ctx)
		tabTo(t, ctx, `#pool-table tbody tr[data-lead-id="`+id+`"] a`, false, 40)
		press(t, ctx, kb.Enter)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#qualify form")))
		require.Contains(t, location(t, ctx), "/leads/"+id)

		// the link's #qualify fragment starts the Tab order at the form
		tabTo(t, ctx, `#qualify input[name="score"]`, false, 5)
		do(t, ctx, chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent("72"))
		tabTo(t, ctx, `#qualify select[name="segment"]`, false, 2)
		press(t, ctx, kb.ArrowDown)
		tabTo(t, ctx, `#qualify select[name="company_size"]`, false, 2)
		press(t, ctx, kb.ArrowDown)
		tabTo(t, ctx, `#qualify input[name="estimated_value"]`, false, 2)
		do(t, ctx, chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent("45000"))
		tabTo(t, ctx, `#qualify textarea[name="interest"]`, false, 2)
		do(t, ctx, chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent("Toiture 36 kWc"))
		tabTo(t, ctx, `#qualify select[name="status"]`, false, 2)
		for i := 0; i < 6; i++ {
			v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.value`))
			require.NoError(t, err)
			if v == "qualifying" {
				break
			}
			press(t, ctx, kb.ArrowDown)
		}
		tabTo(t, ctx, `#qualify textarea[name="report"]`, false, 2)
		do(t, ctx, chromedp.KeyEvent("Appel au clavier : projet confirmé"))
		tabTo(t, ctx, `#qualify button[type="submit"]`, false, 2)
		press(t, ctx, kb.Enter)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("main h1")))
		require.Eventually(t, func() bool {
			lead, err := s.app.FindRecordById("leads", id)
			return err == nil && lead.GetString("status") == "qualifying" && lead.GetInt("score") == 72
		}, 20*time.Second, 200*time.Millisecond, "the lead is qualified with the typed score")
		lead, err := s.app.FindRecordById("leads", id)
		require.NoError(t, err)
		require.NotEmpty(t, lead.GetString("segment"), "the arrow key picked a segment")
		require.Equal(t, "Toiture 36 kWc", lead.GetString("interest"))
	})

	// the inbox of a partner salesperson at 390×844 does not scroll
	// sideways; the screenshot goes to artifacts/ and, with
	// RELAIS_UPDATE_DOCS=1, to docs/partner-inbox-phone.png
	t.Run("partner_inbox_on_a_phone", func(t *testing.T) {
		ctx := tab(t, b)
		do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		login(t, ctx, s, "installer002.sales@demo.test")
		do(t, ctx, chromedp.Navigate(s.url+"/inbox"), chromedp.WaitVisible(chromedp.CSS(".offer.state-open")))
		fitsWidth(t, ctx, "the partner's inbox at 390 px")
		png := screenshot(t, ctx, "partner-inbox-390.png")
		if os.Getenv("RELAIS_UPDATE_DOCS") == "1" {
			require.Less(t, len(png), 150<<10, "the docs screenshot stays small")
			require.NoError(t, os.WriteFile(filepath.Join("..", "docs", "partner-inbox-phone.png"), png, 0o644))
		}
	})
}
