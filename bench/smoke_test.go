package bench

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
	"github.com/relais/relais/ui"
)

// TestSmoke generates 10k leads / 50 partners into a test app and runs
// every scenario a few times, asserting correctness (the REST page is the
// raw SQL page, counts match, writes land), never timing. It keeps the
// benchmark suite working in the default `go test ./...`.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 10k leads")
	}
	app := testapp.New(t, "")
	ui.Register(app) // the web UI pages, as main does
	st, err := Generate(app, Options{Leads: 10_000, Partners: 50, BatchSize: 2500})
	require.NoError(t, err)
	assert.Equal(t, 18, st.Territories)
	assert.Equal(t, 50, st.Partners)
	assert.Equal(t, 50*UsersPerPartner+4, st.Users)
	assert.Equal(t, 10_000, st.Leads)
	assert.Equal(t, 10_000, st.Contacts)

	_, err = Generate(app, Options{Leads: 10, Partners: 1})
	assert.ErrorIs(t, err, ErrNotEmpty, "a second run refuses a data dir that holds data")

	t.Run("stored like PocketBase stores it", func(t *testing.T) {
		// the records load through PocketBase and pass its validators
		lead, err := app.FindFirstRecordByFilter("leads", "status = 'won'")
		require.NoError(t, err)
		require.NoError(t, app.Validate(lead))
		assert.False(t, lead.GetDateTime("created").IsZero())
		assert.Len(t, lead.Id, 15)
		u, err := app.FindAuthRecordByEmail("users", PartnerEmail(1, 2))
		require.NoError(t, err)
		require.NoError(t, app.Validate(u))
		assert.True(t, u.ValidatePassword(Password))
		assert.True(t, u.Verified())
		assert.Equal(t, "partner_user", u.GetString("role"))
		p, err := app.FindRecordById("partners", u.GetString("partner"))
		require.NoError(t, err)
		require.NoError(t, app.Validate(p))
		assert.Len(t, p.GetStringSlice("territories"), 1)
		var n int
		require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE partner != '' AND assignee = ''").Row(&n))
		assert.Zero(t, n, "every lead of a partner has its salesperson")
		require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM lead_offers o LEFT JOIN leads l ON l.id = o.lead WHERE l.id IS NULL").Row(&n))
		assert.Zero(t, n, "no orphan offer")
		var idx int
		require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads' AND sql IS NOT NULL").Row(&idx))
		assert.GreaterOrEqual(t, idx, 10, "the leads indexes are rebuilt after the load")
	})

	e, err := NewEnv(app)
	require.NoError(t, err)
	require.Len(t, e.Sales, MaxPartnersUsed)
	defer func() { require.NoError(t, e.Cleanup()) }()

	t.Run("lists return the raw SQL page", func(t *testing.T) {
		for _, s := range e.ListScenarios() {
			rows := 0
			for i := 0; i < 3; i++ {
				n, err := s.Check(i)
				require.NoError(t, err, s.Name)
				rows += n
			}
			assert.Positive(t, rows, "%s returns rows", s.Name)
		}
	})

	t.Run("searches return the raw SQL page and total", func(t *testing.T) {
		ss, err := e.SearchScenarios()
		require.NoError(t, err)
		for _, s := range ss {
			rows := 0
			for i := 0; i < 3; i++ {
				n, err := s.Check(i)
				require.NoError(t, err, s.Name)
				rows += n
			}
			assert.Positive(t, rows, "%s returns rows", s.Name)
		}
	})

	t.Run("ingest", func(t *testing.T) {
		before := count(t, e, "SELECT COUNT(*) FROM leads")
		for i := 0; i < 3; i++ {
			require.NoError(t, e.IngestREST(false))
			require.NoError(t, e.IngestRaw(false))
			require.NoError(t, e.IngestREST(true))
			require.NoError(t, e.IngestRaw(true))
		}
		require.NoError(t, e.IngestBatchREST(100))
		require.NoError(t, e.IngestBatchRaw(100))
		assert.Equal(t, before+12+200, count(t, e, "SELECT COUNT(*) FROM leads"))
		assert.Equal(t, 6, count(t, e, "SELECT COUNT(*) FROM leads WHERE source_ref LIKE 'bench-"+e.Run+"-%' AND status = 'offered'"),
			"a ready lead is offered at once, through the route and the raw reference alike")
		assert.Equal(t, 12+200, count(t, e, "SELECT COUNT(*) FROM lead_contacts c JOIN leads l ON l.id = c.lead WHERE l.source_ref LIKE 'bench-"+e.Run+"-%'"))
	})

	t.Run("accept with 20 partners at once", func(t *testing.T) {
		for _, raw := range []bool{false, true} {
			leads, lat, err := e.acceptRound(raw)
			require.NoError(t, err)
			require.Len(t, lat, MaxPartnersUsed)
			require.NoError(t, e.checkAccepted(leads))
		}
	})

	t.Run("reports", func(t *testing.T) {
		require.NoError(t, e.SyncRollups()) // after the raw references' writes
		require.NoError(t, e.DashboardRaw())
		require.NoError(t, e.ScorecardRaw())
		require.NoError(t, e.OwnScorecardRaw(0))
		if !e.ReportsRouted() {
			t.Skip("no report routes in this build")
		}
		require.NoError(t, e.DashboardREST())
		require.NoError(t, e.OwnScorecardREST(0))
		require.NoError(t, e.checkScorecard())
	})

	t.Run("explain", func(t *testing.T) {
		plans, err := e.ExplainREST(e.PartnerUserList())
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(plans), 2, "the REST list query and the raw one")
		assert.Contains(t, plans[len(plans)-1].Plan[0], "idx_leads_assignee", "the raw limit reads the assignee index")
	})

	t.Run("cleanup removes the run's rows", func(t *testing.T) {
		require.NoError(t, e.Cleanup())
		assert.Zero(t, count(t, e, "SELECT COUNT(*) FROM leads WHERE source_ref LIKE 'bench-"+e.Run+"-%'"))
		assert.Equal(t, 10_000, count(t, e, "SELECT COUNT(*) FROM leads"))
	})

	t.Run("run and table", func(t *testing.T) {
		figs, err := Run(e, RunOptions{Iterations: 2, BatchLeads: 100, Budget: 2 * time.Second})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, len(figs), 12)
		for _, f := range figs {
			assert.Positive(t, f.Value, f.Name)
		}
		assert.Equal(t, 10_000, count(t, e, "SELECT COUNT(*) FROM leads"), "Run removes what it wrote")
	})
}

func count(t *testing.T, e *Env, q string) int {
	t.Helper()
	var n int
	require.NoError(t, e.App.DB().NewQuery(q).Bind(dbx.Params{}).Row(&n))
	return n
}
