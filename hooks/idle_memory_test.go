package hooks_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
	"github.com/relais/relais/hooks/idle"
	"github.com/relais/relais/internal/testapp"
)

// idleApp is a test app bootstrapped with the Relais hooks bound (as
// `relais serve` is) and a short IdleConnTime.
func idleApp(t *testing.T) *tests.TestApp {
	t.Helper()
	before := hooks.IdleConnTime
	hooks.IdleConnTime = 200 * time.Millisecond
	t.Cleanup(func() { hooks.IdleConnTime = before })
	app := testapp.New(t, "")
	// the test app opened its databases before hooks.Register: bootstrap
	// again, as serve does after registering
	require.NoError(t, app.Bootstrap())
	return app
}

// useDB opens a connection of the read pool and the write pool.
func useDB(t *testing.T, app *tests.TestApp) {
	t.Helper()
	var n int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM users").Row(&n))
	require.NoError(t, app.NonconcurrentDB().NewQuery("SELECT COUNT(*) FROM partners").Row(&n))
	require.Positive(t, hooks.OpenConns(app))
}

func TestIdlePoolsCloseUnusedConnections(t *testing.T) {
	app := idleApp(t)
	useDB(t, app)
	// PocketBase keeps an unused connection 3 minutes; the pools' cleaner
	// runs at least every second
	require.Eventually(t, func() bool { return hooks.OpenConns(app) == 0 }, 5*time.Second, 50*time.Millisecond,
		"the connections unused for IdleConnTime are closed")
}

func TestWatchIdleReleasesOncePerIdlePeriod(t *testing.T) {
	app := testapp.New(t, "")
	requests := idle.RequestsOf(app.Store())
	var released, woken atomic.Int32
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	requests.Add()
	go hooks.WatchIdle(ctx, app, 10*time.Millisecond, 30, func() { released.Add(1) }, func() { woken.Add(1) })

	// busy: a request at every tick or so
	for range 20 {
		requests.Add()
		time.Sleep(5 * time.Millisecond)
	}
	require.Zero(t, released.Load(), "nothing released while requests come")
	require.Zero(t, woken.Load(), "no wake without a release before")
	require.Eventually(t, func() bool { return released.Load() == 1 }, 5*time.Second, 10*time.Millisecond,
		"released once the requests stopped")
	time.Sleep(200 * time.Millisecond)
	require.EqualValues(t, 1, released.Load(), "once per idle period, not at every tick")
	require.Zero(t, woken.Load(), "no wake while idle")

	requests.Add()
	require.Eventually(t, func() bool { return woken.Load() == 1 }, 5*time.Second, 10*time.Millisecond,
		"woken at the first request after the release")
	require.Eventually(t, func() bool { return released.Load() == 2 }, 5*time.Second, 10*time.Millisecond,
		"released again after the next request")
	require.EqualValues(t, 1, woken.Load(), "woken once per busy period")
}

func TestReleaseMemoryOpensNoConnection(t *testing.T) {
	app := idleApp(t)
	useDB(t, app)
	hooks.ReleaseMemory(app) // on the idle connections
	require.Eventually(t, func() bool { return hooks.OpenConns(app) == 0 }, 5*time.Second, 50*time.Millisecond)
	hooks.ReleaseMemory(app)
	require.Zero(t, hooks.OpenConns(app), "a pool without an idle connection is not opened to release it")
}

// rssFile is the resident memory of this process mapped from files (kB).
func rssFile(t *testing.T) int {
	t.Helper()
	status, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "RssFile:"); ok {
			kb, err := strconv.Atoi(strings.Fields(rest)[0])
			require.NoError(t, err)
			return kb
		}
	}
	t.Fatal("no RssFile in /proc/self/status")
	return 0
}

// On Linux the release drops the binary's pages mapped from its file (here
// the test binary's); the process goes on running, mapping back what it
// uses.
func TestReleaseMemoryDropsTheBinaryPages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Log("the binary's pages are dropped on Linux only")
		return
	}
	app := testapp.New(t, "")
	before := rssFile(t)
	hooks.ReleaseMemory(app)
	after := rssFile(t)
	require.Less(t, after, before*3/4, "file-backed RSS %d kB → %d kB", before, after)
	useDB(t, app) // runs on after the drop
}
