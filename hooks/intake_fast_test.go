package hooks_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/migrations"
)

// The idempotency query Ingest really runs uses the partial (source,
// source_ref) index.
func TestSourceRefLookupQueryUsesTheIndex(t *testing.T) {
	w := newWorld(t)
	rows := []struct {
		Detail string `db:"detail"`
	}{}
	require.NoError(t, w.app.DB().NewQuery("EXPLAIN QUERY PLAN "+intake.SourceRefLookup).
		Bind(dbx.Params{"s": "api", "r": "X", "c": w.uid("integration")}).All(&rows))
	var plan []string
	for _, r := range rows {
		plan = append(plan, r.Detail)
	}
	assert.Contains(t, strings.Join(plan, "\n"), "idx_leads_source_ref")
	assert.NotContains(t, strings.Join(plan, "\n"), "SCAN leads")
}

type keyRow struct {
	ID      string `db:"id"`
	Key     string `db:"key"`
	Kind    string `db:"kind"`
	Record  string `db:"record"`
	Partner string `db:"partner"`
	Created string `db:"created"`
	Updated string `db:"updated"`
}

func keyRows(t *testing.T, w *world, record string) []keyRow {
	t.Helper()
	rows := []keyRow{}
	require.NoError(t, w.app.DB().NewQuery("SELECT id, key, kind, record, partner, created, updated FROM dedup_keys WHERE record = {:r} ORDER BY key").
		Bind(dbx.Params{"r": record}).All(&rows))
	return rows
}

// The multi-row INSERT of an ingested lead's keys writes rows in the format
// of a PocketBase Save (the path keys with a partner still take), readable
// as records; a key the collection's validation refuses still fails with
// Save's error like before.
func TestSaveKeysWritesRowsLikeSave(t *testing.T) {
	w := newWorld(t)
	keys := []string{"email:a@b.fr", "phone:+33299123456", "company:fournil|35000"}
	require.NoError(t, intake.SaveKeys(w.app, "lead", "leadrecord00001", "", keys))
	require.NoError(t, intake.SaveKeys(w.app, "account", "accountrecord01", w.P1, keys)) // Save path
	fast, saved := keyRows(t, w, "leadrecord00001"), keyRows(t, w, "accountrecord01")
	require.Len(t, fast, 3)
	require.Len(t, saved, 3)
	idRe := regexp.MustCompile(`^[a-z0-9]{15}$`)
	for i := range fast {
		f, s := fast[i], saved[i]
		assert.Regexp(t, idRe, f.ID)
		assert.Equal(t, s.Key, f.Key)
		assert.Equal(t, "lead", f.Kind)
		assert.Equal(t, "", f.Partner)
		assert.Equal(t, w.P1, s.Partner)
		assert.Len(t, f.Created, len(s.Created), "created %q vs Save's %q", f.Created, s.Created)
		assert.Equal(t, f.Created, f.Updated)
		fd, err := types.ParseDateTime(f.Created)
		require.NoError(t, err)
		assert.Equal(t, f.Created, fd.String(), "stored like a DateTime")
		rec, err := w.app.FindRecordById("dedup_keys", f.ID)
		require.NoError(t, err)
		assert.Equal(t, f.Key, rec.GetString("key"))
		assert.False(t, rec.GetDateTime("created").IsZero())
	}
	assert.NotEqual(t, fast[0].ID, fast[1].ID)

	long := "company:" + strings.Repeat("et ", 120) + "|35000" // over the field's 300 characters
	err := intake.SaveKeys(w.app, "lead", "leadrecord00002", "", []string{"email:c@d.fr", long})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "key", "Save's validation error")
	// the Save path, as before, writes key by key (Ingest rolls back)
	assert.Len(t, keyRows(t, w, "leadrecord00002"), 1)
}

