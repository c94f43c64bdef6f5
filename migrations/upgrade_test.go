package migrations_test

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/policy"
	// the Relais migrations, as main registers them
	_ "github.com/relais/relais/migrations"
)

// start opens a data dir the way `relais serve` does: the Relais hooks
// bound, then the pending migrations (the start-up step is left to the
// test).
func start(t *testing.T, dir string) *core.BaseApp {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	require.NoError(t, app.Bootstrap())
	t.Cleanup(func() { assert.NoError(t, app.ClearBootstrap()) })
	hooks.Register(app)
	require.NoError(t, app.RunAllMigrations())
	return app
}

// dataDir79d0c6d copies the data dir that Relais 79d0c6d made with its
// migrations only (testdata/79d0c6d/README.md) into a temporary dir.
func dataDir79d0c6d(t *testing.T) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "79d0c6d", "data.db.gz"))
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "pb_data")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	out, err := os.Create(filepath.Join(dir, "data.db"))
	require.NoError(t, err)
	_, err = io.Copy(out, zr)
	require.NoError(t, err)
	require.NoError(t, out.Close())
	return dir
}

// installState is what an install's schema and seed are made of.
type installState struct {
	// Collections is every collection as PocketBase exports it (fields,
	// indexes, the rules, options; secrets and timestamps left out), by name.
	Collections map[string]string
	// Rules are the five rules of every collection (also in Collections;
	// apart for a readable diff), by collection and rule.
	Rules map[string]string
	// Tables are the SQLite schema objects (tables, indexes) and their SQL.
	Tables map[string]string
	// Roles, Permissions and Settings are the seeded rows.
	Roles, Permissions []string
	Settings           string
	// AppSettings are the PocketBase settings the migrations write.
	AppSettings string
	// Migrations are the applied migrations.
	Migrations []string
}

func stateOf(t *testing.T, app core.App) installState {
	t.Helper()
	s := installState{Collections: map[string]string{}, Rules: map[string]string{}, Tables: map[string]string{}}
	cols, err := app.FindAllCollections()
	require.NoError(t, err)
	for _, c := range cols {
		c.Created, c.Updated = types.DateTime{}, types.DateTime{}
		// the order of the indexes means nothing (and 79d0c6d added those of
		// 1763800200 in map order)
		sort.Strings(c.Indexes)
		b, err := json.Marshal(c)
		require.NoError(t, err)
		var v any // indented, for a readable diff
		require.NoError(t, json.Unmarshal(b, &v))
		b, err = json.MarshalIndent(v, "", " ")
		require.NoError(t, err)
		s.Collections[c.Name] = string(b)
		for name, r := range map[string]*string{"list": c.ListRule, "view": c.ViewRule, "create": c.CreateRule, "update": c.UpdateRule, "delete": c.DeleteRule} {
			s.Rules[c.Name+"."+name] = "(superusers only)"
			if r != nil {
				s.Rules[c.Name+"."+name] = strconv.Quote(*r)
			}
		}
	}
	rows, err := app.DB().NewQuery("SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").Rows()
	require.NoError(t, err)
	for rows.Next() {
		var typ, name, sql string
		require.NoError(t, rows.Scan(&typ, &name, &sql))
		s.Tables[typ+" "+name] = sql
	}
	require.NoError(t, rows.Close())
	require.NoError(t, app.DB().NewQuery("SELECT id || ' ' || name || ' ' || kind || ' ' || description FROM roles ORDER BY id").Column(&s.Roles))
	require.NoError(t, app.DB().NewQuery(`SELECT role || ' ' || resource || ' read=' || read || ' update=' || "update" || ' delete=' || "delete" ||
		' create=' || "create" || ' export=' || export FROM permissions ORDER BY role, resource`).Column(&s.Permissions))
	settings, err := app.FindRecordById("settings_prm", access.SettingsID)
	require.NoError(t, err)
	fields := map[string]any{}
	for _, f := range settings.Collection().Fields {
		if f.GetName() != "created" && f.GetName() != "updated" {
			fields[f.GetName()] = settings.Get(f.GetName())
		}
	}
	b, err := json.Marshal(fields)
	require.NoError(t, err)
	s.Settings = string(b)
	ps := app.Settings()
	b, err = json.Marshal(map[string]any{"meta": []string{ps.Meta.AppName, ps.Meta.SenderName, ps.Meta.SenderAddress},
		"batch": ps.Batch.Enabled, "rateLimits": ps.RateLimits,
		"backups": []any{ps.Backups.Cron, ps.Backups.CronMaxKeep}})
	require.NoError(t, err)
	s.AppSettings = string(b)
	require.NoError(t, app.DB().NewQuery("SELECT file FROM _migrations ORDER BY file").Column(&s.Migrations))
	return s
}

