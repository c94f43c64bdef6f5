package demo_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/demo"
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
	assert.Equal(t, 3600, count(t, a, "lead_contacts"))
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
