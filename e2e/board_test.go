package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// westBoard prepares the west manager's board: 30 more ready leads in one
// of his territories (more than a page), and a partner serving it that
// has an active user (the one to pick by search).
func westBoard(t *testing.T, s *site) (territory string, partner *core.Record) {
	t.Helper()
	m, err := s.app.FindAuthRecordByEmail("users", "manager.ouest@demo.test")
	require.NoError(t, err)
	var rows []struct {
		P string `db:"p"`
		T string `db:"t"`
	}
	require.NoError(t, s.app.DB().NewQuery(`SELECT p.id AS p, t.value AS t FROM partners p, json_each(p.territories) t
		WHERE p.status = 'active' AND EXISTS (SELECT 1 FROM users u WHERE u.partner = p.id AND u.active = 1)
		ORDER BY p.name`).All(&rows))
	mine := m.GetStringSlice("territories")
	pick := slices.IndexFunc(rows, func(r struct {
		P string `db:"p"`
		T string `db:"t"`
	}) bool {
		return slices.Contains(mine, r.T)
	})
	require.GreaterOrEqual(t, pick, 0, "a partner serves the west")
	territory = rows[pick].T
	partner, err = s.app.FindRecordById("partners", rows[pick].P)
	require.NoError(t, err)
	c, err := s.app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	for i := 0; i < 30; i++ {
		l := core.NewRecord(c)
		l.Load(map[string]any{"company": fmt.Sprintf("Ferme E2E %d", i), "status": "ready", "country": "FR", "postal_code": "35000",
			"city": "Rennes", "department": "35", "territory": territory, "score": 90 + i%10, "segment": "business"})
		require.NoError(t, s.app.Save(l))
	}
	return territory, partner
}

// boardJourney: the west channel manager pages through the board, filters
// it by territory and score, and assigns a lead to a partner found by
// searching its name in the picker.
func boardJourney(t *testing.T, s *site, ctx context.Context) {
	territory, partner := westBoard(t, s)
	do(t, ctx, chromedp.Navigate(s.url+"/board"), chromedp.WaitVisible(chromedp.CSS("#ready form.assign")))
	screenshot(t, ctx, "distribution-board.png")

	// page 2 of the ready leads
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#ready nav.pager a[rel="next"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ready nav.pager a[rel="prev"]`)),
	)
	require.Contains(t, location(t, ctx), "ready=2")
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#ready nav.pager")))
	require.NoError(t, err)
	require.Contains(t, text, "Page 2 sur")

	// filter: the territory, a minimum score of 95
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#board-filter select[name="territory"]`), territory),
		chromedp.SetValue(chromedp.CSS(`#board-filter input[name="min_score"]`), "95"),
		chromedp.Click(chromedp.CSS(`#board-filter button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#board-filter input[name="min_score"][value="95"]`)),
	)
	require.Contains(t, location(t, ctx), "min_score=95")
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#ready form.assign")].map(f => f.dataset.leadId)`))
	require.NoError(t, err)
	require.NotEmpty(t, ids)
	for _, id := range ids {
		l, err := s.app.FindRecordById("leads", id)
		require.NoError(t, err)
		require.Equal(t, territory, l.GetString("territory"))
		require.GreaterOrEqual(t, l.GetInt("score"), 95)
	}

	// pick the partner by searching a part of its name, and assign
	id := ids[0]
	form := "#assign-" + id
	name := partner.GetString("name")
	search := strings.Fields(name)[len(strings.Fields(name))-1]
	do(t, ctx,
		chromedp.Click(chromedp.CSS(form+` input[type="search"]`)),
		chromedp.SendKeys(chromedp.CSS(form+` input[type="search"]`), search),
		chromedp.WaitVisible(chromedp.CSS(form+` .picks .pick-list[data-q="`+search+`"] input[value="`+partner.Id+`"]`)),
	)
	listed, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("`+form+` .picks label.pick")].map(l => l.textContent)`))
	require.NoError(t, err)
	for _, l := range listed {
		require.Contains(t, l, search, "the search narrows the list")
	}
	screenshot(t, ctx, "distribution-board-picker.png")
	// on a phone, the board and its picker fit the width
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 390, "no horizontal scroll on a phone")
	screenshot(t, ctx, "distribution-board-mobile.png")
	do(t, ctx, chromedp.EmulateViewport(1100, 800))
	do(t, ctx,
		chromedp.Click(chromedp.CSS(form+` .picks input[value="`+partner.Id+`"]`)),
		chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#pending tr[data-lead-id="`+id+`"]`)),
	)
	lead, err := s.app.FindRecordById("leads", id)
	require.NoError(t, err)
	require.Equal(t, "offered", lead.GetString("status"))
	require.Equal(t, partner.Id, lead.GetString("partner"))
	screenshot(t, ctx, "distribution-board-assigned.png")
}
