package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

var welcomeLink = regexp.MustCompile(`href="(https?://[^"]+/welcome/[A-Za-z0-9._-]+)"`)

// TestTeamInvitationJourney: on a phone, a partner manager opens "My
// team" from the Leads menu, invites a salesperson (in English); the
// salesperson opens the e-mail's link (PocketBase's test mailer), sets a
// password on the welcome page and logs in to the inbox; the manager then
// deactivates the account.
func TestTeamInvitationJourney(t *testing.T) {
	s := startSite(t)
	s.app.Settings().Meta.AppURL = s.url
	b := browser(t)
	ctx := tab(t, b)
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	login(t, ctx, s, "installer004@demo.test")
	do(t, ctx,
		chromedp.Navigate(s.url+"/team"),
		chromedp.WaitVisible(chromedp.CSS("#invite-submit")),
	)
	fitsWidth(t, ctx, "the team page")
	sent := s.app.TestMailer.TotalSend()
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#invite-form input[name="name"]`), "Jade Martin"),
		chromedp.SendKeys(chromedp.CSS(`#invite-form input[name="email"]`), "jade.martin@demo.test"),
		chromedp.SetValue(chromedp.CSS(`#invite-form select[name="locale"]`), "en"),
		chromedp.Click(chromedp.CSS("#invite-submit")),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-email="jade.martin@demo.test"] [data-pending]`)),
	)
	screenshot(t, ctx, "team-invited-mobile.png")
	require.Eventually(t, func() bool { return s.app.TestMailer.TotalSend() == sent+1 }, 10*time.Second, 50*time.Millisecond, "the invitation is sent")
	m := s.app.TestMailer.LastMessage()
	require.Equal(t, "jade.martin@demo.test", m.To[0].Address)
	require.Equal(t, "Relais: your account is waiting", m.Subject)
	link := welcomeLink.FindStringSubmatch(m.HTML)
	require.NotNil(t, link, "a link in the e-mail")
	require.True(t, strings.HasPrefix(link[1], s.url+"/welcome/"))

	jade := tab(t, b)
	do(t, jade,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(link[1]),
		chromedp.WaitVisible(chromedp.CSS("#welcome-submit")),
	)
	fitsWidth(t, jade, "the welcome page")
	require.Contains(t, html(t, jade), "Welcome to Relais")
	screenshot(t, jade, "welcome-mobile.png")
	do(t, jade,
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "jade-password-26"),
		chromedp.SendKeys(chromedp.CSS(`input[name="passwordConfirm"]`), "jade-password-26"),
		chromedp.Click(chromedp.CSS("#welcome-submit")),
		chromedp.WaitVisible(chromedp.CSS("#login-submit")),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), "jade.martin@demo.test"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "jade-password-26"),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("nav.menu")),
	)
	require.Contains(t, location(t, jade), "/inbox")

	// the manager deactivates the account (hx-confirm accepted by the tab)
	do(t, ctx,
		chromedp.Navigate(s.url+"/team"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-email="jade.martin@demo.test"] [data-action="deactivate"]`)),
		chromedp.Click(chromedp.CSS(`tr[data-email="jade.martin@demo.test"] [data-action="deactivate"]`)),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-email="jade.martin@demo.test"] [data-action="reactivate"]`)),
	)
	u, err := s.app.FindAuthRecordByEmail("users", "jade.martin@demo.test")
	require.NoError(t, err)
	require.False(t, u.GetBool("active"))
}

// TestDocumentUploadJourney: an admin uploads a price list for pilot
// partners; a pilot partner's salesperson finds it under its category on
// a phone, another tier's salesperson never sees it.
func TestDocumentUploadJourney(t *testing.T) {
	s := startSite(t)
	var ps []*core.Record
	require.NoError(t, s.app.RecordQuery("partners").AndWhere(dbx.HashExp{"status": "active"}).OrderBy("name").All(&ps))
	var pilot, other string
	for _, p := range ps {
		var us []*core.Record
		require.NoError(t, s.app.RecordQuery("users").AndWhere(dbx.HashExp{"partner": p.Id, "role": "partner_user"}).Limit(1).All(&us))
		if len(us) == 0 {
			continue
		}
		if p.GetString("tier") == "pilot" && pilot == "" {
			pilot = us[0].Email()
		} else if p.GetString("tier") != "pilot" && other == "" {
			other = us[0].Email()
		}
	}
	require.NotEmpty(t, pilot)
	require.NotEmpty(t, other)
	file := filepath.Join(t.TempDir(), "tarifs-printemps.pdf")
	require.NoError(t, os.WriteFile(file, []byte("%PDF-1.4\n% tarifs printemps\n%%EOF\n"), 0o644))

	b := browser(t)
	admin := tab(t, b)
	login(t, admin, s, "admin@demo.test")
	do(t, admin,
		chromedp.Navigate(s.url+"/documents"),
		chromedp.Click(chromedp.CSS("#document-new")),
		chromedp.WaitVisible(chromedp.CSS("#document-submit")),
		chromedp.SendKeys(chromedp.CSS(`#document-form input[name="title"]`), "Tarifs de printemps pilotes"),
		chromedp.SetUploadFiles(chromedp.CSS(`#document-form input[name="file"]`), []string{file}),
		chromedp.SetValue(chromedp.CSS(`#document-form select[name="category"]`), "price_list"),
		chromedp.Click(chromedp.CSS(`#document-form input[name="audience"][value="tiers"]`)),
		chromedp.Click(chromedp.CSS(`#document-form input[name="tiers"][value="pilot"]`)),
		chromedp.Click(chromedp.CSS("#document-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	require.Contains(t, html(t, admin), "Tarifs de printemps pilotes")

	seller := tab(t, b)
	do(t, seller, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	login(t, seller, s, pilot)
	do(t, seller,
		chromedp.Navigate(s.url+"/documents?category=price_list"),
		chromedp.WaitVisible(chromedp.CSS(`section[data-category="price_list"]`)),
	)
	fitsWidth(t, seller, "the documents page")
	require.Contains(t, html(t, seller), "Tarifs de printemps pilotes")
	screenshot(t, seller, "documents-partner-mobile.png")

	outsider := tab(t, b)
	login(t, outsider, s, other)
	do(t, outsider, chromedp.Navigate(s.url+"/documents"), chromedp.WaitVisible(chromedp.CSS("#documents-search")))
	require.NotContains(t, html(t, outsider), "Tarifs de printemps pilotes")
}
