// Package idle decides when the served appliance has gone idle, so that
// its memory can be given back to the system: pure, the binding (which
// samples the database pools and frees the memory) is in package hooks.
//
// The signal is the number of open database connections: every request
// and every job uses the databases, and a connection closes once unused
// for the pools' idle time, so no open connection at all means that
// nothing has run for at least that long.
package idle

// Watch follows the open database connections sampled at each tick. The
// zero Watch is busy: the memory of the start-up is released at the first
// tick with no open connection.
type Watch struct {
	// quiet is true once released, until a connection is seen open again
	quiet bool
}

// Tick takes the number of open database connections at this tick and
// tells whether to release memory now: true at the first tick with none
// open after ticks with some (or since the start), false otherwise, so a
// quiet server releases once per idle period, not at every tick.
func (w *Watch) Tick(open int) bool {
	if open > 0 {
		w.quiet = false
		return false
	}
	if w.quiet {
		return false
	}
	w.quiet = true
	return true
}
