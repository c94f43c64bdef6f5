package cli

import (
	"os"
	"runtime/debug"

	"github.com/relais/relais/hooks/sqlmem"
)

// MemoryLimit is the soft limit of the Go heap of the appliance (unless
// the GOMEMLIMIT environment variable sets another): past it the garbage
// collector runs more often instead of letting the heap double (GOGC=100)
// under list traffic. The SQLite page caches are outside it (see
// hooks.DBConnect and SQLiteSoftHeapLimit).
const MemoryLimit = 64 << 20

// SQLiteSoftHeapLimit is the soft limit of SQLite's own memory (bytes
// counted by SQLite, see package sqlmem), which GOMEMLIMIT does not see:
// past it SQLite reuses its least recently used cached pages instead of
// allocating more, across all connections. 7 data connections with a full
// page cache of hooks.PageCacheKiB each would count about 30 MB (and take
// about twice that resident, see hooks.PageCacheKiB); the limit keeps the
// caches, schemas and statements of all connections together under it,
// while the OS page cache keeps the file's pages.
const SQLiteSoftHeapLimit = 24 << 20

// LimitMemory sets MemoryLimit as the process's soft memory limit, unless
// GOMEMLIMIT is set, and SQLiteSoftHeapLimit as SQLite's; it returns the
// Go limit in force.
func LimitMemory() int64 {
	sqlmem.SetSoftHeapLimit(SQLiteSoftHeapLimit)
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
	return debug.SetMemoryLimit(-1)
}
