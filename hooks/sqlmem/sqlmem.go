// Package sqlmem counts and bounds the memory of the embedded SQLite
// (modernc.org/sqlite). SQLite allocates through modernc's own allocator,
// which maps memory outside the Go heap: neither runtime/metrics nor the
// Go heap's soft limit (GOMEMLIMIT) sees or bounds it. This package turns
// on SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS, off in modernc's
// build) when it is loaded, before any connection opens, so that Used and
// Highwater report it and a soft heap limit (SetSoftHeapLimit) takes
// effect: SQLite only checks its soft limit when it counts its memory.
//
// It also gives the page caches of every connection one shared arena of
// PageSlots pages (SQLITE_CONFIG_PAGECACHE) instead of a heap block per
// page. In WAL mode a connection empties its page cache whenever another
// connection committed since its last read; under a mixed load of reads
// and ~30 commits a second that is nearly every read, and each refill
// took one allocation per page from modernc's allocator, which maps and
// unmaps 64 KiB chunks as they fill and empty: a quarter of the server's
// CPU went to that churn (and to reading the pages again). Slots of the
// arena are taken and given back without any allocation; pages past the
// arena recycle the least recently used ones of all connections.
package sqlmem

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// PageSlots is the number of page slots of the arena shared by the page
// caches of all SQLite connections of the process (about 4.3 KiB each: a
// 4 KiB page and its headers): 4096 slots, 17.9 MB, resident once used
// and never given back, which bounds the page caches together (they were
// bounded by the soft heap limit before, and took an 8 KiB block per page).
const PageSlots = 4096

// pageSize is the database page size the slots are sized for (SQLite's
// default, the page size of every Relais database); caches of other page
// sizes take their pages from the heap.
const pageSize = 4096

// slotsErr is the outcome of installing the page slots at load time,
// configErr the outcome of turning the statistics on.
var (
	slotsErr  = installPageSlots()
	configErr = enableStatus()
)

// installPageSlots gives SQLite's page caches an arena of PageSlots slots
// (SQLITE_CONFIG_PAGECACHE), sized with SQLite's own header size
// (SQLITE_CONFIG_PCACHE_HDRSZ). Like every sqlite3_config it must run
// before SQLite's first initialisation. The arena is never freed.
func installPageSlots() error {
	tls := libc.NewTLS()
	defer tls.Close()
	va := libc.Xmalloc(tls, 32)
	if va == 0 {
		return errors.New("sqlmem: out of memory")
	}
	defer libc.Xfree(tls, va)
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PCACHE_HDRSZ, libc.VaList(va, uintptr(unsafe.Pointer(&headerSize)))); rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("sqlmem: sqlite3_config(PCACHE_HDRSZ) returned %d", rc)
	}
	size := (pageSize + int(headerSize) + 7) &^ 7
	arena := libc.Xmalloc(tls, types.Size_t(size*PageSlots))
	if arena == 0 {
		return errors.New("sqlmem: out of memory for the page slots")
	}
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PAGECACHE, libc.VaList(va, arena, int32(size), int32(PageSlots))); rc != sqlite3.SQLITE_OK {
		libc.Xfree(tls, arena)
		return fmt.Errorf("sqlmem: sqlite3_config(PAGECACHE) returned %d (SQLite already initialised)", rc)
	}
	slotSize = size
	return nil
}

// slotSize is the size of one page slot in bytes (0: no arena);
// headerSize is where SQLite writes the size of a page's headers (a
// package variable: Go never moves it while SQLite writes to it).
var (
	slotSize   int
	headerSize int32
)

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

// Slots reports whether the page slots are installed (nil) or why not.
func Slots() error { return slotsErr }

// SlotStats are the figures of the page slots: slots in use now and at
// most since the start (SQLITE_STATUS_PAGECACHE_USED), and the bytes of
// pages that did not fit and came from the heap now and at most
// (SQLITE_STATUS_PAGECACHE_OVERFLOW). SQLite keeps these without the
// memory statistics.
type SlotStats struct {
	Size, Used, UsedMax   int
	Overflow, OverflowMax int64
}

// status receives sqlite3_status64's figures (a package variable, see
// headerSize), statusMu guards it.
var (
	statusMu sync.Mutex
	status   [2]int64
)

// PageSlotStats reads the figures of the page slots.
func PageSlotStats() SlotStats {
	tls := libc.NewTLS()
	defer tls.Close()
	statusMu.Lock()
	defer statusMu.Unlock()
	read := func(op int32) (int64, int64) {
		if sqlite3.Xsqlite3_status64(tls, op, uintptr(unsafe.Pointer(&status[0])), uintptr(unsafe.Pointer(&status[1])), 0) != sqlite3.SQLITE_OK {
			return 0, 0
		}
		return status[0], status[1]
	}
	used, usedMax := read(sqlite3.SQLITE_STATUS_PAGECACHE_USED)
	over, overMax := read(sqlite3.SQLITE_STATUS_PAGECACHE_OVERFLOW)
	return SlotStats{Size: slotSize, Used: int(used), UsedMax: int(usedMax), Overflow: over, OverflowMax: overMax}
}

// Counting reports whether SQLite counts its memory (the statistics were
// turned on before its initialisation); without it Used and Highwater are
// 0 and the soft heap limit is not enforced.
func Counting() error { return configErr }

// Used is the memory SQLite holds now in heap blocks, in bytes
// (sqlite3_memory_used): schemas, prepared statements, sorters, pages
// that did not fit the page slots (PageSlotStats counts those in the
// slots). The resident memory is higher: modernc's allocator rounds each
// block up to its size class.
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
