package hooks_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/groupcommit"
	"github.com/relais/relais/hooks/writerhold"
)

// Accepts grouped in one transaction (distribution.AcceptBatch) keep
// every guarantee of an accept alone: while the writer is held, three
// accepts and a second accept of the same lead queue; they commit in one
// group, the three leads are accepted, the repeated accept gets the
// conflict alone (its savepoint rolled back, the group kept), and the
// counters, the rollups and the audit chain stay exact.
func TestGroupedAcceptsStayExact(t *testing.T) {
	w, _ := distWorld(t)
	app := w.app
	var leads []*core.Record
	for i, name := range []string{"Alpha", "Bravo", "Charlie"} {
		leads = append(leads, ingestOffered(t, w, fmt.Sprintf("GA-%d", i), name+" Solaire",
			map[string]any{"first_name": "Anne", "last_name": "Ga", "email": fmt.Sprintf("ga%d@ga%d.fr", i, i), "phone": fmt.Sprintf("029911000%d", i)}))
	}
	by := func(l *core.Record) access.By {
		u, err := app.FindRecordById("users", l.GetString("assignee"))
		require.NoError(t, err)
		return access.ByUser(u)
	}
	distribution.AcceptBatch.Store(8)
	defer distribution.AcceptBatch.Store(0)
	g := groupcommit.Named(app, "accept8", 8, writerhold.Accept)

	// hold the writer until the accepts queue
	held, release := make(chan struct{}), make(chan struct{})
	holdErr := make(chan error, 1)
	go func() {
		holdErr <- app.RunInTransaction(func(core.App) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	type call struct {
		lead *core.Record
		by   access.By
	}
	calls := []call{{leads[0], by(leads[0])}, {leads[1], by(leads[1])}, {leads[2], by(leads[2])}, {leads[0], by(leads[0])}}
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = distribution.Accept(app, c.by, c.lead.Id, "")
		}()
	}
	// the writer goroutine took the first accept and waits for the
	// connection; the three others queue behind it
	deadline := time.Now().Add(10 * time.Second)
	for g.Queued() < len(calls)-1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	require.Equal(t, len(calls)-1, g.Queued(), "the accepts wait for the writer")
	close(release)
	require.NoError(t, <-holdErr)
	wg.Wait()

	ok, conflicts := 0, 0
	for _, err := range errs {
		var de *domain.Error
		switch {
		case err == nil:
			ok++
		case errors.As(err, &de) && de.Code == "offer_not_pending":
			conflicts++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	assert.Equal(t, 3, ok, "each lead accepted once")
	assert.Equal(t, 1, conflicts, "the repeated accept is refused")
	st := g.Stats()
	assert.Equal(t, 3, st.Grouped, "the three queued accepts committed together")
	assert.Zero(t, st.Retried, "the refused accept failed alone in its savepoint")
	for _, l := range leads {
		got := leadRec(t, w, l.Id)
		assert.Equal(t, "accepted", got.GetString("status"))
		assert.Equal(t, l.GetString("assignee"), got.GetString("assignee"))
	}
	requireCountersExact(t, app, "grouped accepts")
	requireRollupsExact(t, app, "grouped accepts")
	rep, err := audit.Verify(app, 500, nil)
	require.NoError(t, err)
	assert.Nil(t, rep.Break)
	accepts, err := app.CountRecords("audit_log", dbx.HashExp{"action": "offer.accept"})
	require.NoError(t, err)
	assert.Equal(t, int64(3), accepts, "one audit entry per accept, none for the refused one")
}
