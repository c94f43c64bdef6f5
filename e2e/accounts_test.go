package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// count counts the records of a collection matching where.
func (s *site) count(t *testing.T, collection string, where dbx.Expression) int64 {
	t.Helper()
	n, err := s.app.CountRecords(collection, where)
	require.NoError(t, err)
	return n
}

// TestSalesCreatesAccountAndOpportunityJourney: on a phone, internal sales
// lands on its accounts, creates an account, then opens an opportunity
// from the account's page; the opportunity shows on its home page.
func TestSalesCreatesAccountAndOpportunityJourney(t *testing.T) {
	s := startSite(t)
	b := browser(t)
	ctx := tab(t, b)
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	login(t, ctx, s, "sales@demo.test")
	require.True(t, strings.HasSuffix(location(t, ctx), "/accounts"), "sales land on their accounts: %s", location(t, ctx))
	do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#my-opportunities")),
		chromedp.Click(chromedp.CSS("#account-new-link")),
		chromedp.WaitVisible(chromedp.CSS("#account-form")),
	)
	fitsWidth(t, ctx, "the new account form")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#account-form input[name="name"]`), "Coopérative Laitière du Léon"),
		chromedp.SendKeys(chromedp.CSS(`#account-form input[name="siren"]`), "123456782"),
		chromedp.SendKeys(chromedp.CSS(`#account-form input[name="postal_code"]`), "29200"),
		chromedp.SendKeys(chromedp.CSS(`#account-form input[name="city"]`), "Brest"),
		chromedp.SetValue(chromedp.CSS(`#account-form select[name="segment"]`), "farm"),
		chromedp.Click(chromedp.CSS("#account-submit")),
		chromedp.WaitVisible(chromedp.CSS("#account-name")),
	)
	require.EqualValues(t, 1, s.count(t, "accounts", dbx.HashExp{"name": "Coopérative Laitière du Léon", "siren": "123456782"}))
	fitsWidth(t, ctx, "the account page")
	screenshot(t, ctx, "account-phone.png")
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#opp-new-toggle")),
		chromedp.WaitVisible(chromedp.CSS(`#opp-form input[name="name"]`)),
		chromedp.SendKeys(chromedp.CSS(`#opp-form input[name="name"]`), "Centrale 100 kWc stabulation"),
		chromedp.SetValue(chromedp.CSS(`#opp-form select[name="stage"]`), "qualified"),
		chromedp.SendKeys(chromedp.CSS(`#opp-form input[name="amount"]`), "84 000"),
		chromedp.Click(chromedp.CSS("#opp-submit")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.WaitVisible(chromedp.CSS("#account-opps")),
	)
	require.Contains(t, html(t, ctx), "Centrale 100 kWc stabulation")
	opp, err := s.app.FindFirstRecordByData("opportunities", "name", "Centrale 100 kWc stabulation")
	require.NoError(t, err)
	require.Equal(t, "qualified", opp.GetString("stage"))
	require.InDelta(t, 84000, opp.GetFloat("amount"), 0.001)
	do(t, ctx, chromedp.Navigate(s.url+"/accounts"), chromedp.WaitVisible(chromedp.CSS(`#my-opportunities [data-opp-id="`+opp.Id+`"]`)))
}

