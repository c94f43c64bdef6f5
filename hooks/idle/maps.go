package idle

import (
	"fmt"
	"strconv"
	"strings"
)

// Mapping is an address range of a process mapped from a file.
type Mapping struct {
	Start, End uintptr
}

// ReadOnlyMappings returns the ranges of /proc/<pid>/maps text (maps)
// mapped from the file path and not writable: an executable's code and
// read-only data. Their pages are the file's, kept in the system's page
// cache: dropping them (private read-only mappings only) from the process (madvise MADV_DONTNEED) lowers its
// resident memory, and the next use maps them again from the cache. The
// writable ranges (data, relocations) are never returned: dropping them
// would lose their contents.
func ReadOnlyMappings(maps, path string) ([]Mapping, error) {
	var out []Mapping
	for _, line := range strings.Split(maps, "\n") {
		f := strings.Fields(line)
		// address perms offset dev inode path
		if len(f) < 6 || strings.Join(f[5:], " ") != path {
			continue
		}
		if len(f[1]) != 4 || f[1][0] != 'r' || f[1][1] != '-' || f[1][3] != 'p' {
			continue
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		if !ok {
			return nil, fmt.Errorf("idle: maps line %q", line)
		}
		start, err := strconv.ParseUint(lo, 16, 64)
		if err != nil {
			return nil, fmt.Errorf("idle: maps line %q: %w", line, err)
		}
		end, err := strconv.ParseUint(hi, 16, 64)
		if err != nil || end <= start {
			return nil, fmt.Errorf("idle: maps line %q: bad range", line)
		}
		out = append(out, Mapping{Start: uintptr(start), End: uintptr(end)})
	}
	return out, nil
}
