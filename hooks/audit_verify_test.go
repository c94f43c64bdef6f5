package hooks_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/auditchain"
	"github.com/relais/relais/internal/testapp"
)

// chainApp returns an app whose audit log holds n entries (seq 1..n).
func chainApp(t *testing.T, n int) core.App {
	t.Helper()
	app := testapp.New(t, "")
	for i := 1; i <= n; i++ {
		require.NoError(t, audit.Append(app, audit.Actor{ID: fmt.Sprintf("u%d", i), Role: "sales", IP: "192.0.2.1"},
			"test.action", "leads", fmt.Sprintf("rec%d", i), map[string]any{"i": i, "note": "entry"}))
	}
	require.Equal(t, n, auditHead(t, app))
	return app
}

func govExec(t *testing.T, app core.App, sql string, params ...dbx.Params) {
	t.Helper()
	q := app.NonconcurrentDB().NewQuery(sql)
	if len(params) > 0 {
		q.Bind(params[0])
	}
	_, err := q.Execute()
	require.NoError(t, err, sql)
	access.ResetCaches(app) // raw SQL bypasses the hooks that reset them
}

func rowHash(t *testing.T, app core.App, seq int) string {
	t.Helper()
	var h string
	require.NoError(t, app.DB().NewQuery("SELECT hash FROM audit_log WHERE seq = {:s}").Bind(dbx.Params{"s": seq}).Row(&h))
	return h
}

// insertEntry writes an audit row in raw SQL, bypassing every hook.
func insertEntry(t *testing.T, app core.App, seq int, e auditchain.Entry) {
	t.Helper()
	govExec(t, app, `INSERT INTO audit_log (id, seq, at, actor, actor_role, actor_partner, action, resource, record, changes, ip, request_id, prev_hash, hash)
		VALUES ({:id}, {:seq}, {:at}, {:actor}, '', '', {:action}, 'leads', '', {:changes}, '', '', {:prev}, {:hash})`, dbx.Params{
		"id": e.ID, "seq": seq, "at": e.At.UTC().Format("2006-01-02 15:04:05.000Z"), "actor": e.Actor, "action": e.Action,
		"changes": string(e.Changes), "prev": e.PrevHash, "hash": e.Hash,
	})
}