// Ingest sees territory changes at once (the territory list is cached in
// memory and reset on every change), and ResetCaches drops it after raw SQL.
func TestIngestTerritoryCacheFollowsChanges(t *testing.T) {
	w := newWorld(t)
	tok := w.tokens["integration"]
	territoryOf := func(ref string) string {
		t.Helper()
		res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, ingestBody(ref))
		require.Equal(t, http.StatusCreated, res.Status, res.Body)
		lead, err := w.app.FindFirstRecordByData("leads", "source_ref", ref)
		require.NoError(t, err)
		return lead.GetString("territory")
	}
	assert.Equal(t, w.T1, territoryOf("TC-1"))
	assert.Equal(t, w.T1, territoryOf("TC-2")) // from the cache

	// a more specific territory created through PocketBase wins at once
	t3 := w.mk("territories", map[string]any{"name": "Ille-et-Vilaine", "code": "T3", "kind": "department", "departments": []string{"35"}})
	assert.Equal(t, t3.Id, territoryOf("TC-3"))
	// updated: no longer covers 35
	t3.Set("departments", []string{"56"})
	require.NoError(t, w.app.Save(t3))
	assert.Equal(t, w.T1, territoryOf("TC-4"))
	// T1 changed by raw SQL: no longer covers 35
	t1, err := w.app.FindRecordById("territories", w.T1)
	require.NoError(t, err)
	_, err = w.app.DB().NewQuery("UPDATE territories SET departments = '[\"29\"]' WHERE id = {:id}").Bind(dbx.Params{"id": t1.Id}).Execute()
	require.NoError(t, err)
	// raw SQL bypasses the hooks: the cache (which must be in use) still answers T1…
	assert.Equal(t, w.T1, territoryOf("TC-5"), "the territories are not cached")
	// …until ResetCaches
	access.ResetCaches(w.app)
	assert.Equal(t, "", territoryOf("TC-6"))
}

// Inside a transaction NewIntake reads the territories of the transaction
// (not the cache), so a territory created in it is matched.
func TestNewIntakeInTransactionSeesItsOwnTerritories(t *testing.T) {
	w := newWorld(t)
	_, err := intake.NewIntake(w.app) // warm the cache
	require.NoError(t, err)
	err = w.app.RunInTransaction(func(tx core.App) error {
		c, err := tx.FindCollectionByNameOrId("territories")
		require.NoError(t, err)
		r := core.NewRecord(c)
		r.Set("name", "Finistère")
		r.Set("code", "T29")
		r.Set("kind", "department")
		r.Set("departments", []string{"29"})
		require.NoError(t, tx.Save(r))
		it, err := intake.NewIntake(tx)
		require.NoError(t, err)
		res, err := it.Ingest(tx, audit.SystemActor("test"), nil, intake.IngestInput{Company: "Ferme de Kerlann", Source: "import", PostalCode: "29200"})
		require.NoError(t, err)
		assert.Equal(t, r.Id, res.Lead.GetString("territory"))
		return nil
	})
	require.NoError(t, err)
}

// The ingest route has its own rate-limit rule (600 requests in a row from
// one integration are not refused): signed-in callers are counted per
// account by the api package (its rules listed in api/routes.go), and
// PocketBase's stored rules, per address, apply to guests only: the
// general, auth, web-form and batch rules.
func TestIngestRateLimitRule(t *testing.T) {
	w := newWorld(t)
	rl := w.app.Settings().RateLimits
	find := func(labels ...string) core.RateLimitRule {
		r, ok := rl.FindRateLimitRule(labels, "", core.RateLimitRuleAudienceGuest)
		require.True(t, ok, labels)
		return r
	}
	for _, labels := range [][]string{
		{migrations.IngestRateLimitLabel, "/api/prm/leads/ingest"},
		{"POST /api/prm/leads/ingest/batch", "/api/prm/leads/ingest/batch"},
		{"GET /api/collections/leads/records", "/api/collections/leads/records"},
	} {
		_, ok := rl.FindRateLimitRule(labels, "", core.RateLimitRuleAudienceAuth)
		assert.False(t, ok, "no per-address rule for signed-in callers: %v", labels)
	}
	assert.Equal(t, "/api/", find("POST /api/prm/leads/ingest", "/api/prm/leads/ingest").Label, "guests keep the general limit")
	web := find("POST /api/prm/webform/k", "/api/prm/webform/k")
	assert.Equal(t, core.RateLimitRule{Label: "POST /api/prm/webform/", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 5, Duration: 60}, web)
	auth := find("users:auth", "*:auth", "POST /api/collections/users/auth-with-password", "/api/collections/users/auth-with-password")
	assert.Equal(t, core.RateLimitRule{Label: "*:auth", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 120, Duration: 60}, auth)
	api := find("GET /api/prm/x", "/api/prm/x")
	assert.Equal(t, core.RateLimitRule{Label: "/api/", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 600, Duration: 10}, api)

	// through the router: 650 quick (invalid) ingests in a row pass the
	// limiter, where the /api/ rule refused the 601st
	w.app.Settings().RateLimits.Enabled = true
	tok := w.tokens["integration"]
	for i := range 650 {
		res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, map[string]any{"company": ""})
		require.Equal(t, http.StatusBadRequest, res.Status, "request %d: %s", i, res.Body)
	}
	// the batch route shares the /api/ bucket, which these did not use up
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest/batch", tok, map[string]any{"leads": []any{}})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
}
