package cli

import (
	"bytes"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The memory report of the profile listener tells the kernel's, the Go
// runtime's and SQLite's share of the resident memory, with the values of
// the running process.
func TestMemoryReportTellsEachShare(t *testing.T) {
	app := NewApp(pocketbase.Config{DefaultDataDir: t.TempDir()}, nil)
	require.NoError(t, app.Bootstrap())
	t.Cleanup(func() { _ = app.ClearBootstrap() })
	rec := httptest.NewRecorder()
	serveMemoryReport(rec, httptest.NewRequest("GET", "/debug/relais/memory", nil))
	require.Equal(t, 200, rec.Code)
	got := map[string]string{}
	for line := range strings.Lines(rec.Body.String()) {
		name, value, ok := strings.Cut(strings.TrimSpace(line), " ")
		require.True(t, ok, line)
		got[name] = value
	}
	for _, name := range []string{"rss", "rss_anon", "rss_file", "go_heap_live", "go_heap_goal", "go_stacks", "go_total_mapped", "goroutines", "sqlite_used", "sqlite_highwater"} {
		n, err := strconv.ParseInt(got[name], 10, 64)
		require.NoError(t, err, name)
		assert.Positive(t, n, name)
	}
	assert.Equal(t, "yes", got["sqlite_counting"])
	used, _ := strconv.ParseInt(got["sqlite_used"], 10, 64)
	high, _ := strconv.ParseInt(got["sqlite_highwater"], 10, 64)
	assert.GreaterOrEqual(t, high, used)
	// the page caches' shared slots: installed, and used by the app's
	// connections once it has read its database
	for _, name := range []string{"sqlite_page_slots", "sqlite_page_slot_size", "sqlite_page_slots_used_max"} {
		n, err := strconv.ParseInt(got[name], 10, 64)
		require.NoError(t, err, name)
		assert.Positive(t, n, name)
	}
	var buf bytes.Buffer
	require.NoError(t, WriteMemoryReport(&buf))
	assert.Contains(t, buf.String(), "sqlite_soft_limit ")
}
