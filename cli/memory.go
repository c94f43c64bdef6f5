package cli

import (
	"os"
	"runtime/debug"
)

// MemoryLimit is the soft limit of the Go heap of the appliance (unless
// the GOMEMLIMIT environment variable sets another): past it the garbage
// collector runs more often instead of letting the heap double (GOGC=100)
// under list traffic. The SQLite page caches are outside it (see
// hooks.DBConnect).
const MemoryLimit = 64 << 20

// LimitMemory sets MemoryLimit as the process's soft memory limit, unless
// GOMEMLIMIT is set, and returns the limit in force.
func LimitMemory() int64 {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
	return debug.SetMemoryLimit(-1)
}
