package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"

	"github.com/relais/relais/hooks/sqlmem"
)

// memoryMetrics are the runtime/metrics of the Go side of the resident
// memory, printed by WriteMemoryReport under their short names.
var memoryMetrics = []struct{ short, name string }{
	{"go_heap_live", "/gc/heap/live:bytes"},
	{"go_heap_goal", "/gc/heap/goal:bytes"},
	{"go_heap_objects", "/memory/classes/heap/objects:bytes"},
	{"go_heap_unused", "/memory/classes/heap/unused:bytes"},
	{"go_heap_free", "/memory/classes/heap/free:bytes"},
	{"go_heap_released", "/memory/classes/heap/released:bytes"},
	{"go_stacks", "/memory/classes/heap/stacks:bytes"},
	{"go_metadata", "/memory/classes/metadata/other:bytes"},
	{"go_total_mapped", "/memory/classes/total:bytes"},
	{"go_limit", "/gc/gomemlimit:bytes"},
	{"goroutines", "/sched/goroutines:goroutines"},
	{"gc_cycles", "/gc/cycles/total:gc-cycles"},
}

// WriteMemoryReport writes what the process's resident memory is made of,
// one "name value" line each: the kernel's count (/proc/self/status:
// rss, anonymous, file-backed, in bytes), the Go runtime's (runtime/metrics:
// live heap, heap goal, stacks, goroutines...) and SQLite's own, outside
// the Go heap (sqlmem: in use, high-water mark, soft limit). The
// anonymous memory less the Go runtime's mapped memory less its released
// heap is about SQLite's resident share (its allocator rounds blocks up).
func WriteMemoryReport(w io.Writer) error {
	if err := writeProcStatus(w); err != nil {
		return err
	}
	samples := make([]metrics.Sample, len(memoryMetrics))
	for i, m := range memoryMetrics {
		samples[i].Name = m.name
	}
	metrics.Read(samples)
	for i, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			if _, err := fmt.Fprintf(w, "%s %d\n", memoryMetrics[i].short, s.Value.Uint64()); err != nil {
				return err
			}
		}
	}
	counting := "yes"
	if err := sqlmem.Counting(); err != nil {
		counting = "no"
	}
	slots := sqlmem.PageSlotStats()
	_, err := fmt.Fprintf(w, "sqlite_counting %s\nsqlite_used %d\nsqlite_highwater %d\nsqlite_soft_limit %d\n"+
		"sqlite_page_slots %d\nsqlite_page_slot_size %d\nsqlite_page_slots_used %d\nsqlite_page_slots_used_max %d\nsqlite_page_overflow %d\nsqlite_page_overflow_max %d\n",
		counting, sqlmem.Used(), sqlmem.Highwater(false), sqlmem.SetSoftHeapLimit(-1),
		sqlmem.PageSlots, slots.Size, slots.Used, slots.UsedMax, slots.Overflow, slots.OverflowMax)
	return err
}

// procStatusFields are the lines of /proc/self/status printed (kB there,
// bytes here).
var procStatusFields = map[string]string{"VmRSS:": "rss", "RssAnon:": "rss_anon", "RssFile:": "rss_file", "VmHWM:": "rss_max", "Threads:": "threads"}

// writeProcStatus writes the kernel's figures of the process's resident
// memory (nothing where /proc is absent).
func writeProcStatus(w io.Writer) error {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return nil // not Linux: the kernel's figures are left out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		name, ok := procStatusFields[fields[0]]
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			return fmt.Errorf("/proc/self/status %s: %w", fields[0], err)
		}
		if len(fields) == 3 && fields[2] == "kB" {
			v *= 1024
		}
		if _, err := fmt.Fprintf(w, "%s %d\n", name, v); err != nil {
			return err
		}
	}
	return sc.Err()
}