// assertSameInstall compares two installs part by part (one diff each).
func assertSameInstall(t *testing.T, want, got installState, msg string) {
	t.Helper()
	assert.Equal(t, want.Rules, got.Rules, "%s: rules", msg)
	assert.ElementsMatch(t, keys(want.Collections), keys(got.Collections), "%s: collections", msg)
	for name, c := range want.Collections {
		assert.Equal(t, c, got.Collections[name], "%s: collection %s", msg, name)
	}
	assert.Equal(t, want.Tables, got.Tables, "%s: SQLite schema", msg)
	assert.Equal(t, want.Roles, got.Roles, "%s: roles", msg)
	assert.Equal(t, want.Permissions, got.Permissions, "%s: permissions", msg)
	assert.Equal(t, want.Settings, got.Settings, "%s: settings_prm", msg)
	assert.Equal(t, want.AppSettings, got.AppSettings, "%s: PocketBase settings", msg)
	assert.Equal(t, want.Migrations, got.Migrations, "%s: applied migrations", msg)
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// driftText is "collection: rules" per drifting collection.
func driftText(rep []access.RuleDrift) []string {
	var out []string
	for _, d := range rep {
		out = append(out, d.Collection+": "+strings.Join(d.Rules, ", "))
	}
	return out
}

func auditEntries(t *testing.T, app core.App) []string {
	t.Helper()
	var out []string
	require.NoError(t, app.DB().NewQuery("SELECT actor || ' ' || action || ' ' || changes FROM audit_log ORDER BY seq").Column(&out))
	return out
}

// A fresh install (an empty data dir: every migration) and an install made
// by Relais 79d0c6d and upgraded (the migrations written since) end, after
// the start-up step, with the same collections, rules, SQLite schema and
// seed rows. The migrations alone already write the rules the compiler
// makes of the matrix they seed, so a fresh install's first start repairs
// no drift and audits nothing; and a second start changes nothing.
func TestFreshAndUpgradedInstallsAgree(t *testing.T) {
	fresh := start(t, filepath.Join(t.TempDir(), "pb_data"))
	upgraded := start(t, dataDir79d0c6d(t))

	drift, err := access.DriftReport(fresh)
	require.NoError(t, err)
	assert.Empty(t, driftText(drift), "the migrations' literal rules are the compiled literal matrix")
	before, err := access.DriftReport(upgraded)
	require.NoError(t, err)
	drifted := driftText(before)

	rf, err := hooks.Reconcile(fresh)
	require.NoError(t, err)
	assert.Empty(t, driftText(rf.Policy), "a fresh install starts without drift")
	assert.Equal(t, []string{hooks.RebuildAccountKeysName, hooks.RebuildAccountPlacesName, hooks.RebuildCountersName, hooks.RebuildRollupsName}, rf.Rebuilt, "what the frozen migrations leave to the start")
	assert.Empty(t, auditEntries(t, fresh), "nothing to audit on a fresh install")

	ru, err := hooks.Reconcile(upgraded)
	require.NoError(t, err)
	// 79d0c6d built its rollups and keys in its migrations; its rollups are
	// rebuilt once, because they summed amounts out of bounds in cents
	// (1763800940_input_bounded_rollups.go), the accounts' places are
	// derived since (1763800920), the distribution counters filled since
	// (1763801130)
	assert.ElementsMatch(t, []string{hooks.RebuildRollupsName, hooks.RebuildAccountPlacesName, hooks.RebuildCountersName}, ru.Rebuilt, "79d0c6d's rollups are rebuilt with bounded amounts, the accounts' places derived")
	assert.Equal(t, drifted, driftText(ru.Policy), "the start-up step repairs exactly the drift the upgrade left")
	if len(drifted) > 0 {
		assert.Len(t, auditEntries(t, upgraded), 1, "one policy.apply entry for the repair")
	} else {
		assert.Empty(t, auditEntries(t, upgraded))
	}

	freshState, upgradedState := stateOf(t, fresh), stateOf(t, upgraded)
	assertSameInstall(t, freshState, upgradedState, "fresh vs upgraded from 79d0c6d")
	assert.NotContains(t, freshState.Tables, "table relais_rebuild", "no rebuild waits after the start")

	// the seeded matrix is today's default matrix (the authorization
	// tests and the compiler's tests rely on it)
	m, err := access.LoadMatrix(fresh)
	require.NoError(t, err)
	want := policy.DefaultMatrix()
	sort.Slice(want.Roles, func(i, j int) bool { return want.Roles[i].ID < want.Roles[j].ID })
	assert.Equal(t, want.Roles, m.Roles)
	assert.ElementsMatch(t, want.Cells, m.Cells)

	// a second start changes nothing and audits nothing
	for name, app := range map[string]*core.BaseApp{"fresh": fresh, "upgraded": upgraded} {
		head := auditEntries(t, app)
		again, err := hooks.Reconcile(app)
		require.NoError(t, err)
		assert.False(t, again.Changed(), "%s: second start: %+v", name, again)
		assert.Equal(t, head, auditEntries(t, app), name)
	}
	assertSameInstall(t, freshState, stateOf(t, fresh), "fresh, second start")
	assertSameInstall(t, upgradedState, stateOf(t, upgraded), "upgraded, second start")
}

// Migrations are frozen: they import nothing of Relais (no policy
// compiler, no rollup builder, no domain function), only PocketBase and
// the standard library.
func TestMigrationsImportNoRelaisCode(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range parsed.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			assert.False(t, strings.HasPrefix(path, "github.com/relais/"), "%s imports %s", f, path)
		}
		checked++
	}
	assert.Greater(t, checked, 10, fmt.Sprint("migration files checked: ", checked))
}
