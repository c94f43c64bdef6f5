package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/intake"
)

// holdDuplicate sends again, through the intake, the customer of a lead
// installer001 works (the same e-mail): the intake holds the new lead for
// the channel manager. It returns the held lead and the lead it matched.
func holdDuplicate(t *testing.T, s *site, ref string, not ...any) (held, own *core.Record) {
	t.Helper()
	where := dbx.And(dbx.HashExp{"partner": s.partnerOf(t, "installer001@demo.test")}, dbx.In("status", "accepted", "contacted", "meeting"),
		dbx.NewExp("id IN (SELECT lead FROM lead_contacts WHERE email != '')"))
	if len(not) > 0 {
		where = dbx.And(where, dbx.NotIn("id", not...))
	}
	own = s.lead(t, where)
	contact, err := s.app.FindFirstRecordByData("lead_contacts", "lead", own.Id)
	require.NoError(t, err)
	it, err := intake.NewIntake(s.app)
	require.NoError(t, err)
	api, err := s.app.FindAuthRecordByEmail("users", "api@demo.test")
	require.NoError(t, err)
	score := 90
	res, err := it.Ingest(s.app, audit.ActorOfUser(api), api, intake.IngestInput{Company: "Serres de Kervern " + ref, Segment: "residential", Country: "FR",
		PostalCode: own.GetString("postal_code"), City: own.GetString("city"), Source: "api", SourceRef: "E2E-ARB-" + ref, Score: &score, Consent: true,
		Contact: &intake.ContactInput{FirstName: "Maëlle", LastName: "Kervern", Email: contact.GetString("email")}})
	require.NoError(t, err)
	require.True(t, res.Held, "the duplicate is held")
	return res.Lead, own
}

// TestArbitrationJourney: on a phone, the west's channel manager opens a
// held lead from the Conflicts list, sees both sides and the matching
// key, and merges it into the existing lead with a reason; another held
// lead is dismissed as not a duplicate and is offered at once.
func TestArbitrationJourney(t *testing.T) {
	s := startSite(t)
	held, own := holdDuplicate(t, s, "merge")
	other, _ := holdDuplicate(t, s, "dismiss", own.Id)
	b := browser(t)
	ctx := tab(t, b)
	login(t, ctx, s, "manager.ouest@demo.test")
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(s.url+"/conflicts"),
		chromedp.WaitVisible(chromedp.CSS(`#conflicts-list tr[data-lead-id="`+held.Id+`"]`)),
		chromedp.Click(chromedp.CSS(`tr[data-lead-id="`+held.Id+`"] a`)),
		chromedp.WaitVisible(chromedp.CSS("#conflict")),
	)
	page := html(t, ctx)
	assert.Contains(t, page, `data-record-id="`+own.Id+`"`, "the matched lead beside the held one")
	assert.Contains(t, page, `data-key-kind="email"`, "and the key that matched")
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 391).slice(0, 8).map(e => e.tagName + "#" + e.id + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).join(" | ")`))
	assert.LessOrEqual(t, width, 391.0, "the conflict fits a phone: %s", wide)
	screenshot(t, ctx, "arbitration-mobile.png")

	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#arbitrate-form input[value="merge"]`)),
		chromedp.SendKeys(chromedp.CSS(`#arbitrate-form input[name="reason"]`), "Même projet, déjà suivi (e2e)"),
		chromedp.Click(chromedp.CSS(`#arbitrate-form button[type="submit"]`)),
		chromedp.WaitNotPresent(chromedp.CSS("#conflict")),
	)
	merged, err := s.app.FindRecordById("leads", held.Id)
	require.NoError(t, err)
	assert.Equal(t, "lost", merged.GetString("status"))
	assert.Equal(t, "merged", merged.GetString("lost_reason"))
	assert.Equal(t, own.Id, merged.GetString("duplicate_of"))
	assert.Contains(t, html(t, ctx), "Fusionné dans un lead existant")

	do(t, ctx,
		chromedp.Navigate(s.url+"/leads/"+other.Id),
		chromedp.WaitVisible(chromedp.CSS("#conflict")),
		chromedp.Click(chromedp.CSS(`#arbitrate-form input[value="dismiss"]`)),
		chromedp.SendKeys(chromedp.CSS(`#arbitrate-form input[name="reason"]`), "Autre site du client (e2e)"),
		chromedp.Click(chromedp.CSS(`#arbitrate-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	offered, err := s.app.FindRecordById("leads", other.Id)
	require.NoError(t, err)
	assert.False(t, offered.GetBool("held"))
	assert.Equal(t, "offered", offered.GetString("status"))
	assert.NotEmpty(t, offered.GetString("partner"))
	after := html(t, ctx)
	assert.True(t, strings.Contains(after, "st-offered"), "the page shows the lead offered")
	assert.NotContains(t, after, `id="conflict"`)
	n, err := s.app.CountRecords("audit_log", dbx.HashExp{"action": "lead.arbitrate"}, dbx.In("record", held.Id, other.Id))
	require.NoError(t, err)
	assert.EqualValues(t, 2, n, "both decisions are audited")
}
