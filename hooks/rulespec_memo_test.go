package hooks_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
)

// The caller's values the per-caller rules remember for one auth record
// follow a change at once when it is saved through PocketBase, and a raw
// SQL write (another process) within the memo's second.
func TestCallerMemoFollowsChangesOfTheCaller(t *testing.T) {
	w := newWorld(t)
	lead := w.lead(leadShape{partner: "P1", territory: "T1", status: "offered"})
	auth := w.users["partner_manager"] // one record, as within one request
	seen := func() bool {
		recs, _, err := access.ListFor(w.app, auth, "leads", access.ListQuery{Where: dbx.HashExp{"leads.id": lead.Id}})
		require.NoError(t, err)
		return len(recs) == 1
	}
	require.True(t, seen(), "the partner manager lists its company's lead")

	p, err := w.app.FindRecordById("partners", w.P1)
	require.NoError(t, err)
	p.Set("status", "suspended")
	require.NoError(t, w.app.Save(p))
	require.False(t, seen(), "a suspended partner's manager lists nothing, at once")

	_, err = w.app.DB().NewQuery("UPDATE partners SET status = 'active' WHERE id = {:id}").Bind(dbx.Params{"id": w.P1}).Execute()
	require.NoError(t, err)
	access.ResetCaches(w.app) // the partner-status cache of the rules' other reads, as raw writers must
	require.Eventually(t, seen, 3*time.Second, 50*time.Millisecond, "a raw write is seen within the memo's second")

	u, err := w.app.FindRecordById("users", auth.Id)
	require.NoError(t, err)
	u.Set("active", false)
	require.NoError(t, w.app.Save(u))
	require.False(t, seen(), "a deactivated account lists nothing, at once")

}
