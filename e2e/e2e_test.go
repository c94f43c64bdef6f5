// Package e2e drives the Relais web UI in a real headless Chromium
// (Debian's `chromium`) through chromedp, against a real HTTP server on
// 127.0.0.1 running the real router over a small seeded demo: the partner
// and manager journeys. Screenshots go to artifacts/ (not
// committed); RELAIS_UPDATE_DOCS=1 also refreshes docs/partner-inbox.png
// and docs/report-map.png.
//
// The tests do not skip when Chromium is missing: they fail and say how to
// install it (.ci/run does).
package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/demo"
	"github.com/relais/relais/internal/testapp"
	"github.com/relais/relais/ui"
)

// chromium finds Debian's chromium (RELAIS_CHROMIUM overrides).
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("RELAIS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("the browser tests need Chromium: install Debian's package with `apt-get update && apt-get install -y chromium` " +
		"(.ci/run does it), or point RELAIS_CHROMIUM at a Chromium binary")
	return ""
}

// site is the app under test served on 127.0.0.1.
type site struct {
	app *tests.TestApp
	url string
}

func startSite(t *testing.T) *site {
	t.Helper()
	app := testapp.New(t, "")
	_, err := demo.Seed(app, demo.Options{Now: time.Now().UTC().Truncate(time.Minute), Leads: 300, Installers: 20})
	require.NoError(t, err)
	ui.Register(app)
	r, err := apis.NewRouter(app)
	require.NoError(t, err)
	var mux http.Handler
	require.NoError(t, app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(se *core.ServeEvent) error {
		m, err := se.Router.BuildMux()
		mux = m
		return err
	}))
	// the serve event starts PocketBase's cron (offer expiry, distribution
	// of pending ready leads every minute): stop it so that the data
	// does not change under the test at a minute boundary
	app.Cron().Stop()
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return &site{app: app, url: ts.URL}
}

// browser starts one headless Chromium for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("accept-lang", "fr-FR,fr"), // the demo users' language
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(cancelCtx)
	require.NoError(t, chromedp.Do(ctx), "starting Chromium")
	return ctx
}

// tab opens a tab in its own browser context (own cookies), with a
// timeout, and accepts confirm() dialogs (hx-confirm).
func tab(t *testing.T, browserCtx context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1100, 800)))
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			if _, err := chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true}); err != nil {
				return
			}
		}
	}()
	return ctx
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, steps...))
}

func html(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	require.NoError(t, err)
	return s
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	return s
}

func login(t *testing.T, ctx context.Context, s *site, email string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(s.url+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#login-submit")),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), demo.Password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("nav.menu")),
	)
}

// screenshot saves a PNG of the viewport under artifacts/.
func screenshot(t *testing.T, ctx context.Context, name string) []byte {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	dir := filepath.Join("..", "artifacts")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), buf, 0o644))
	return buf
}

func (s *site) partnerOf(t *testing.T, email string) string {
	t.Helper()
	u, err := s.app.FindAuthRecordByEmail("users", email)
	require.NoError(t, err)
	return u.GetString("partner")
}

func (s *site) lead(t *testing.T, where dbx.Expression) *core.Record {
	t.Helper()
	var out []*core.Record
	require.NoError(t, s.app.RecordQuery("leads").AndWhere(where).OrderBy("created DESC").Limit(1).All(&out))
	require.NotEmpty(t, out, "no lead for %v", where)
	return out[0]
}

// screenshotOf saves a PNG of one element under artifacts/.
func screenshotOf(t *testing.T, ctx context.Context, sel, name string) []byte {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	require.NoError(t, err)
	dir := filepath.Join("..", "artifacts")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), buf, 0o644))
	return buf
}