// TestTeleoperatorLeadFromCallJourney: a teleoperator takes a call, fills
// the lead form with a score at the threshold, and the page says to which
// partner the lead was offered.
func TestTeleoperatorLeadFromCallJourney(t *testing.T) {
	s := startSite(t)
	served := s.lead(t, dbx.And(dbx.In("status", "new", "qualifying"), dbx.HashExp{"partner": "", "held": false},
		dbx.NewExp("EXISTS (SELECT 1 FROM partners p, json_each(p.territories) t WHERE p.status = 'active' AND t.value = leads.territory "+
			"AND EXISTS (SELECT 1 FROM users u WHERE u.partner = p.id AND u.active = 1))")))
	b := browser(t)
	ctx := tab(t, b)
	login(t, ctx, s, "teleop@demo.test")
	do(t, ctx,
		chromedp.Navigate(s.url+"/leads/new"),
		chromedp.WaitVisible(chromedp.CSS("#lead-form")),
		chromedp.SendKeys(chromedp.CSS(`#lead-form input[name="company"]`), "SCEA des Trois Chênes"),
		chromedp.SendKeys(chromedp.CSS(`#lead-form input[name="first_name"]`), "Maël"),
		chromedp.SendKeys(chromedp.CSS(`#lead-form input[name="last_name"]`), "Le Goff"),
		chromedp.SendKeys(chromedp.CSS(`#lead-form input[name="phone"]`), "06 12 34 56 78"),
		chromedp.SendKeys(chromedp.CSS(`#lead-form input[name="postal_code"]`), served.GetString("postal_code")),
		chromedp.SetValue(chromedp.CSS(`#lead-form select[name="segment"]`), "business"),
		chromedp.SendKeys(chromedp.CSS(`#lead-form input[name="score"]`), "90"),
		chromedp.SendKeys(chromedp.CSS(`#lead-form textarea[name="interest"]`), "Toiture de hangar, 250 m²"),
		chromedp.Click(chromedp.CSS(`#lead-form input[name="consent"]`)),
		chromedp.Click(chromedp.CSS("#lead-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#lead-result[data-outcome="offered"]`)),
	)
	lead := s.lead(t, dbx.HashExp{"company": "SCEA des Trois Chênes"})
	require.Equal(t, "offered", lead.GetString("status"))
	require.Equal(t, "phone", lead.GetString("source"))
	partner, err := s.app.FindRecordById("partners", lead.GetString("partner"))
	require.NoError(t, err)
	result, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#lead-result")))
	require.NoError(t, err)
	require.Contains(t, result, partner.GetString("name"), "the page names the partner it was offered to")
	screenshot(t, ctx, "lead-from-call.png")
}

// TestAdminImportsCSVJourney: the admin uploads a CSV with 3 bad rows;
// the dry run shows the 3 refused lines and writes nothing; after the
// confirmation the good rows exist and the bad ones do not.
func TestAdminImportsCSVJourney(t *testing.T) {
	s := startSite(t)
	var csv strings.Builder
	csv.WriteString("Société;Code postal;Ville;Prénom;Nom;E-mail\n")
	for i := range 12 {
		switch i {
		case 2:
			csv.WriteString(";35000;Rennes;Anne;Sans Société;anne@example.fr\n")
		case 5:
			csv.WriteString("Mauvais CP E2E;00999;Nulle-part;Paul;Faux;paul@example.fr\n")
		case 8:
			csv.WriteString("Mauvais Mail E2E;29200;Brest;Lou;Faux;pas-un-mail\n")
		default:
			fmt.Fprintf(&csv, "Import E2E %02d;29%03d;Quimper;Yves;Client%d;client%d.e2e@example.fr\n", i, 200+i, i, i)
		}
	}
	path := filepath.Join(t.TempDir(), "leads.csv")
	require.NoError(t, os.WriteFile(path, []byte(csv.String()), 0o600))

	b := browser(t)
	ctx := tab(t, b)
	login(t, ctx, s, "admin@demo.test")
	do(t, ctx,
		chromedp.Navigate(s.url+"/leads/import"),
		chromedp.WaitVisible(chromedp.CSS("#import-form")),
		chromedp.SetUploadFiles(chromedp.CSS(`#import-form input[type="file"]`), []string{path}),
		chromedp.Click(chromedp.CSS("#import-check")),
		chromedp.WaitVisible(chromedp.CSS("#import-check-report")),
	)
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#import-errors tbody tr")].map(r => r.dataset.line)`))
	require.NoError(t, err)
	require.Equal(t, []string{"4", "7", "10"}, lines, "the dry run lists the 3 refused lines")
	require.Zero(t, s.count(t, "leads", dbx.Like("company", "E2E")), "the dry run writes nothing")
	screenshot(t, ctx, "import-dry-run.png")
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#import-confirm")),
		chromedp.WaitVisible(chromedp.CSS(`#import-job[data-state="done"]`)),
	)
	created, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#import-report [data-count="created"]`)))
	require.NoError(t, err)
	require.Equal(t, "9", strings.TrimSpace(created))
	require.EqualValues(t, 9, s.count(t, "leads", dbx.Like("company", "Import E2E")))
	require.Zero(t, s.count(t, "leads", dbx.Like("company", "Mauvais")))
	require.Zero(t, s.count(t, "leads", dbx.HashExp{"city": "Nulle-part"}))
	require.Zero(t, s.count(t, "lead_contacts", dbx.HashExp{"last_name": "Sans Société"}))
}
