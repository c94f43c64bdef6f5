package e2e

import (
	"context"
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
)

// TestExportRightJourney: a partner salesperson asks for an export right
// from her account page (on a phone), the admin grants it for one day on
// the page of requests to decide (in the grouped menu), the salesperson
// exports once (a CSV download of her own leads), and the right is used
// up: a second export is refused with a clear message, and the page shows
// the right as used.
func TestExportRightJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	const who = "installer001.sales@demo.test"

	// the request, filed on a phone
	user := tab(t, b)
	do(t, user, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	login(t, user, s, who)
	do(t, user,
		chromedp.Navigate(s.url+"/profile"),
		chromedp.Click(chromedp.CSS("#access-requests-link")),
		chromedp.WaitVisible(chromedp.CSS("#request-form")),
		chromedp.SetValue(chromedp.CSS(`#request-form select[name="kind"]`), "export"),
		chromedp.SetValue(chromedp.CSS(`#request-form select[name="resource"]`), "leads"),
		chromedp.SendKeys(chromedp.CSS(`#request-form textarea[name="justification"]`), "Relance de mes clients (e2e)"),
		chromedp.Click(chromedp.CSS("#request-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#my-requests tr[data-status="pending"]`)),
	)
	width, err := chromedp.Run(user, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 391.0, "the access rights page fits a phone")
	screenshot(t, user, "gov-request-mobile.png")
	req, err := s.app.FindFirstRecordByFilter("access_requests", "justification = 'Relance de mes clients (e2e)'")
	require.NoError(t, err)

	// the admin grants it for one day
	admin := tab(t, b)
	do(t, admin, chromedp.EmulateViewport(1366, 768))
	login(t, admin, s, "admin@demo.test")
	row := `#pending-` + req.Id
	do(t, admin,
		chromedp.Click(chromedp.CSS(`#menu-network summary`)),
		chromedp.Click(chromedp.CSS(`#menu-network a[href="/approvals"]`)),
		chromedp.WaitVisible(chromedp.CSS(row)),
	)
	text, err := chromedp.Run(admin, chromedp.Text(chromedp.CSS(row)))
	require.NoError(t, err)
	require.Contains(t, text, who, "the decider sees who asks")
	require.Contains(t, text, "Relance de mes clients (e2e)")
	screenshot(t, admin, "gov-approvals.png")
	do(t, admin,
		chromedp.SetValue(chromedp.CSS(row+` input[name="days"]`), "1"),
		chromedp.Click(chromedp.CSS(row+` button[data-action="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	req, err = s.app.FindRecordById("access_requests", req.Id)
	require.NoError(t, err)
	require.Equal(t, "approved", req.GetString("status"))
	grant, err := s.app.FindRecordById("grants", req.GetString("grant"))
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(24*time.Hour), grant.GetDateTime("expires").Time(), 2*time.Minute, "granted for one day")

	// the salesperson exports once: a CSV download
	dir := t.TempDir()
	do(t, user, chromedp.Navigate(s.url+"/access-requests"), chromedp.WaitVisible(chromedp.CSS(`#export-leads button`)))
	status, err := chromedp.Run(user, chromedp.Text(chromedp.CSS(`#my-requests tr[data-request-id="`+req.Id+`"] .request-status`)))
	require.NoError(t, err)
	require.Contains(t, status, "Accordée")
	require.Contains(t, status, "jusqu'au")
	enabled := true
	progress := chromedp.BrowserEvents(user, cdpbrowser.DownloadProgress)
	do(t, user,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			// the tab has its own browser context: the behaviour is set on it
			_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &enabled,
				BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
			})
			return err
		}),
		chromedp.Click(chromedp.CSS(`#export-leads button`)),
	)
	var file string
	for ev, err := range progress {
		require.NoError(t, err)
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatal("the download was cancelled")
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	require.NoError(t, err, "a CSV file")
	require.NotEmpty(t, rows)
	require.Equal(t, "id", rows[0][0], "a CSV of records, with its header")
	lines := len(rows) - 1
	me, err := s.app.FindAuthRecordByEmail("users", who)
	require.NoError(t, err)
	var own int
	require.NoError(t, s.app.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE assignee = {:u}").Bind(map[string]any{"u": me.Id}).Row(&own))
	require.Equal(t, own, lines, "one row per lead of the salesperson")
	grant, err = s.app.FindRecordById("grants", grant.Id)
	require.NoError(t, err)
	require.False(t, grant.GetDateTime("used_at").IsZero(), "the grant is used up")

	// a second export (the same form, sent again) is refused, and says why
	_, err = chromedp.Run(user, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[bool](
		`(() => { document.querySelector("#export-leads").submit(); return true })()`)))
	require.NoError(t, err)
	do(t, user, chromedp.WaitVisible(chromedp.CSS(".error-page")))
	refused := html(t, user)
	require.Contains(t, refused, "Export refusé")
	require.Contains(t, refused, "ne sert qu'une fois")
	screenshot(t, user, "gov-export-refused-mobile.png")
	do(t, user, chromedp.Navigate(s.url+"/access-requests"), chromedp.WaitVisible(chromedp.CSS("#my-grants")))
	after := html(t, user)
	require.NotContains(t, after, `id="export-leads"`, "no export button once the right is used")
	require.Contains(t, after, "utilisé le")

	// a salesperson decides no request
	nav, err := chromedp.Run(user, chromedp.NavigateResponse(s.url+"/approvals"))
	require.NoError(t, err)
	require.Equal(t, int64(http.StatusNotFound), nav.Status, "a salesperson decides nothing")
}

// TestGovernancePagesFitAPhoneJourney: at 390 px, in French and in
// English, the governance pages (with a pending request, a running grant
// and an open review campaign) never scroll sideways, for the admin and
// for a partner salesperson.
func TestGovernancePagesFitAPhoneJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	admin, err := s.app.FindAuthRecordByEmail("users", "admin@demo.test")
	require.NoError(t, err)
	sales, err := s.app.FindAuthRecordByEmail("users", "installer001.sales@demo.test")
	require.NoError(t, err)
	req := core.NewRecord(mustCollection(t, s, "access_requests"))
	req.Load(map[string]any{"requester": sales.Id, "kind": "export", "resource": "leads", "justification": "Une justification assez longue pour passer sur plusieurs lignes d'un téléphone (e2e)"})
	require.NoError(t, s.app.Save(req))
	_, err = governance.CreateGrant(s.app, audit.ActorOfUser(admin), governance.GrantSpec{User: sales.Id, Kind: "export", Resource: "leads",
		Expires: time.Now().Add(24 * time.Hour), Reason: "Relance", GrantedBy: admin.Id}, time.Now())
	require.NoError(t, err)
	_, _, err = governance.OpenReviewCampaign(s.app, time.Now())
	require.NoError(t, err)

	pages := map[string][]string{
		"admin@demo.test":              {"/approvals", "/grants", "/access-review", "/access-requests"},
		"installer001.sales@demo.test": {"/access-requests"},
	}
	for email, paths := range pages {
		for _, lang := range []string{"Français", "English"} {
			ctx := tab(t, b)
			do(t, ctx, chromedp.EmulateViewport(390, 844))
			login(t, ctx, s, email)
			for _, p := range paths {
				do(t, ctx, chromedp.Navigate(s.url+p), chromedp.WaitVisible(chromedp.CSS("main h1")))
				if lang == "English" && p == paths[0] {
					do(t, ctx, chromedp.Click(chromedp.CSS(`footer button[value="en"]`)), chromedp.WaitVisible(chromedp.CSS(`footer button[value="en"][aria-pressed="true"]`)))
				}
				fitsWidth(t, ctx, email+" "+p+" "+lang)
				wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.list")].filter(t => t.offsetWidth > 0 && t.parentElement.scrollWidth > t.parentElement.clientWidth + 1).map(t => t.id || t.className)`))
				require.NoError(t, err)
				require.Empty(t, wide, "%s %s: lists wider than the phone", email, p)
				screenshot(t, ctx, "gov-phone-"+strings.TrimPrefix(p, "/")+"-"+strings.ToLower(lang[:2])+".png")
			}
		}
	}
}

func mustCollection(t *testing.T, s *site, name string) *core.Collection {
	t.Helper()
	c, err := s.app.FindCachedCollectionByNameOrId(name)
	require.NoError(t, err)
	return c
}