// TestJourneys runs the acceptance journeys (a)–(e) of the partner and
// manager UI and the report journey (f) against one server and one
// Chromium.
func TestJourneys(t *testing.T) {
	s := startSite(t)
	b := browser(t)

	t.Run("a_partner_accepts_an_offer_and_logs_a_meeting", func(t *testing.T) {
		ctx := tab(t, b)
		login(t, ctx, s, "installer001.sales@demo.test")
		do(t, ctx, chromedp.Navigate(s.url+"/inbox"), chromedp.WaitVisible(chromedp.CSS(".offer.state-open")))
		id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".offer.state-open").dataset.leadId`))
		require.NoError(t, err)
		contact, err := s.app.FindFirstRecordByData("lead_contacts", "lead", id)
		require.NoError(t, err)
		email, phone := contact.GetString("email"), contact.GetString("phone")
		inbox := html(t, ctx)
		require.NotContains(t, inbox, email, "no contact e-mail before acceptance")
		require.NotContains(t, inbox, phone, "no contact phone before acceptance")
		// private customers' names neither (SPEC §3.3.3): the inbox shows a label
		u, err := s.app.FindAuthRecordByEmail("users", "installer001.sales@demo.test")
		require.NoError(t, err)
		var private []string
		require.NoError(t, s.app.DB().NewQuery(`SELECT c.last_name FROM leads l JOIN lead_contacts c ON c.lead = l.id
			WHERE l.assignee = {:u} AND l.status = 'offered' AND l.private = 1`).Bind(dbx.Params{"u": u.Id}).Column(&private))
		require.NotEmpty(t, private, "the demo inbox holds private customers' offers")
		for _, last := range private {
			require.NotContains(t, inbox, last, "no private customer's name before acceptance")
		}
		require.Contains(t, inbox, "Particulier — ", "the inbox names them by a neutral label")
		png := screenshot(t, ctx, "partner-inbox.png")
		if os.Getenv("RELAIS_UPDATE_DOCS") == "1" {
			require.Less(t, len(png), 150<<10, "the README screenshot stays small")
			require.NoError(t, os.WriteFile(filepath.Join("..", "docs", "partner-inbox.png"), png, 0o644))
		}

		do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		screenshot(t, ctx, "partner-inbox-mobile.png")
		do(t, ctx, chromedp.EmulateViewport(1100, 800))

		card := fmt.Sprintf("#offer-%s", id)
		do(t, ctx,
			chromedp.Click(chromedp.CSS(card+` button[data-action="accept"]`)),
			chromedp.WaitVisible(chromedp.CSS(card+".state-accepted")),
		)
		accepted, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(card)))
		require.NoError(t, err)
		require.Contains(t, accepted, email, "the contact shows once accepted")
		lead, err := s.app.FindRecordById("leads", id)
		require.NoError(t, err)
		if lead.GetBool("private") {
			require.Contains(t, accepted, contact.GetString("last_name"), "a private customer's name shows once accepted")
		}
		require.True(t, strings.HasSuffix(location(t, ctx), "/inbox"), "accepted in place, no reload")

		do(t, ctx,
			chromedp.Click(chromedp.CSS(card+" a.button")),
			chromedp.WaitVisible(chromedp.CSS("#activity-form")),
			chromedp.SetValue(chromedp.CSS(`#activity-form select[name="kind"]`), "meeting"),
			chromedp.SetValue(chromedp.CSS(`#activity-form input[name="at"]`), time.Now().AddDate(0, 0, 3).Format("2006-01-02")+"T10:30"),
			chromedp.SendKeys(chromedp.CSS(`#activity-form textarea[name="summary"]`), "Visite technique toiture (e2e)"),
			chromedp.Click(chromedp.CSS(`#activity-form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("#activities .timeline li.act-meeting")),
		)
		acts, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#activities")))
		require.NoError(t, err)
		require.Contains(t, acts, "Visite technique toiture (e2e)")
		require.Contains(t, html(t, ctx), email, "the lead page shows the contact")

		do(t, ctx, chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#login-submit")))
		require.Contains(t, location(t, ctx), "/login")
	})

	t.Run("b_partner_cannot_open_another_partners_lead", func(t *testing.T) {
		ctx := tab(t, b)
		login(t, ctx, s, "installer001.sales@demo.test")
		foreign := s.lead(t, dbx.HashExp{"partner": s.partnerOf(t, "installer002.sales@demo.test")})
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(s.url+"/leads/"+foreign.Id))
		require.NoError(t, err)
		require.Equal(t, int64(http.StatusNotFound), resp.Status)
		page := html(t, ctx)
		require.Contains(t, page, "404")
		ct, err := s.app.FindFirstRecordByData("lead_contacts", "lead", foreign.Id)
		require.NoError(t, err)
		for _, secret := range []string{foreign.GetString("company"), ct.GetString("last_name"), ct.GetString("email")} {
			if secret != "" { // a private customer's lead has no company
				require.NotContains(t, page, secret)
			}
		}
	})

	t.Run("c_channel_manager_assigns_a_ready_lead", func(t *testing.T) {
		ctx := tab(t, b)
		login(t, ctx, s, "manager.ouest@demo.test")
		boardJourney(t, s, ctx)
	})

	t.Run("d_deactivated_user_is_rejected_on_next_click", func(t *testing.T) {
		victim := tab(t, b)
		login(t, victim, s, "installer003.sales@demo.test")
		do(t, victim, chromedp.Navigate(s.url+"/inbox"), chromedp.WaitVisible(chromedp.CSS("nav.menu")))

		admin := tab(t, b)
		login(t, admin, s, "admin@demo.test")
		row := `tr[data-email="installer003.sales@demo.test"]`
		do(t, admin,
			chromedp.Navigate(s.url+"/users?q=installer003.sales"),
			chromedp.WaitVisible(chromedp.CSS(row+` button[data-action="deactivate"]`)),
			chromedp.Click(chromedp.CSS(row+` button[data-action="deactivate"]`)),
			chromedp.WaitVisible(chromedp.CSS(row+` button[data-action="reactivate"]`)),
		)

		do(t, victim,
			chromedp.Click(chromedp.CSS(`nav.menu a[href="/leads"]`)),
			chromedp.WaitVisible(chromedp.CSS("#login-submit")),
		)
		require.Contains(t, location(t, victim), "/login")
		require.Contains(t, html(t, victim), "Votre session a pris fin")
	})

	t.Run("e_post_without_csrf_or_from_another_origin_is_refused", func(t *testing.T) {
		ctx := tab(t, b)
		login(t, ctx, s, "installer004.sales@demo.test")
		do(t, ctx, chromedp.Navigate(s.url+"/leads"), chromedp.WaitVisible(chromedp.CSS("#logout")))
		token, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#logout").form.elements["_csrf"].value`))
		require.NoError(t, err)

		// the logout form, submitted by the browser without its token
		resp, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[bool](
			`(() => { const f = document.querySelector("#logout").form; f.elements["_csrf"].value = ""; f.submit(); return true })()`)))
		_ = resp
		require.NoError(t, err)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(".error-page")))
		require.Contains(t, html(t, ctx), "Ce formulaire a expiré")

		// a page of another origin posting the same form, even with a valid token
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><form method="post" action="%s/logout"><input name="_csrf" value="%s"></form>`+
				`<script>document.forms[0].submit()</script>`, s.url, token)
		}))
		defer evil.Close()
		do(t, ctx, chromedp.Navigate(evil.URL), chromedp.WaitVisible(chromedp.CSS(".error-page")))
		require.Contains(t, html(t, ctx), "Requête refusée")

		// still signed in: neither request changed anything
		do(t, ctx, chromedp.Navigate(s.url+"/leads"), chromedp.WaitVisible(chromedp.CSS("nav.menu")))
		require.True(t, strings.HasSuffix(location(t, ctx), "/leads"))
	})
	t.Run("f_admin_reads_the_dashboard_scorecard_and_map", func(t *testing.T) {
		ctx := tab(t, b)
		login(t, ctx, s, "admin@demo.test")
		require.True(t, strings.HasSuffix(location(t, ctx), "/dashboard"), "the dashboard is the admin's landing page")
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#dashboard-kpis #kpi-intake strong")))
		kpis, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#dashboard-kpis")))
		require.NoError(t, err)
		require.Contains(t, kpis, "Leads reçus en 7 jours")
		require.Contains(t, kpis, "Départements non couverts")
		screenshot(t, ctx, "report-dashboard.png")

		// the scorecard, sorted by revenue with a click on its header
		do(t, ctx,
			chromedp.Click(chromedp.CSS(`#report-tabs a[href="/reports"]`)),
			chromedp.WaitVisible(chromedp.CSS("#scorecard-table tbody tr")),
			chromedp.Click(chromedp.CSS(`#scorecard-table th a[data-sort="revenue"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#scorecard-table th[aria-sort="descending"] a[data-sort="revenue"]`)),
		)
		require.Contains(t, location(t, ctx), "sort=revenue")
		first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#scorecard-table tbody tr").dataset.partnerId`))
		require.NoError(t, err)
		var best string
		require.NoError(t, s.app.DB().NewQuery(`SELECT partner FROM leads WHERE status = 'won' AND partner != '' AND accepted_at >= {:from}
			GROUP BY partner ORDER BY SUM(won_amount) DESC, partner LIMIT 1`).Bind(dbx.Params{"from": time.Now().AddDate(-1, 0, 0).UTC().Format("2006-01-02 15:04:05.000Z")}).Row(&best))
		require.Equal(t, best, first, "the partner with the most revenue comes first")
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#scorecard-csv")))
		screenshot(t, ctx, "report-scorecard.png")

		// funnel and trend, drawn by the server
		do(t, ctx,
			chromedp.Click(chromedp.CSS(`#report-tabs a[href^="/reports/charts"]`)),
			chromedp.WaitVisible(chromedp.CSS("svg#funnel-chart")),
			chromedp.WaitVisible(chromedp.CSS("svg#trend-chart")),
		)
		screenshot(t, ctx, "report-charts.png")

		// the map, coloured by partner coverage, gaps hatched
		do(t, ctx,
			chromedp.Navigate(s.url+"/reports/map?metric=coverage"),
			chromedp.WaitVisible(chromedp.CSS("svg#france-map")),
		)
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#france-map a[href*='department=']").length`))
		require.NoError(t, err)
		require.Equal(t, 102, n, "every département (and Saint-Pierre-et-Miquelon) is a link")
		screenshotOf(t, ctx, "#map", "report-map.png")
		if os.Getenv("RELAIS_UPDATE_DOCS") == "1" {
			png, err := chromedp.Run(ctx, chromedp.ScreenshotScale(chromedp.CSS("#map"), 0.7))
			require.NoError(t, err)
			require.Less(t, len(png), 150<<10, "the README screenshot stays small")
			require.NoError(t, os.WriteFile(filepath.Join("..", "docs", "report-map.png"), png, 0o644))
		}

		// a click on Ille-et-Vilaine filters the scorecard on it
		do(t, ctx,
			chromedp.Click(chromedp.CSS(`#france-map g[data-dept="35"] path`)),
			chromedp.WaitVisible(chromedp.CSS("#filter-department")),
		)
		require.Contains(t, location(t, ctx), "/reports?department=35")
		chip, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#filter-department")))
		require.NoError(t, err)
		require.Contains(t, chip, "Ille-et-Vilaine")
	})

	t.Run("g_partner_manager_sees_its_own_figures_only", func(t *testing.T) {
		ctx := tab(t, b)
		login(t, ctx, s, "installer001@demo.test")
		do(t, ctx, chromedp.Navigate(s.url+"/reports/map"), chromedp.WaitVisible(chromedp.CSS("svg#france-map")))
		page := html(t, ctx)
		require.NotContains(t, page, `data-metric="coverage"`, "no network coverage for a partner")
		require.NotContains(t, page, "france-map-gap)", "no coverage gaps for a partner")
		other, err := s.app.FindRecordById("partners", s.partnerOf(t, "installer002@demo.test"))
		require.NoError(t, err)
		do(t, ctx, chromedp.Navigate(s.url+"/reports"), chromedp.WaitVisible(chromedp.CSS("#scorecard")))
		require.NotContains(t, html(t, ctx), other.GetString("name"))
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#scorecard-table tbody tr").length`))
		require.NoError(t, err)
		require.LessOrEqual(t, rows, 1, "its own row only")
		screenshot(t, ctx, "report-partner-scorecard.png")
	})
}
