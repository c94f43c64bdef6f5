package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/internal/testapp"
)

// superuserClient returns a client on a fresh app and a superuser's token.
func superuserClient(t *testing.T) (core.App, *testapp.Client, *core.Record, string) {
	t.Helper()
	app := testapp.New(t, "")
	su := core.NewRecord(govCollection(t, app, core.CollectionNameSuperusers))
	su.SetEmail("root@guard.test")
	su.SetPassword("root-password-1")
	require.NoError(t, app.Save(su))
	return app, testapp.NewClient(t, app), su, testapp.Token(t, app, su)
}

// collectionJSON is a collection as the API returns it (what `/_/` edits).
func collectionJSON(t *testing.T, c *testapp.Client, token, name string) map[string]any {
	t.Helper()
	res := c.Do(http.MethodGet, "/api/collections/"+name, token, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	out := map[string]any{}
	res.JSON(t, &out)
	return out
}

// schemaSnapshot is everything of a collection except its timestamps.
func schemaSnapshot(t *testing.T, app core.App, name string) string {
	t.Helper()
	c, err := app.FindCollectionByNameOrId(name)
	require.NoError(t, err, name)
	raw, err := json.Marshal(c)
	require.NoError(t, err)
	doc := map[string]any{}
	require.NoError(t, json.Unmarshal(raw, &doc))
	delete(doc, "updated")
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return string(out)
}

func rowCount(t *testing.T, app core.App, table string) int {
	t.Helper()
	var n int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM "+table).Row(&n))
	return n
}

// lastUserField is the last field of a collection that is not a system one
// (the one the tests drop or change).
func lastUserField(t *testing.T, fields []any) (int, map[string]any) {
	t.Helper()
	for i := len(fields) - 1; i >= 0; i-- {
		f := fields[i].(map[string]any)
		if sys, _ := f["system"].(bool); !sys {
			return i, f
		}
	}
	t.Fatal("no user field")
	return 0, nil
}

// The governed set is generated from what the policy compiles, plus the
// internal collections; every non-system collection the migrations create
// is in it (a new collection cannot be forgotten).
func TestGovernedCollectionsCoverTheSchema(t *testing.T) {
	app := testapp.New(t, "")
	governed := governance.GovernedCollections()
	compiled, err := access.CompileCurrent(app)
	require.NoError(t, err)
	for name := range compiled {
		assert.Contains(t, governed, name)
	}
	for _, name := range []string{"audit_log", "permissions", "roles", "leads", "users"} {
		assert.Contains(t, governed, name)
	}
	cols, err := app.FindAllCollections()
	require.NoError(t, err)
	for _, c := range cols {
		if !c.System {
			assert.Contains(t, governed, c.Name, "collection %s is created by Relais but not governed", c.Name)
		}
	}
}

// A superuser cannot, through the API (`/_/`), change the rules or the
// schema of any governed collection, delete it, truncate it, or do any of
// this through an import. Each attempt answers 400 with a message naming
// the way (the permission matrix, migrations), leaves the collection as it
// was and writes one collection.denied entry.
func TestGovernedCollectionsRefuseAPIChanges(t *testing.T) {
	app, c, su, tok := superuserClient(t)
	// records in a few governed collections, so that a truncation would show
	leads := govCollection(t, app, "leads")
	lead := core.NewRecord(leads)
	lead.Set("company", "Guard SARL")
	lead.Set("status", "new")
	require.NoError(t, app.Save(lead))
	require.NoError(t, audit.Append(app, audit.SystemActor("test"), "test.action", "leads", lead.Id, nil))

	all, err := app.FindAllCollections()
	require.NoError(t, err)

	for _, name := range governance.GovernedCollections() {
		t.Run(name, func(t *testing.T) {
			before := schemaSnapshot(t, app, name)
			rows := rowCount(t, app, name)
			head := auditHead(t, app)
			orig := collectionJSON(t, c, tok, name)

			type attempt struct {
				label, method, path string
				body                any
				want                string // in the message
			}
			var attempts []attempt
			patch := func(label string, body map[string]any, want string) {
				attempts = append(attempts, attempt{label, http.MethodPatch, "/api/collections/" + name, body, want})
			}
			rules := []string{"listRule", "viewRule", "createRule", "updateRule", "deleteRule"}
			if orig["type"] == core.CollectionTypeAuth {
				rules = append(rules, "authRule", "manageRule")
			}
			for _, r := range rules {
				patch("rule "+r, map[string]any{r: "id != 'guard'"}, "permission matrix")
			}
			// to nil (superusers only) or to "" (everyone) is a change too
			for _, r := range rules {
				if orig[r] == nil {
					patch("rule "+r+" opened", map[string]any{r: ""}, "permission matrix")
				} else {
					patch("rule "+r+" closed", map[string]any{r: nil}, "permission matrix")
				}
			}
			fields := orig["fields"].([]any)
			i, f := lastUserField(t, fields)
			dropped := slices.Delete(slices.Clone(fields), i, i+1)
			patch("drop field", map[string]any{"fields": dropped}, "governed by Relais")
			added := append(slices.Clone(fields), map[string]any{"name": "guard_extra", "type": "text"})
			patch("add field", map[string]any{"fields": added}, "governed by Relais")
			changed := slices.Clone(fields)
			g := map[string]any{}
			for k, v := range f {
				g[k] = v
			}
			hidden, _ := f["hidden"].(bool)
			g["hidden"] = !hidden
			changed[i] = g
			patch("field hidden flag", map[string]any{"fields": changed}, "governed by Relais")
			indexes, _ := orig["indexes"].([]any)
			patch("add index", map[string]any{"indexes": append(slices.Clone(indexes), fmt.Sprintf("CREATE INDEX `idx_guard_%s` ON `%s` (`id`)", name, name))}, "governed by Relais")
			if len(indexes) > 0 {
				patch("drop indexes", map[string]any{"indexes": []any{}}, "governed by Relais")
			}
			patch("rename", map[string]any{"name": name + "_renamed"}, "governed by Relais")
			other := core.CollectionTypeBase
			if orig["type"] == core.CollectionTypeBase {
				other = core.CollectionTypeAuth
			}
			patch("type", map[string]any{"type": other}, "governed by Relais")
			attempts = append(attempts,
				attempt{"delete", http.MethodDelete, "/api/collections/" + name, nil, "cannot be deleted"},
				attempt{"truncate", http.MethodDelete, "/api/collections/" + name + "/truncate", nil, "cannot be truncated"})

			// imports: a changed rule (deleteMissing off), and the whole
			// schema but this collection (deleteMissing on: it would be dropped)
			imported := map[string]any{}
			for k, v := range orig {
				imported[k] = v
			}
			imported["listRule"] = "id != 'import'"
			attempts = append(attempts, attempt{"import changed rule", http.MethodPut, "/api/collections/import",
				map[string]any{"collections": []any{imported}, "deleteMissing": false}, "permission matrix"})
			var rest []any
			for _, other := range all {
				if other.Name != name {
					rest = append(rest, other)
				}
			}
			attempts = append(attempts, attempt{"import without it", http.MethodPut, "/api/collections/import",
				map[string]any{"collections": rest, "deleteMissing": true}, "cannot be deleted"})

			for _, a := range attempts {
				res := c.Do(a.method, a.path, tok, a.body)
				require.Equal(t, http.StatusBadRequest, res.Status, "%s: %.300s", a.label, res.Body)
				assert.Contains(t, res.Body, a.want, a.label)
				assert.Contains(t, res.Body, name, a.label)
			}

			assert.Equal(t, before, schemaSnapshot(t, app, name), "the collection is unchanged")
			assert.Equal(t, rows, rowCount(t, app, name)-countSince(t, app, name, head), "no record removed")
			denied := entriesOf(t, app, head, governance.ActionCollectionDenied)
			require.Len(t, denied, len(attempts), "one collection.denied entry per attempt")
			for _, e := range denied {
				requireEntryFields(t, e, su.Id, "superuser", "", "collections", name)
			}
			// the entry of the dropped field names it
			var drop map[string]any
			for _, e := range denied {
				ch := changesOf(t, e)
				if fc, ok := ch["fields"].(map[string]any); ok && fc["removed"] != nil {
					drop = ch
				}
			}
			require.NotNil(t, drop, "the field drop is audited with the field")
			assert.Equal(t, "update", drop["operation"])
			assert.Equal(t, []any{f["name"]}, drop["fields"].(map[string]any)["removed"])
			assert.Empty(t, entriesOf(t, app, head, governance.ActionCollectionUpdate))
			assert.Empty(t, entriesOf(t, app, head, governance.ActionCollectionDelete))
			assert.Empty(t, entriesOf(t, app, head, governance.ActionCollectionTruncate))
			assert.Empty(t, entriesOf(t, app, head, governance.ActionCollectionsImport))
		})
	}
	// the audit log and the leads still hold their rows
	assert.Positive(t, rowCount(t, app, "leads"))
	drift, err := access.Drift(app)
	require.NoError(t, err)
	assert.Empty(t, drift)
}

// countSince is the number of rows a table gained after the audit head
// (the audit log grows with the denials themselves).
func countSince(t *testing.T, app core.App, table string, head int) int {
	t.Helper()
	if table != "audit_log" {
		return 0
	}
	return len(auditSince(t, app, head))
}

// What is not governed stays a superuser's: a collection of their own can
// be created, changed (rules and fields), imported, truncated and deleted
// through the API, each change audited with the keys it touched; a
// governed collection's non-schema options (here users' auth alert) can be
// changed too, sending back the whole collection as `/_/` does.
func TestSuperuserCollectionsStayEditable(t *testing.T) {
	app, c, su, tok := superuserClient(t)
	head := auditHead(t, app)

	res := c.Do(http.MethodPost, "/api/collections", tok, map[string]any{
		"name": "su_notes", "type": "base", "fields": []any{map[string]any{"name": "title", "type": "text"}},
	})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	e := onlyEntry(t, app, head, governance.ActionCollectionCreate)
	requireEntryFields(t, e, su.Id, "superuser", "", "collections", "su_notes")
	assert.Equal(t, []any{"su_notes"}, changesOf(t, e)["created"])

	head = auditHead(t, app)
	notes := collectionJSON(t, c, tok, "su_notes")
	notes["fields"] = append(notes["fields"].([]any), map[string]any{"name": "body", "type": "text"})
	notes["listRule"] = "@request.auth.id != ''"
	res = c.Do(http.MethodPatch, "/api/collections/su_notes", tok, notes)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	e = onlyEntry(t, app, head, governance.ActionCollectionUpdate)
	assert.Equal(t, map[string]any{"su_notes": []any{"fields", "listRule"}}, changesOf(t, e)["updated"])

	head = auditHead(t, app)
	notes = collectionJSON(t, c, tok, "su_notes")
	notes["viewRule"] = "@request.auth.id != ''"
	res = c.Do(http.MethodPut, "/api/collections/import", tok, map[string]any{"collections": []any{notes}})
	require.Equal(t, http.StatusNoContent, res.Status, res.Body)
	e = onlyEntry(t, app, head, governance.ActionCollectionsImport)
	assert.Equal(t, map[string]any{"su_notes": []any{"viewRule"}}, changesOf(t, e)["updated"])

	col := govCollection(t, app, "su_notes")
	for range 3 {
		r := core.NewRecord(col)
		r.Set("title", "note")
		require.NoError(t, app.Save(r))
	}
	head = auditHead(t, app)
	res = c.Do(http.MethodDelete, "/api/collections/su_notes/truncate", tok, nil)
	require.Equal(t, http.StatusNoContent, res.Status, res.Body)
	assert.Zero(t, rowCount(t, app, "su_notes"))
	e = onlyEntry(t, app, head, governance.ActionCollectionTruncate)
	requireEntryFields(t, e, su.Id, "superuser", "", "collections", "su_notes")

	head = auditHead(t, app)
	res = c.Do(http.MethodDelete, "/api/collections/su_notes", tok, nil)
	require.Equal(t, http.StatusNoContent, res.Status, res.Body)
	e = onlyEntry(t, app, head, governance.ActionCollectionDelete)
	assert.Equal(t, []any{"su_notes"}, changesOf(t, e)["deleted"])

	// users: the whole collection sent back with one auth option changed
	head = auditHead(t, app)
	users := collectionJSON(t, c, tok, "users")
	alert := users["authAlert"].(map[string]any)
	alert["enabled"] = !alert["enabled"].(bool)
	res = c.Do(http.MethodPatch, "/api/collections/users", tok, users)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	e = onlyEntry(t, app, head, governance.ActionCollectionUpdate)
	assert.Equal(t, map[string]any{"users": []any{"authAlert"}}, changesOf(t, e)["updated"])
	assert.NotContains(t, e.GetString("changes"), "secret", "option values (token secrets) never enter the log")

	// guests and users never reach the guard (PocketBase answers first)
	res = c.Do(http.MethodDelete, "/api/collections/leads/truncate", "", nil)
	assert.Equal(t, http.StatusUnauthorized, res.Status, res.Body)
	assert.Empty(t, entriesOf(t, app, head, governance.ActionCollectionDenied))
}

// Changes of PocketBase's settings through the API (`/_/` → Settings) are
// audited in the same transaction: which keys changed, the values of the
// harmless ones, never a password or a secret.
func TestSettingsChangesAudited(t *testing.T) {
	app, c, su, tok := superuserClient(t)
	head := auditHead(t, app)
	res := c.Do(http.MethodPatch, "/api/settings", tok, map[string]any{
		"smtp": map[string]any{"enabled": true, "host": "smtp.guard.test", "port": 587,
			"username": "mailer-account", "password": "smtp-pa55word-canary"},
		"s3":           map[string]any{"accessKey": "s3-access-canary", "secret": "s3-secret-canary"},
		"backups":      map[string]any{"cron": "30 2 * * *", "s3": map[string]any{"secret": "backup-secret-canary"}},
		"trustedProxy": map[string]any{"headers": []string{"X-Forwarded-For"}},
		"logs":         map[string]any{"maxDays": 9},
	})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	e := onlyEntry(t, app, head, audit.ActionSettingsUpdate)
	requireEntryFields(t, e, su.Id, "superuser", "", "settings", "")
	ch := changesOf(t, e)
	for _, k := range []string{"smtp.password", "smtp.username", "s3.accessKey", "s3.secret", "backups.s3.secret"} {
		assert.Equal(t, "(changed)", ch[k], k)
	}
	assert.Equal(t, "smtp.guard.test", ch["smtp.host"].(map[string]any)["to"])
	assert.Equal(t, float64(9), ch["logs.maxDays"].(map[string]any)["to"])
	assert.Equal(t, []any{"X-Forwarded-For"}, ch["trustedProxy.headers"].(map[string]any)["to"])
	assert.Equal(t, "30 2 * * *", ch["backups.cron"].(map[string]any)["to"])
	keys := make([]string, 0, len(ch))
	for k := range ch {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	assert.NotContains(t, keys, "meta.appName", "unchanged keys are not listed: %v", keys)
	var raw string
	require.NoError(t, app.DB().NewQuery("SELECT changes FROM audit_log WHERE seq > {:s}").Bind(map[string]any{"s": head}).Row(&raw))
	for _, secret := range []string{"canary", "mailer-account"} {
		assert.NotContains(t, raw, secret)
	}
	// the settings were stored
	assert.Equal(t, "smtp.guard.test", app.Settings().SMTP.Host)
	assert.Equal(t, []string{"X-Forwarded-For"}, app.Settings().TrustedProxy.Headers)

	// a refused settings change writes nothing
	head = auditHead(t, app)
	res = c.Do(http.MethodPatch, "/api/settings", tok, map[string]any{"meta": map[string]any{"appURL": "not a url"}})
	require.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.Empty(t, auditSince(t, app, head))
}
