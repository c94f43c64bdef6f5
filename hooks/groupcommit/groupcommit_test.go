package groupcommit_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/groupcommit"
	"github.com/relais/relais/internal/testapp"
)

// hookCounts counts, per territory code, the after-commit success and
// error hooks PocketBase ran for a created territory.
type hookCounts struct {
	mu            sync.Mutex
	success, fail map[string]int
}

func (h *hookCounts) get(code string) (int, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.success[code], h.fail[code]
}

func watch(app core.App) *hookCounts {
	h := &hookCounts{success: map[string]int{}, fail: map[string]int{}}
	app.OnRecordAfterCreateSuccess("territories").BindFunc(func(e *core.RecordEvent) error {
		h.mu.Lock()
		h.success[e.Record.GetString("code")]++
		h.mu.Unlock()
		return e.Next()
	})
	app.OnRecordAfterCreateError("territories").BindFunc(func(e *core.RecordErrorEvent) error {
		h.mu.Lock()
		h.fail[e.Record.GetString("code")]++
		h.mu.Unlock()
		return e.Next()
	})
	return h
}

// saveTerritory is a caller's transaction: it saves one territory.
func saveTerritory(code string) func(tx core.App) error {
	return func(tx core.App) error {
		c, err := tx.FindCachedCollectionByNameOrId("territories")
		if err != nil {
			return err
		}
		r := core.NewRecord(c)
		r.Set("name", "T "+code)
		r.Set("code", code)
		r.Set("kind", "region")
		r.Set("departments", []string{"35"})
		return tx.Save(r)
	}
}

func countTerritory(t *testing.T, app core.App, code string) int {
	t.Helper()
	var n int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM territories WHERE code = {:c}").Bind(map[string]any{"c": code}).Row(&n))
	return n
}

// runGroup runs first alone (the writer is busy with it) while the
// others queue, then the others as one group; it returns each caller's
// error (first's at index 0).
func runGroup(t *testing.T, app core.App, first func(tx core.App) error, others []func(tx core.App) error) []error {
	t.Helper()
	g := groupcommit.For(app)
	errs := make([]error, len(others)+1)
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs[0] = g.Run(func(tx core.App) error {
			<-release
			return first(tx)
		})
	}()
	// the writer holds first: the others wait in the queue
	time.Sleep(50 * time.Millisecond)
	for i, f := range others {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i+1] = g.Run(f)
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for g.Queued() < len(others) {
		require.True(t, time.Now().Before(deadline), "the callers did not queue")
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	return errs
}

// Transactions waiting together are committed in one transaction; a
// caller whose transaction fails before writing gets its error alone,
// and the others are stored, each with its after-commit hook run once.
func TestGroupIsolatesAFailureInItsSavepoint(t *testing.T) {
	app := testapp.New(t, "")
	h := watch(app)
	refused := errors.New("refused")
	others := []func(tx core.App) error{saveTerritory("G1"), func(core.App) error { return refused }, saveTerritory("G2"),
		func(core.App) error { panic("boom") }, saveTerritory("G3")}
	before := groupcommit.For(app).Stats()
	errs := runGroup(t, app, saveTerritory("G0"), others)

	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	assert.ErrorIs(t, errs[2], refused)
	require.NoError(t, errs[3])
	require.ErrorContains(t, errs[4], "panic: boom")
	require.NoError(t, errs[5])
	for _, code := range []string{"G0", "G1", "G2", "G3"} {
		assert.Equal(t, 1, countTerritory(t, app, code), code)
		ok, fail := h.get(code)
		assert.Equal(t, [2]int{1, 0}, [2]int{ok, fail}, code)
	}
	st := groupcommit.For(app).Stats()
	assert.Equal(t, len(others), st.Grouped-before.Grouped, "the five waiting callers shared one transaction")
	assert.Equal(t, 2, st.Commits-before.Commits, "the first alone, then the group")
	assert.Zero(t, st.Retried-before.Retried)
}

// A caller's transaction that fails after a save (whose after-commit
// hooks PocketBase has queued) cannot be taken back by its savepoint
// alone: the group is rolled back and each transaction runs again alone.
// Every other caller's record is stored once, the failed one's is not,
// and no success hook runs for it.
func TestGroupRunsAgainAloneAfterAFailureAfterASave(t *testing.T) {
	app := testapp.New(t, "")
	h := watch(app)
	late := errors.New("failed after its save")
	failing := func(tx core.App) error {
		if err := saveTerritory("L9")(tx); err != nil {
			return err
		}
		return late
	}
	others := []func(tx core.App) error{saveTerritory("L1"), failing, saveTerritory("L2")}
	before := groupcommit.For(app).Stats()
	errs := runGroup(t, app, saveTerritory("L0"), others)

	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	assert.ErrorIs(t, errs[2], late)
	require.NoError(t, errs[3])
	for _, code := range []string{"L0", "L1", "L2"} {
		assert.Equal(t, 1, countTerritory(t, app, code), code)
		ok, _ := h.get(code)
		assert.Equal(t, 1, ok, code)
	}
	assert.Zero(t, countTerritory(t, app, "L9"))
	ok, fail := h.get("L9")
	assert.Zero(t, ok, "no success hook for a record that was rolled back")
	assert.Positive(t, fail)
	st := groupcommit.For(app).Stats()
	assert.Equal(t, len(others), st.Retried-before.Retried)
}

// Inside a transaction, Run runs the caller's transaction at once in it
// (no deadlock on the writer, no group).
func TestRunInsideATransactionRunsInIt(t *testing.T) {
	app := testapp.New(t, "")
	err := app.RunInTransaction(func(tx core.App) error {
		return groupcommit.Run(tx, saveTerritory("I1"))
	})
	require.NoError(t, err)
	assert.Equal(t, 1, countTerritory(t, app, "I1"))
}

// Many concurrent callers: every record is stored exactly once.
func TestManyConcurrentCallers(t *testing.T) {
	app := testapp.New(t, "")
	const n = 100
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = groupcommit.Run(app, saveTerritory(fmt.Sprintf("M%d", i)))
		}()
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		assert.Equal(t, 1, countTerritory(t, app, fmt.Sprintf("M%d", i)))
	}
}

// A panic in an after-commit hook (run by the writer goroutine) is
// answered as an error to the callers of its group; the process and the
// writer go on.
func TestPanicAfterCommitIsAnswered(t *testing.T) {
	app := testapp.New(t, "")
	app.OnRecordAfterCreateSuccess("territories").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("code") == "P1" {
			panic("after commit")
		}
		return e.Next()
	})
	err := groupcommit.Run(app, saveTerritory("P1"))
	require.ErrorContains(t, err, "panic: after commit")
	require.NoError(t, groupcommit.Run(app, saveTerritory("P2")), "the writer still works")
	assert.Equal(t, 1, countTerritory(t, app, "P2"))
}
