package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// registration returns the latest registration of a company.
func (s *site) registration(t *testing.T, company string) *core.Record {
	t.Helper()
	var out []*core.Record
	require.NoError(t, s.app.RecordQuery("opportunities").AndWhere(dbx.HashExp{"company": company}).
		AndWhere(dbx.NewExp("registration_status != ''")).OrderBy("created DESC").Limit(1).All(&out))
	require.NotEmpty(t, out, "no registration of %s", company)
	return out[0]
}

// fitsPhone checks that the page does not scroll sideways at 390 px.
func fitsPhone(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("nav.menu")))
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 391).slice(0, 8).map(e => e.tagName + "#" + e.id + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).join(" | ")`))
	require.LessOrEqual(t, width, 391.0, "%s fits a phone: %s", what, wide)
	do(t, ctx, chromedp.EmulateViewport(1100, 800))
}

// register fills and sends the "Register a deal" form.
func register(t *testing.T, ctx context.Context, s *site, company, postalCode, amount, need string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(s.url+"/registrations"),
		chromedp.WaitVisible(chromedp.CSS("#register-form")),
		chromedp.SendKeys(chromedp.CSS(`#register-form input[name="company"]`), company),
		chromedp.SendKeys(chromedp.CSS(`#register-form input[name="postal_code"]`), postalCode),
		chromedp.SendKeys(chromedp.CSS(`#register-form input[name="amount"]`), amount),
		chromedp.SetValue(chromedp.CSS(`#register-form input[name="close_date"]`), "2027-03-31"),
		chromedp.SendKeys(chromedp.CSS(`#register-form textarea[name="need"]`), need),
		chromedp.Click(chromedp.CSS("#register-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
}

// TestDealRegistrationJourney: a partner salesperson registers a deal
// that conflicts with another partner's lead and sees only "under
// review"; the channel manager sees the conflict side by side and rejects
// it; a partner manager registers a deal that is approved, opens the
// opportunity and wins it above the validation amount; the channel
// manager validates the win. RELAIS_UPDATE_DOCS=1 refreshes
// docs/registration-queue.png (the queue at 1366 px).
func TestDealRegistrationJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	p2 := s.partnerOf(t, "installer002@demo.test")
	other, err := s.app.FindRecordById("partners", p2)
	require.NoError(t, err)
	lead := s.lead(t, dbx.NewExp("partner = {:p} AND company != '' AND status IN ('accepted', 'contacted', 'meeting')", dbx.Params{"p": p2}))

	// the salesperson registers a deal for the other partner's customer
	sales := tab(t, b)
	login(t, sales, s, "installer001.sales@demo.test")
	register(t, sales, s, lead.GetString("company"), lead.GetString("postal_code"), "18 000", "Centrale en toiture 36 kWc")
	conflicting := s.registration(t, lead.GetString("company"))
	require.Equal(t, s.partnerOf(t, "installer001@demo.test"), conflicting.GetString("partner"))
	row, err := chromedp.Run(sales, chromedp.Text(chromedp.CSS(`#registrations-table tr[data-reg-id="`+conflicting.Id+`"]`)))
	require.NoError(t, err)
	require.Contains(t, row, "En cours d'examen")
	page := html(t, sales)
	require.NotContains(t, page, other.GetString("name"), "the registrant never learns who it collides with")
	require.NotContains(t, page, "data-conflict-kind")
	screenshot(t, sales, "registrations-partner.png")
	fitsPhone(t, sales, "the registration page")

	// the channel manager sees the conflict beside the registration
	cm := tab(t, b)
	do(t, cm, chromedp.EmulateViewport(1366, 768))
	login(t, cm, s, "manager.ouest@demo.test")
	item := `#reg-` + conflicting.Id
	do(t, cm, chromedp.Navigate(s.url+"/registrations"), chromedp.WaitVisible(chromedp.CSS(item+` .conflict-side [data-conflict-kind="lead"]`)))
	side, err := chromedp.Run(cm, chromedp.Text(chromedp.CSS(item+" .conflict-side")))
	require.NoError(t, err)
	require.Contains(t, side, other.GetString("name"), "the other partner")
	require.Contains(t, side, "société + code postal", "the key that matched")
	png := screenshot(t, cm, "registration-queue.png")
	if os.Getenv("RELAIS_UPDATE_DOCS") == "1" {
		require.Less(t, len(png), 200<<10, "the README screenshot stays small")
		require.NoError(t, os.WriteFile(filepath.Join("..", "docs", "registration-queue.png"), png, 0o644))
	}
	fitsPhone(t, cm, "the registration queue")
	do(t, cm,
		chromedp.SendKeys(chromedp.CSS(item+` form.reject input[name="reason"]`), "Lead déjà suivi par un autre installateur"),
		chromedp.Click(chromedp.CSS(item+` button[data-action="reject"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	rec, err := s.app.FindRecordById("opportunities", conflicting.Id)
	require.NoError(t, err)
	require.Equal(t, "rejected", rec.GetString("registration_status"))

	// the partner manager's registration is approved
	pm := tab(t, b)
	login(t, pm, s, "installer001@demo.test")
	register(t, pm, s, "Brasserie des Deux Rives", "35000", "30 000", "Ombrières de parking")
	mine := s.registration(t, "Brasserie des Deux Rives")
	do(t, cm,
		chromedp.Navigate(s.url+"/registrations"),
		chromedp.WaitVisible(chromedp.CSS(`#reg-`+mine.Id+` .no-conflict`)),
		chromedp.Click(chromedp.CSS(`#reg-`+mine.Id+` button[data-action="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	do(t, pm, chromedp.Navigate(s.url+"/registrations"), chromedp.WaitVisible(chromedp.CSS("#registrations-table")))
	status, err := chromedp.Run(pm, chromedp.Text(chromedp.CSS(`tr[data-reg-id="`+mine.Id+`"] .reg-status`)))
	require.NoError(t, err)
	require.Contains(t, status, "Approuvé jusqu'au")

	// it opens the opportunity and wins it above the validation amount
	do(t, pm,
		chromedp.Click(chromedp.CSS(`tr[data-reg-id="`+mine.Id+`"] a`)),
		chromedp.WaitVisible(chromedp.CSS("#stage-form")),
		chromedp.SetValue(chromedp.CSS(`#stage-form select[name="stage"]`), "won"),
		chromedp.SendKeys(chromedp.CSS(`#stage-form input[name="amount"]`), "85 000"),
		chromedp.Click(chromedp.CSS("#stage-submit")),
		chromedp.WaitVisible(chromedp.CSS("#win-pending")),
	)
	screenshot(t, pm, "opportunity-win-pending.png")
	flash, err := chromedp.Run(pm, chromedp.Text(chromedp.CSS(".flash")))
	require.NoError(t, err)
	require.Contains(t, flash, "attend la validation")
	fitsPhone(t, pm, "the opportunity page")
	do(t, pm, chromedp.Navigate(s.url+"/opportunities"), chromedp.WaitVisible(chromedp.CSS(`#pipeline li[data-opp-id="`+mine.Id+`"] .win-pending`)))
	screenshot(t, pm, "pipeline-partner.png")
	fitsPhone(t, pm, "the pipeline")

	// the channel manager validates the win (a new tab: each tab has its
	// own time limit)
	cm = tab(t, b)
	login(t, cm, s, "manager.ouest@demo.test")
	do(t, cm,
		chromedp.Navigate(s.url+"/opportunities"),
		chromedp.WaitVisible(chromedp.CSS(`#pending-wins tr[data-opp-id="`+mine.Id+`"]`)),
	)
	screenshot(t, cm, "pipeline-manager.png")
	fitsPhone(t, cm, "the network pipeline")
	do(t, cm,
		chromedp.Click(chromedp.CSS(`#pending-wins tr[data-opp-id="`+mine.Id+`"] a`)),
		chromedp.WaitVisible(chromedp.CSS("#validate-win")),
		chromedp.Click(chromedp.CSS(`#validate-win button[data-action="validate"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	screenshot(t, cm, "opportunity-win-validated.png")
	rec, err = s.app.FindRecordById("opportunities", mine.Id)
	require.NoError(t, err)
	require.Equal(t, "won", rec.GetString("stage"))
	require.False(t, rec.GetBool("won_pending"))
	require.Equal(t, 85000.0, rec.GetFloat("amount"))
	stage, err := chromedp.Run(cm, chromedp.Text(chromedp.CSS("#opp-stage")))
	require.NoError(t, err)
	require.Equal(t, "Gagnée", strings.TrimSpace(stage))
}
