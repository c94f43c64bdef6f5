package audit_test

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/internal/testapp"
)

// SetFlag changes the flag and records one entry per change, with the
// field's new value; setting it to its value changes and records nothing;
// an unknown record is an error with no entry; the chain verifies.
func TestSetFlagIsOneAuditedChange(t *testing.T) {
	app := testapp.New(t, "")
	actor := audit.SystemActor("flag-test")
	entries := func() []map[string]any {
		var rows []struct {
			Changes string `db:"changes"`
		}
		require.NoError(t, app.DB().Select("changes").From("audit_log").
			Where(dbx.HashExp{"action": "test.flag"}).OrderBy("seq").All(&rows))
		out := []map[string]any{}
		for _, r := range rows {
			out = append(out, map[string]any{"changes": r.Changes})
		}
		return out
	}
	flag := func() bool {
		r, err := app.FindRecordById("settings_prm", access.SettingsID)
		require.NoError(t, err)
		return r.GetBool("mfa_required")
	}
	require.False(t, flag())
	require.NoError(t, audit.SetFlag(app, actor, "test.flag", "settings_prm", access.SettingsID, "mfa_required", true))
	assert.True(t, flag())
	require.NoError(t, audit.SetFlag(app, actor, "test.flag", "settings_prm", access.SettingsID, "mfa_required", true))
	require.NoError(t, audit.SetFlag(app, actor, "test.flag", "settings_prm", access.SettingsID, "mfa_required", false))
	assert.False(t, flag())
	assert.Error(t, audit.SetFlag(app, actor, "test.flag", "settings_prm", "nosuchrecord000", "mfa_required", true))
	got := entries()
	require.Len(t, got, 2, "one entry per change, none for no change or an error")
	assert.JSONEq(t, `{"mfa_required":true}`, got[0]["changes"].(string))
	assert.JSONEq(t, `{"mfa_required":false}`, got[1]["changes"].(string))
	rep, err := audit.Verify(app, 500, nil)
	require.NoError(t, err)
	assert.Nil(t, rep.Break)
}