// Every raw-SQL tampering of audit_log — edit, delete, insert, reorder —
// is reported at the right seq by the streaming verifier; only a cut tail
// is invisible to the chain alone (see the --anchor test of the CLI).
func TestAuditVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		tamper   func(t *testing.T, app core.App)
		breakSeq int
		reason   string
	}{
		{"intact", func(t *testing.T, app core.App) {}, 0, ""},
		{"edit the action", func(t *testing.T, app core.App) {
			govExec(t, app, "UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 3")
		}, 3, auditchain.ReasonHash},
		{"edit the changes", func(t *testing.T, app core.App) {
			govExec(t, app, `UPDATE audit_log SET changes = '{"i":3,"note":"forged"}' WHERE seq = 3`)
		}, 3, auditchain.ReasonHash},
		{"edit the time", func(t *testing.T, app core.App) {
			govExec(t, app, "UPDATE audit_log SET at = '2001-01-01 00:00:00.000Z' WHERE seq = 4")
		}, 4, auditchain.ReasonHash},
		{"edit the actor and recompute its hash", func(t *testing.T, app core.App) {
			var r struct {
				ID   string `db:"id"`
				At   string `db:"at"`
				Prev string `db:"prev_hash"`
			}
			require.NoError(t, app.DB().NewQuery("SELECT id, at, prev_hash FROM audit_log WHERE seq = 2").One(&r))
			at, err := time.Parse("2006-01-02 15:04:05.000Z", r.At)
			require.NoError(t, err)
			forged, err := auditchain.Seal(r.Prev, auditchain.Entry{ID: r.ID, At: at, Actor: "someone-else", ActorRole: "sales",
				Action: "test.action", Resource: "leads", Record: "rec2", Changes: json.RawMessage(`{"i":2,"note":"entry"}`), IP: "192.0.2.1"})
			require.NoError(t, err)
			govExec(t, app, "UPDATE audit_log SET actor = 'someone-else', hash = {:h} WHERE seq = 2", dbx.Params{"h": forged.Hash})
		}, 3, auditchain.ReasonPrevHash},
		{"NULL in a column", func(t *testing.T, app core.App) {
			govExec(t, app, "UPDATE audit_log SET changes = NULL WHERE seq = 5")
		}, 5, auditchain.ReasonHash},
		{"delete an entry", func(t *testing.T, app core.App) {
			govExec(t, app, "DELETE FROM audit_log WHERE seq = 3")
		}, 4, auditchain.ReasonPrevHash},
		{"delete the first entry", func(t *testing.T, app core.App) {
			govExec(t, app, "DELETE FROM audit_log WHERE seq = 1")
		}, 2, auditchain.ReasonPrevHash},
		{"insert a forged entry with a random hash", func(t *testing.T, app core.App) {
			govExec(t, app, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3")
			insertEntry(t, app, 3, auditchain.Entry{ID: "forged000000001", At: time.Now(), Actor: "x", Action: "forged",
				Changes: json.RawMessage(`{}`), PrevHash: rowHash(t, app, 2), Hash: auditchain.Genesis})
		}, 3, auditchain.ReasonHash},
		{"insert a well-sealed forged entry", func(t *testing.T, app core.App) {
			govExec(t, app, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3")
			forged, err := auditchain.Seal(rowHash(t, app, 2), auditchain.Entry{ID: "forged000000002", At: time.Now(), Actor: "x",
				Action: "forged", Resource: "leads", Changes: json.RawMessage(`{}`)})
			require.NoError(t, err)
			insertEntry(t, app, 3, forged)
		}, 103, auditchain.ReasonPrevHash},
		{"reorder two entries", func(t *testing.T, app core.App) {
			govExec(t, app, "UPDATE audit_log SET seq = 1000 WHERE seq = 3")
			govExec(t, app, "UPDATE audit_log SET seq = 3 WHERE seq = 4")
			govExec(t, app, "UPDATE audit_log SET seq = 4 WHERE seq = 1000")
		}, 3, auditchain.ReasonPrevHash},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := chainApp(t, 6)
			tc.tamper(t, app)
			for _, batch := range []int{1, 2, 1000} { // batch boundaries change nothing
				rep, err := audit.Verify(app, batch, nil)
				require.NoError(t, err)
				if tc.breakSeq == 0 {
					require.Nil(t, rep.Break)
					assert.Equal(t, 6, rep.Count)
					assert.Equal(t, 6, rep.LastSeq)
					assert.Equal(t, rowHash(t, app, 6), rep.LastHash)
					continue
				}
				require.NotNil(t, rep.Break, "batch %d", batch)
				assert.Equal(t, tc.breakSeq, rep.BreakSeq, "batch %d: %v", batch, rep.Break)
				assert.Equal(t, tc.reason, rep.Break.Reason)
			}
		})
	}

	t.Run("a cut tail is a shorter valid chain", func(t *testing.T) {
		app := chainApp(t, 6)
		govExec(t, app, "DELETE FROM audit_log WHERE seq = 6")
		rep, err := audit.Verify(app, 0, nil)
		require.NoError(t, err)
		assert.Nil(t, rep.Break)
		assert.Equal(t, 5, rep.Count, "only an anchor outside the database shows this (audit verify --anchor)")
	})

	t.Run("the API and Go cannot change or remove entries", func(t *testing.T) {
		app := chainApp(t, 2)
		rec, err := app.FindFirstRecordByFilter("audit_log", "seq = 1")
		require.NoError(t, err)
		rec.Set("action", "forged")
		assert.ErrorIs(t, app.Save(rec), audit.ErrAppendOnly)
		assert.ErrorIs(t, app.Delete(rec), audit.ErrAppendOnly)
	})
}
