package demo_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/demo"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/internal/testapp"
)

var anchor = time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)

// digest hashes the business content of the data dir, ids included.
func digest(t *testing.T, app core.App) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		"SELECT id, company, status, partner, assignee, territory, score, created FROM leads ORDER BY id",
		"SELECT id, lead, email, phone FROM lead_contacts ORDER BY id",
		"SELECT id, lead, partner, outcome, offered_at FROM lead_offers ORDER BY id",
		"SELECT id, lead, kind, author, at FROM activities ORDER BY id",
		"SELECT id, email, role, partner FROM users ORDER BY id",
		"SELECT id, name, tier, status, territories FROM partners ORDER BY id",
	} {
		rows := []dbx.NullStringMap{}
		require.NoError(t, app.DB().NewQuery(q).All(&rows))
		for _, r := range rows {
			fmt.Fprintln(h, r)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func count(t *testing.T, app core.App, table string) int {
	t.Helper()
	var n int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM "+table).Row(&n))
	return n
}

func TestSeedIsDeterministicAndDocumented(t *testing.T) {
	a := testapp.New(t, "")
	sumA, err := demo.Seed(a, demo.Options{Now: anchor})
	require.NoError(t, err)
	b := testapp.New(t, "")
	sumB, err := demo.Seed(b, demo.Options{Now: anchor})
	require.NoError(t, err)

	assert.Equal(t, sumA, sumB)
	assert.Equal(t, digest(t, a), digest(t, b), "two runs give the same data")

	// the documented counts
	assert.Equal(t, 120, sumA.Partners)
	assert.Equal(t, 3600+sumA.Conflicts, sumA.Leads)
	assert.Positive(t, sumA.Conflicts, "a few channel conflicts wait for the managers")
	assert.Equal(t, sumA.Leads, count(t, a, "leads"))
	var heldWithContact int
	require.NoError(t, a.DB().NewQuery("SELECT COUNT(*) FROM lead_contacts c JOIN leads l ON l.id = c.lead WHERE l.source_ref LIKE 'DEMO-CONFLICT-%'").Row(&heldWithContact))
	assert.Positive(t, heldWithContact, "the customers coming back have their contact")
	assert.Equal(t, 3600+heldWithContact, count(t, a, "lead_contacts"))
	assert.Equal(t, sumA.Contacts, count(t, a, "lead_contacts"))
	assert.Equal(t, 6+2*120, count(t, a, "users"))
	assert.GreaterOrEqual(t, count(t, a, "territories"), 13)
	assert.Greater(t, count(t, a, "lead_offers"), 2000)
	assert.Greater(t, count(t, a, "activities"), 3000)
	assert.Greater(t, count(t, a, "deal_terms"), 100)
	var departements int
	require.NoError(t, a.DB().NewQuery("SELECT COUNT(DISTINCT department) FROM leads").Row(&departements))
	assert.GreaterOrEqual(t, departements, 90, "leads spread over the départements")

	// every status appears
	for _, st := range []string{"new", "qualifying", "ready", "offered", "accepted", "contacted", "meeting", "won", "lost", "recycled"} {
		var n int
		require.NoError(t, a.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE status = {:s}").Bind(dbx.Params{"s": st}).Row(&n))
		assert.Positive(t, n, "status %s", st)
	}
	// the demo logins of SPEC §8
	emails := []string{"admin@demo.test", "manager@demo.test", "manager.ouest@demo.test", "teleop@demo.test", "sales@demo.test", "api@demo.test"}
	for i := 1; i <= 120; i++ {
		emails = append(emails, fmt.Sprintf("installer%03d@demo.test", i), fmt.Sprintf("installer%03d.sales@demo.test", i))
	}
	for _, e := range emails {
		u, err := a.FindAuthRecordByEmail("users", e)
		require.NoError(t, err, e)
		assert.True(t, u.ValidatePassword(demo.Password), e)
	}
	pu, err := a.FindAuthRecordByEmail("users", "installer001.sales@demo.test")
	require.NoError(t, err)
	assert.Equal(t, "partner_user", pu.GetString("role"))
	ouest, err := a.FindAuthRecordByEmail("users", "manager.ouest@demo.test")
	require.NoError(t, err)
	assert.Len(t, ouest.GetStringSlice("territories"), 3)

	// a second seed is a no-op, and real data is never overwritten
	_, err = demo.Seed(a, demo.Options{Now: anchor})
	assert.ErrorIs(t, err, demo.ErrAlreadySeeded)
	c := testapp.New(t, "")
	users, err := c.FindCollectionByNameOrId("users")
	require.NoError(t, err)
	real := core.NewRecord(users)
	real.SetEmail("direction@fabricant.fr")
	real.SetPassword("a-real-password")
	real.Set("role", "admin")
	real.Set("active", true)
	require.NoError(t, c.Save(real))
	_, err = demo.Seed(c, demo.Options{Now: anchor})
	assert.ErrorIs(t, err, demo.ErrNotEmpty)
	assert.Equal(t, 0, count(t, c, "leads"))
}

// On the demo data, installer001.sales logs in through the REST API and
// lists only the leads assigned to them; admin lists all.
func TestDemoLoginsThroughREST(t *testing.T) {
	app := testapp.New(t, "")
	_, err := demo.Seed(app, demo.Options{Now: anchor, Leads: 600, Installers: 20})
	require.NoError(t, err)
	c := testapp.NewClient(t, app)

	tokenOf := func(email string) string {
		res := c.Do(http.MethodPost, "/api/collections/users/auth-with-password", "", map[string]any{"identity": email, "password": demo.Password})
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		var auth struct {
			Token  string `json:"token"`
			Record struct {
				ID string `json:"id"`
			} `json:"record"`
		}
		res.JSON(t, &auth)
		return auth.Token
	}
	type page struct {
		Items []struct {
			ID       string `json:"id"`
			Assignee string `json:"assignee"`
		} `json:"items"`
		TotalItems int `json:"totalItems"`
	}
	pu, err := app.FindAuthRecordByEmail("users", "installer001.sales@demo.test")
	require.NoError(t, err)
	var p page
	c.Do(http.MethodGet, "/api/collections/leads/records?perPage=500", tokenOf("installer001.sales@demo.test"), nil).JSON(t, &p)
	require.NotEmpty(t, p.Items)
	var assigned int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE assignee = {:u}").Bind(dbx.Params{"u": pu.Id}).Row(&assigned))
	assert.Equal(t, assigned, p.TotalItems)
	for _, it := range p.Items {
		assert.Equal(t, pu.Id, it.Assignee)
	}
	var all page
	c.Do(http.MethodGet, "/api/collections/leads/records?perPage=1", tokenOf("admin@demo.test"), nil).JSON(t, &all)
	var leads int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM leads").Row(&leads))
	assert.Equal(t, leads, all.TotalItems)
}

// place is a town or région name of a territory, for the names check.
func placesOf(t *testing.T, app core.App, territory string) []string {
	t.Helper()
	tr, err := app.FindRecordById("territories", territory)
	require.NoError(t, err)
	out := []string{tr.GetString("name")}
	for _, d := range tr.GetStringSlice("departments") {
		for _, town := range demo.Towns(d) {
			out = append(out, town.Name, strings.TrimPrefix(strings.TrimPrefix(town.Name, "Le "), "Les "))
		}
	}
	return out
}

// The demo shows every capability of the web UI: partners named after the
// places they serve, every région (Corse and overseas included) with an
// active installer, accounts and contacts, opportunities in every stage,
// registrations in every state incl. a conflict, documents, access
// requests, a running grant, an open access review, notifications for the
// demo logins, held conflicts of every kind with their shared keys, and an
// audit history.
func TestDemoShowsEveryCapability(t *testing.T) {
	app := testapp.New(t, "")
	sum, err := demo.Seed(app, demo.Options{Now: anchor, Leads: 600, Installers: 30})
	require.NoError(t, err)
	q := func(sql string, params ...dbx.Params) int {
		t.Helper()
		var n int
		query := app.DB().NewQuery(sql)
		if len(params) > 0 {
			query.Bind(params[0])
		}
		require.NoError(t, query.Row(&n), sql)
		return n
	}

	// partner names come from their territory's places
	partners, err := app.FindAllRecords("partners")
	require.NoError(t, err)
	names := map[string]bool{}
	for _, p := range partners {
		name := p.GetString("name")
		assert.False(t, names[name], "duplicate partner name %q", name)
		names[name] = true
		ok := false
		for _, place := range placesOf(t, app, p.GetStringSlice("territories")[0]) {
			ok = ok || strings.Contains(name, place)
		}
		assert.True(t, ok, "%q is named after a place of its territory", name)
	}
	// every région has an active installer, Corse and overseas included
	territories, err := app.FindAllRecords("territories")
	require.NoError(t, err)
	for _, tr := range territories {
		assert.Positive(t, q("SELECT COUNT(*) FROM partners WHERE status = 'active' AND territories LIKE {:t}", dbx.Params{"t": "%" + tr.Id + "%"}),
			"an active installer in %s", tr.GetString("name"))
	}

	// accounts and contacts, entrusted and direct
	assert.Equal(t, sum.Accounts, count(t, app, "accounts"))
	assert.Positive(t, q("SELECT COUNT(*) FROM accounts WHERE partner != ''"))
	assert.Positive(t, q("SELECT COUNT(*) FROM accounts WHERE partner = '' AND owner != ''"), "internal sales' direct accounts")
	assert.Equal(t, sum.AccountContacts, count(t, app, "contacts"))
	assert.GreaterOrEqual(t, sum.AccountContacts, sum.Accounts)
	// opportunities in every stage, for partners and for internal sales
	for _, st := range []string{"prospecting", "qualified", "proposal", "negotiation", "won", "lost"} {
		assert.Positive(t, q("SELECT COUNT(*) FROM opportunities WHERE stage = {:s} AND partner != ''", dbx.Params{"s": st}), "partner stage %s", st)
		assert.Positive(t, q("SELECT COUNT(*) FROM opportunities WHERE stage = {:s} AND partner = ''", dbx.Params{"s": st}), "direct stage %s", st)
	}
	assert.Positive(t, q("SELECT COUNT(*) FROM opportunities WHERE lead != ''"), "opened from a lead")
	// registrations pending, approved (protected), rejected, and one in conflict
	for _, st := range []string{"pending", "approved", "rejected"} {
		assert.Positive(t, q("SELECT COUNT(*) FROM opportunities WHERE registration_status = {:s}", dbx.Params{"s": st}), "registration %s", st)
	}
	assert.Positive(t, q("SELECT COUNT(*) FROM opportunities WHERE registration_status = 'approved' AND protected_until > {:now}", dbx.Params{"now": time.Now().UTC().Format("2006-01-02")}))
	assert.Positive(t, q("SELECT COUNT(*) FROM opportunities WHERE registration_status = 'pending' AND conflict_kind = 'lead'"), "a registration in conflict")
	// documents with files, for every audience
	assert.Equal(t, sum.Documents, count(t, app, "documents"))
	for _, aud := range []string{"internal", "all_partners", "tiers", "kinds"} {
		assert.Positive(t, q("SELECT COUNT(*) FROM documents WHERE audience = {:a} AND file != ''", dbx.Params{"a": aud}), aud)
	}
	// governance: requests in every state, running grants, an open review
	for _, st := range []string{"pending", "approved", "rejected"} {
		assert.Positive(t, q("SELECT COUNT(*) FROM access_requests WHERE status = {:s}", dbx.Params{"s": st}), "request %s", st)
	}
	assert.Equal(t, sum.Grants, q("SELECT COUNT(*) FROM grants WHERE starts <= {:now} AND expires > {:now}", dbx.Params{"now": anchor.UTC().Format("2006-01-02 15:04:05.000Z")}))
	assert.Equal(t, 1, q("SELECT COUNT(*) FROM access_reviews WHERE status = 'open'"))
	assert.Positive(t, q("SELECT COUNT(*) FROM access_review_items WHERE decision != ''"))
	assert.Positive(t, q("SELECT COUNT(*) FROM access_review_items WHERE decision = ''"), "the campaign is still open")
	// unread notifications for the demo logins
	admin, err := app.FindAuthRecordByEmail("users", "admin@demo.test")
	require.NoError(t, err)
	assert.Positive(t, q("SELECT COUNT(*) FROM notifications WHERE user = {:u} AND read = 0", dbx.Params{"u": admin.Id}), "the admin's, unread")
	for _, e := range []string{"manager@demo.test", "manager.ouest@demo.test", "teleop@demo.test", "installer001@demo.test", "installer001.sales@demo.test"} {
		u, err := app.FindAuthRecordByEmail("users", e)
		require.NoError(t, err)
		assert.Positive(t, q("SELECT COUNT(*) FROM notifications WHERE user = {:u} AND read = 0", dbx.Params{"u": u.Id}), e)
	}
	// held conflicts of every kind, the west's manager's, with shared keys
	ouest, err := app.FindAuthRecordByEmail("users", "manager.ouest@demo.test")
	require.NoError(t, err)
	west := "'" + strings.Join(ouest.GetStringSlice("territories"), "','") + "'"
	for _, kind := range []string{"lead", "account", "registration"} {
		assert.Positive(t, q("SELECT COUNT(*) FROM leads WHERE held = 1 AND conflict_kind = {:k} AND territory IN ("+west+")",
			dbx.Params{"k": kind}), "a held %s conflict in the west", kind)
	}
	assert.Zero(t, q("SELECT COUNT(*) FROM leads l WHERE l.held = 1 AND NOT EXISTS (SELECT 1 FROM dedup_keys a JOIN dedup_keys b ON a.key = b.key WHERE a.record = l.id AND b.record = l.conflict_ref)"),
		"every held lead shares a key with the record it matched")
	// an audit history with a verifiable chain
	for _, action := range []string{"registration.submit", "registration.approve", "registration.reject", "grants.create", "access_requests.approve",
		"access_requests.reject", "access_reviews.open", "access_review_items.decide"} {
		assert.Positive(t, q("SELECT COUNT(*) FROM audit_log WHERE action = {:a}", dbx.Params{"a": action}), action)
	}
	rep, err := audit.Verify(app, 500, nil)
	require.NoError(t, err)
	assert.Nil(t, rep.Break, "%+v", rep)
	assert.Greater(t, rep.Count, 10)
}
