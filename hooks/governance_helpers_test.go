package hooks_test

import (
	"encoding/json"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// auditHead returns the seq of the last audit entry (0 when empty).
func auditHead(t testing.TB, app core.App) int {
	t.Helper()
	var seq int
	require.NoError(t, app.DB().NewQuery("SELECT COALESCE(MAX(seq), 0) FROM audit_log").Row(&seq))
	return seq
}

// auditSince returns the audit entries written after seq, oldest first.
func auditSince(t testing.TB, app core.App, seq int) []*core.Record {
	t.Helper()
	recs, err := app.FindRecordsByFilter("audit_log", "seq > {:s}", "seq", 0, 0, dbx.Params{"s": seq})
	require.NoError(t, err)
	return recs
}

// onlyEntry asserts that exactly one entry was written after seq and
// returns it.
func onlyEntry(t testing.TB, app core.App, seq int, action string) *core.Record {
	t.Helper()
	got := auditSince(t, app, seq)
	var actions []string
	for _, r := range got {
		actions = append(actions, r.GetString("action"))
	}
	require.Equal(t, []string{action}, actions, "exactly one audit entry")
	return got[0]
}

// changesOf decodes the changes of an audit entry.
func changesOf(t testing.TB, r *core.Record) map[string]any {
	t.Helper()
	out := map[string]any{}
	require.NoError(t, json.Unmarshal([]byte(r.GetString("changes")), &out))
	return out
}

// requireEntryFields checks the fields every entry carries.
func requireEntryFields(t testing.TB, r *core.Record, actor, role, partner, resource, record string) {
	t.Helper()
	require.False(t, r.GetDateTime("at").IsZero(), "at")
	require.Equal(t, actor, r.GetString("actor"), "actor")
	require.Equal(t, role, r.GetString("actor_role"), "actor_role")
	require.Equal(t, partner, r.GetString("actor_partner"), "actor_partner")
	require.Equal(t, resource, r.GetString("resource"), "resource")
	require.Equal(t, record, r.GetString("record"), "record")
	require.Len(t, r.GetString("hash"), 64, "hash")
	require.Len(t, r.GetString("prev_hash"), 64, "prev_hash")
}

// entriesOf returns the entries with an action written after seq.
func entriesOf(t testing.TB, app core.App, seq int, action string) []*core.Record {
	t.Helper()
	var out []*core.Record
	for _, r := range auditSince(t, app, seq) {
		if r.GetString("action") == action {
			out = append(out, r)
		}
	}
	return out
}
