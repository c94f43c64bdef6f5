package bench

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// Machine describes where the figures were taken: cores, CPU model, RAM,
// load average, Go version (Linux /proc; "?" where unreadable).
func Machine() string {
	model, mem, load := "?", "?", "?"
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		model = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		var kb int64
		if _, err := fmt.Sscanf(v, "%d", &kb); err == nil {
			mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			load = strings.Join(f[:3], " ")
		}
	}
	return fmt.Sprintf("%d cores (%s), RAM %s, load average %s, %s %s/%s",
		runtime.NumCPU(), model, mem, load, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func procField(path, key string) string {
	fh, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Sizes counts the main tables of a data dir.
func Sizes(app core.App) (leads, partners, users int, err error) {
	err = app.DB().NewQuery("SELECT (SELECT COUNT(*) FROM leads), (SELECT COUNT(*) FROM partners), (SELECT COUNT(*) FROM users)").
		Row(&leads, &partners, &users)
	return
}

// IsBenchData reports whether every account of the data dir is a bench
// account (and there is at least one): `relais-bench bench` writes only there.
func IsBenchData(app core.App) (bool, error) {
	var all, bench int
	err := app.DB().NewQuery("SELECT COUNT(*), COALESCE(SUM(email LIKE {:d}), 0) FROM users").
		Bind(map[string]any{"d": "%@" + Domain}).Row(&all, &bench)
	return all > 0 && all == bench, err
}
