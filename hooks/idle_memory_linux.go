//go:build linux

package hooks

import (
	"os"
	"syscall"

	"github.com/relais/relais/hooks/idle"
)

// dropBinaryPages drops the pages of the running binary's code and
// read-only data from the process (madvise MADV_DONTNEED on the ranges of
// idle.ReadOnlyMappings): they stay in the system's page cache and the next
// request maps back the ones it uses. They are about half of an idle
// server's resident memory, most of them mapped once at the start.
func dropBinaryPages() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return err
	}
	ranges, err := idle.ReadOnlyMappings(string(maps), exe)
	if err != nil {
		return err
	}
	for _, m := range ranges {
		if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, m.Start, m.End-m.Start, syscall.MADV_DONTNEED); e != 0 {
			return e
		}
	}
	return nil
}
