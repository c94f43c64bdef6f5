package hooks_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/groupcommit"
)

// holdWriter occupies the group committer of app until the returned
// release is called, so that the writes sent meanwhile queue and are
// committed as one group.
func holdWriter(t *testing.T, app core.App) (release func(), done <-chan error) {
	t.Helper()
	started := make(chan struct{})
	ch := make(chan struct{})
	out := make(chan error, 1)
	go func() {
		out <- groupcommit.For(app).Run(func(core.App) error {
			close(started)
			<-ch
			return nil
		})
	}()
	<-started
	return func() { close(ch) }, out
}

// waitQueued waits until n writes wait for the writer.
func waitQueued(t *testing.T, app core.App, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for groupcommit.For(app).Queued() < n {
		require.True(t, time.Now().Before(deadline), "%d writes queued of %d", groupcommit.For(app).Queued(), n)
		time.Sleep(2 * time.Millisecond)
	}
}

// Single ingests committed in one group: each valid lead is created with
// its contact, duplicate keys and audit entry; an invalid one gets its 400
// alone; two sends of one source_ref in the same group make one lead (the
// second is answered as a replay).
func TestGroupedIngestsFailAlone(t *testing.T) {
	w, _ := distWorld(t)
	tok := w.tokens["integration"]
	bodies := []map[string]any{}
	for i := range 5 {
		b := ingestBody(fmt.Sprintf("GRP-I%d", i))
		b["company"] = fmt.Sprintf("Grouped %d", i)
		b["contact"] = map[string]any{"last_name": "Groupe", "email": fmt.Sprintf("g%d@grouped.fr", i)}
		bodies = append(bodies, b)
	}
	bodies[2]["campaign"] = "nonexistent0000" // refused in the transaction (unknown relation)
	bodies = append(bodies, bodies[4])        // the same source_ref again
	before := groupcommit.For(w.app).Stats()
	release, held := holdWriter(t, w.app)
	statuses := make([]int, len(bodies))
	ids := make([]string, len(bodies))
	var wg sync.WaitGroup
	for i, b := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, b)
			statuses[i] = res.Status
			var out struct {
				ID string `json:"id"`
			}
			if res.Status < 300 {
				res.JSON(t, &out)
			}
			ids[i] = out.ID
		}()
	}
	waitQueued(t, w.app, len(bodies))
	release()
	wg.Wait()
	require.NoError(t, <-held)

	assert.Equal(t, http.StatusBadRequest, statuses[2], "the lead with an unknown campaign")
	for _, i := range []int{0, 1, 3} {
		assert.Equal(t, http.StatusCreated, statuses[i], "lead %d", i)
	}
	assert.ElementsMatch(t, []int{http.StatusCreated, http.StatusOK}, []int{statuses[4], statuses[5]}, "one creation and one replay")
	assert.Equal(t, ids[4], ids[5])
	for _, i := range []int{0, 1, 3, 4} {
		assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref = {:r}", dbx.Params{"r": bodies[i]["source_ref"]}), "lead %d", i)
		assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_contacts WHERE lead = {:l}", dbx.Params{"l": ids[i]}), "contact %d", i)
		assert.Positive(t, countRows(t, w, "SELECT COUNT(*) FROM dedup_keys WHERE record = {:l}", dbx.Params{"l": ids[i]}), "keys %d", i)
		assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'lead.ingest' AND record = {:l}", dbx.Params{"l": ids[i]}), "audit %d", i)
	}
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref = 'GRP-I2'", nil))
	st := groupcommit.For(w.app).Stats()
	assert.Positive(t, st.Grouped-before.Grouped)
	rep, err := audit.Verify(w.app, 0, nil)
	require.NoError(t, err)
	assert.Nil(t, rep.Break)
	requireRollupsExact(t, w.app, "grouped ingests")
}
