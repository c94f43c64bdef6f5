package idle

import "runtime/debug"

// IdleGCPercent is the garbage collector's target (GOGC) of an idle
// server: the heap may grow 20 % past its live size before a collection,
// instead of 100 %. Idle, the jobs' few allocations (minute jobs, the
// webhook poll every second) would otherwise grow the heap back to twice
// its live size after the release, a dozen MB at 1M leads; the extra
// collections of a few allocations cost nothing that matters.
const IdleGCPercent = 20

// GC lowers the garbage collector's target while the server is idle and
// puts the previous one back when it is busy again. Not safe for
// concurrent use: one watcher calls it.
type GC struct {
	prev    int
	lowered bool
}

// Idle sets IdleGCPercent, keeping the target in force to restore.
func (g *GC) Idle() {
	if !g.lowered {
		g.prev = debug.SetGCPercent(IdleGCPercent)
		g.lowered = true
	}
}

// Busy restores the target in force before Idle.
func (g *GC) Busy() {
	if g.lowered {
		debug.SetGCPercent(g.prev)
		g.lowered = false
	}
}
