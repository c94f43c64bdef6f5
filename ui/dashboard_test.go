package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/reports"
)

// fallingPartner gives a partner 10 accepted offers 31–59 days ago and 10
// declined ones in the last 30 days: its acceptance falls.
func fallingPartner(t *testing.T, e *env, partnerID string) {
	t.Helper()
	var leads []*core.Record
	require.NoError(t, e.app.RecordQuery("leads").Limit(20).All(&leads))
	col, err := e.app.FindCollectionByNameOrId("lead_offers")
	require.NoError(t, err)
	now := time.Now()
	for i, l := range leads {
		o := core.NewRecord(col)
		at, outcome := now.AddDate(0, 0, -45).Add(time.Duration(i)*time.Hour), "accepted"
		if i >= 10 {
			at, outcome = now.AddDate(0, 0, -10).Add(time.Duration(i)*time.Hour), "declined"
		}
		o.Set("lead", l.Id)
		o.Set("partner", partnerID)
		o.Set("offered_at", at)
		o.Set("accept_by", at.Add(48*time.Hour))
		o.Set("decided_at", at.Add(2*time.Hour))
		o.Set("outcome", outcome)
		if outcome == "declined" {
			o.Set("reason", "Chantier trop petit")
		}
		require.NoError(t, e.app.Save(o))
	}
}

func TestDashboardShowsTheWeekOffersFallingAcceptanceAndGaps(t *testing.T) {
	e := newEnv(t)
	partner := e.user("installer005@demo.test").GetString("partner")
	fallingPartner(t, e, partner)
	// an offer expiring in 2 hours, another in 2 days
	soon := e.leadWhere(dbx.HashExp{"status": "offered"}, "created")
	later := e.leadWhere(dbx.And(dbx.HashExp{"status": "offered"}, dbx.Not(dbx.HashExp{"id": soon.Id})), "created")
	now := time.Now()
	for id, at := range map[string]time.Time{soon.Id: now.Add(2 * time.Hour), later.Id: now.Add(48 * time.Hour)} {
		_, err := e.app.DB().NewQuery("UPDATE leads SET accept_by = {:at} WHERE id = {:id}").Bind(dbx.Params{"at": at.UTC().Format(types.DefaultDateLayout), "id": id}).Execute()
		require.NoError(t, err)
	}

	admin := e.user("admin@demo.test")
	scope, err := reports.ScopeFor(e.app, admin, now)
	require.NoError(t, err)
	want, err := reports.DashboardFor(e.app, scope, now)
	require.NoError(t, err)
	require.NotEmpty(t, want.FallingAcceptance)
	require.NotEmpty(t, want.CoverageGaps, "the small demo leaves régions without a partner")

	r := e.signedIn("admin@demo.test").get("/dashboard")
	require.Equal(t, http.StatusOK, r.Status)
	tr, err := newTranslator()
	require.NoError(t, err)
	fr := tr.locale("fr")
	var week int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE created >= {:w}").Bind(dbx.Params{"w": now.AddDate(0, 0, -7).UTC().Format(types.DefaultDateLayout)}).Row(&week))
	has(t, r.Body, `<span>Leads reçus en 7 jours</span><strong>`+fr.Num(week)+`</strong>`)
	has(t, r.Body, `<span>Offres expirant sous 6 h</span><strong>`+fr.Num(want.ExpiringOffers)+`</strong>`)
	has(t, r.Body, `<span>Conflits à arbitrer</span><strong>`+fr.Num(want.ConflictsWaiting)+`</strong>`)
	assert.GreaterOrEqual(t, want.ExpiringOffers, 1)

	// the offers about to expire: the one in 2 hours, not the one in 2 days
	expiring := sectionOf(r.Body, `id="expiring"`)
	has(t, expiring, `data-lead-id="`+soon.Id+`"`)
	has(t, expiring, esc(soon.GetString("company")))
	lacks(t, expiring, later.Id)

	// partners with falling acceptance, before → now
	falling := sectionOf(r.Body, `id="falling"`)
	p, err := e.app.FindRecordById("partners", partner)
	require.NoError(t, err)
	has(t, falling, `data-partner-id="`+partner+`"`)
	has(t, falling, esc(p.GetString("name")))
	for _, row := range want.FallingAcceptance {
		has(t, falling, fr.Pct(row.AcceptedPct/100)+" ↓", row.Name)
	}
	has(t, falling, "100\u00a0%", "its acceptance before (10 accepted of 10)")

	// coverage gaps, each a link to the map
	gaps := sectionOf(r.Body, `id="gaps"`)
	for _, code := range want.CoverageGaps {
		d, ok := geo.DepartementByCode(code)
		require.True(t, ok)
		has(t, gaps, `data-dept="`+code+`">`+code+" "+esc(d.Name)+"</a>")
	}
	assert.Equal(t, len(want.CoverageGaps), strings.Count(gaps, "data-dept="))
}

func TestDashboardOfAChannelManagerIsHisTerritories(t *testing.T) {
	e := newEnv(t)
	u := e.user("manager.ouest@demo.test")
	r := e.signedIn("manager.ouest@demo.test").get("/dashboard")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "Chiffres de : vos territoires")
	has(t, r.Body, `<a href="/reports" aria-current="page">Rapports</a>`, "the dashboard is a report page for him, not his landing page")
	west := map[string]bool{}
	for _, id := range u.GetStringSlice("territories") {
		terr, err := e.app.FindRecordById("territories", id)
		require.NoError(t, err)
		for _, d := range geo.DepartementsOf(terr.GetString("code")) {
			west[d] = true
		}
		for _, d := range terr.GetStringSlice("departments") {
			west[d] = true
		}
	}
	for _, code := range deptRe.FindAllStringSubmatch(sectionOf(r.Body, `id="gaps"`), -1) {
		assert.True(t, west[code[1]], "gap %s is in the west", code[1])
	}
}

// sectionOf returns the <section> that starts with marker.
func sectionOf(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}
