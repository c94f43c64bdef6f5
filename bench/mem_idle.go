package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// RSSParts is the resident memory of a process by kind, from
// /proc/<pid>/status: Anon is anonymous memory (the Go heap and stacks,
// and SQLite's page caches, schemas and statements, which modernc's
// allocator maps outside the Go heap), File is file-backed (the binary's
// code and read-only data, the libraries, the WAL index), Shmem shared.
type RSSParts struct {
	RSS, Anon, File, Shmem int64
}

// IdleFigures is the server's resident memory sampled every two seconds
// while it receives no request: the least, the most and the last sample,
// and the parts of the last.
type IdleFigures struct {
	For            time.Duration
	Min, Max, Last int64
	Parts          RSSParts
}

// rssParts reads a process's RSSParts (Linux).
func rssParts(pid int) (RSSParts, error) {
	fh, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return RSSParts{}, err
	}
	defer fh.Close()
	return parseRSSParts(fh)
}

// parseRSSParts reads the VmRSS, RssAnon, RssFile and RssShmem lines of a
// /proc/<pid>/status text (kB) into bytes.
func parseRSSParts(r io.Reader) (RSSParts, error) {
	var p RSSParts
	fields := map[string]*int64{"VmRSS:": &p.RSS, "RssAnon:": &p.Anon, "RssFile:": &p.File, "RssShmem:": &p.Shmem}
	seen := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || fields[f[0]] == nil {
			continue
		}
		kb, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return p, fmt.Errorf("bench: %s %q: %w", f[0], f[1], err)
		}
		*fields[f[0]] = kb * 1024
		seen++
	}
	if err := sc.Err(); err != nil {
		return p, err
	}
	if seen != len(fields) {
		return p, fmt.Errorf("bench: %d of the %d RSS lines in /proc status", seen, len(fields))
	}
	return p, nil
}

// sampleIdle samples pid's resident memory every two seconds for d.
func sampleIdle(pid int, d time.Duration) (IdleFigures, error) {
	f := IdleFigures{For: d}
	end := time.Now().Add(d)
	for {
		p, err := rssParts(pid)
		if err != nil {
			return f, err
		}
		if f.Min == 0 || p.RSS < f.Min {
			f.Min = p.RSS
		}
		f.Max, f.Last, f.Parts = max(f.Max, p.RSS), p.RSS, p
		left := time.Until(end)
		if left <= 0 {
			return f, nil
		}
		time.Sleep(min(2*time.Second, left))
	}
}

// printMemory prints the parts of the RSS at the end of the load and the
// idle samples.
func printMemory(w io.Writer, f MixedFigures) {
	mb := func(b int64) float64 { return float64(b) / 1e6 }
	p := f.EndParts
	fmt.Fprintf(w, "RSS at the end of the load: %.0f MB = anonymous %.0f MB + file %.0f MB + shared %.0f MB\n",
		mb(p.RSS), mb(p.Anon), mb(p.File), mb(p.Shmem))
	if f.Idle.For > 0 {
		i := f.Idle
		fmt.Fprintf(w, "RSS idle for %s (every 2 s): least %.0f MB, most %.0f MB, last %.0f MB = anonymous %.0f MB + file %.0f MB + shared %.0f MB\n",
			i.For, mb(i.Min), mb(i.Max), mb(i.Last), mb(i.Parts.Anon), mb(i.Parts.File), mb(i.Parts.Shmem))
	}
}
