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
// allocating more, across all connections. The pages of 4 KiB of the
// page caches live in the fixed slots of package sqlmem, outside this
// count; the limit keeps the rest together under it: schemas, statements,
// sorters, and pages that do not fit a slot (another page size, or every
// slot pinned), while the OS page cache keeps the file's pages.
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
