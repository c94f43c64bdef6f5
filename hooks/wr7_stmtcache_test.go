package hooks_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/stmtcache"
)

// The accept's own hot statements (auth generation, session, audit chain
// head, counters and rollup upserts, the creator's webhook endpoint) are
// prepared once on the app's connections and then reused: after a first
// accept, further accepts prepare no statement of the cache and reuse at
// least eight each; the audit chain still verifies and the accepts are
// stored.
func TestAcceptReusesPreparedStatements(t *testing.T) {
	w, _ := distWorld(t)
	n := 0
	accept := func(ref string) {
		n++
		rec := ingestOffered(t, w, ref, []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"}[n]+" Solaire",
			map[string]any{"first_name": "Anne", "last_name": "Ps", "email": fmt.Sprintf("ps%d@ps%d.fr", n, n), "phone": fmt.Sprintf("02990000%02d", n)})
		res := w.client.Do(http.MethodPost, "/api/prm/leads/"+rec.Id+"/accept", assigneeToken(t, w, rec), nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		assert.Equal(t, "accepted", leadRec(t, w, rec.Id).GetString("status"))
	}
	dbs := []*sql.DB{w.app.NonconcurrentDB().(*dbx.DB).DB(), w.app.ConcurrentDB().(*dbx.DB).DB()}
	wait := func() {
		for _, db := range dbs {
			stmtcache.Wait(db)
		}
	}
	// this app's databases only: other tests' apps run at the same time
	snapshot := func() stmtcache.Stats {
		var s stmtcache.Stats
		for _, db := range dbs {
			d := stmtcache.SnapshotOf(db)
			s.Prepares += d.Prepares
			s.Reuses += d.Reuses
		}
		return s
	}
	accept("PS-0")
	accept("PS-1")
	wait()
	before := snapshot()
	for _, ref := range []string{"PS-2", "PS-3", "PS-4"} {
		accept(ref)
	}
	wait()
	after := snapshot()
	assert.Zero(t, after.Prepares-before.Prepares, "no statement of the cache prepared again")
	assert.GreaterOrEqual(t, after.Reuses-before.Reuses, int64(3*8), "reused by each accept")
	rep, err := audit.Verify(w.app, 500, nil)
	require.NoError(t, err)
	assert.Nil(t, rep.Break, "the audit chain verifies")
	assert.Greater(t, rep.Count, 5)
}
