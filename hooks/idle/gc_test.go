package idle

import (
	"runtime/debug"
	"testing"
)

func gcPercent() int {
	v := debug.SetGCPercent(100)
	debug.SetGCPercent(v)
	return v
}

// Idle lowers GOGC to IdleGCPercent once; Busy puts back the one before,
// whatever it was, once.
func TestGCLowersTheTargetWhileIdle(t *testing.T) {
	before := debug.SetGCPercent(150)
	t.Cleanup(func() { debug.SetGCPercent(before) })
	var g GC
	g.Busy() // busy without an idle period: nothing changes
	if got := gcPercent(); got != 150 {
		t.Fatalf("busy first: GOGC %d, want 150", got)
	}
	g.Idle()
	g.Idle() // a second call keeps the first target to restore
	if got := gcPercent(); got != IdleGCPercent {
		t.Fatalf("idle: GOGC %d, want %d", got, IdleGCPercent)
	}
	g.Busy()
	if got := gcPercent(); got != 150 {
		t.Fatalf("busy again: GOGC %d, want 150", got)
	}
	g.Busy()
	if got := gcPercent(); got != 150 {
		t.Fatalf("busy twice: GOGC %d, want 150", got)
	}
}

// Released is true from a release until the next request.
func TestWatchReleasedUntilTheNextRequest(t *testing.T) {
	w := Watch{Quiet: 1}
	for i, c := range []struct {
		count    uint64
		released bool
	}{{1, false}, {1, true}, {1, true}, {2, false}, {2, true}} {
		w.Tick(c.count)
		if w.Released() != c.released {
			t.Fatalf("tick %d (count %d): released %v, want %v", i, c.count, w.Released(), c.released)
		}
	}
}
