// Package sqlmem counts and bounds the memory of the embedded SQLite
// (modernc.org/sqlite). SQLite allocates through modernc's own allocator,
// which maps memory outside the Go heap: neither runtime/metrics nor the
// Go heap's soft limit (GOMEMLIMIT) sees or bounds it. This package turns
// on SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS, off in modernc's
// build) when it is loaded, before any connection opens, so that Used and
// Highwater report it and a soft heap limit (SetSoftHeapLimit) takes
// effect: SQLite only checks its soft limit when it counts its memory.
package sqlmem

import (
	"errors"
	"fmt"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// configErr is the outcome of turning the statistics on at load time.
var configErr = enableStatus()

// enableStatus sets SQLITE_CONFIG_MEMSTATUS; SQLite accepts it only
// before its first initialisation (the first connection opened).
func enableStatus() error {
	tls := libc.NewTLS()
	defer tls.Close()
	va := libc.Xmalloc(tls, 8)
	if va == 0 {
		return errors.New("sqlmem: out of memory")
	}
	defer libc.Xfree(tls, va)
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_MEMSTATUS, libc.VaList(va, int32(1))); rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("sqlmem: sqlite3_config(MEMSTATUS) returned %d (SQLite already initialised)", rc)
	}
	return nil
}

// Counting reports whether SQLite counts its memory (the statistics were
// turned on before its initialisation); without it Used and Highwater are
// 0 and the soft heap limit is not enforced.
func Counting() error { return configErr }

// Used is the memory SQLite holds now, in bytes (sqlite3_memory_used):
// page caches, schemas, prepared statements, sorters and temporary
// b-trees kept in memory. The resident memory is higher: modernc's
// allocator rounds each block up to its size class (a 4 KiB page with its
// header takes an 8 KiB slot).
func Used() int64 {
	tls := libc.NewTLS()
	defer tls.Close()
	return sqlite3.Xsqlite3_memory_used(tls)
}

// Highwater is the most memory SQLite has held since the start or the
// last reset (sqlite3_memory_highwater), in bytes; reset starts a new
// period from the current use.
func Highwater(reset bool) int64 {
	tls := libc.NewTLS()
	defer tls.Close()
	r := int32(0)
	if reset {
		r = 1
	}
	return sqlite3.Xsqlite3_memory_highwater(tls, r)
}

// SetSoftHeapLimit sets SQLite's process-wide soft heap limit in bytes
// (sqlite3_soft_heap_limit64; 0: none) and returns the previous one. Past
// it, SQLite reuses the least recently used pages of its page caches
// instead of allocating more and frees cached pages before a new
// allocation; nothing fails (unlike the hard heap limit). A negative n
// only reads the limit in force.
func SetSoftHeapLimit(n int64) int64 {
	tls := libc.NewTLS()
	defer tls.Close()
	return sqlite3.Xsqlite3_soft_heap_limit64(tls, n)
}
