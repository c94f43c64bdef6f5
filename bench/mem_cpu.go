package bench

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is the kernel's USER_HZ, the unit of the CPU times of
// /proc/<pid>/stat (100 on every Linux the appliance runs on).
const clockTicks = 100

// processCPU is the CPU time (user + system) a process has used so far,
// read from /proc/<pid>/stat (fields 14 and 15, after the command name in
// parentheses, which may itself hold spaces or parentheses).
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// parseStatCPU reads utime + stime from the text of /proc/<pid>/stat.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("bench: no command name in /proc stat")
	}
	// after ") ": state (field 3) is fields[0], utime (14) fields[11], stime (15) fields[12]
	fields := strings.Fields(stat[i+1:])
	if len(fields) < 13 {
		return 0, errors.New("bench: short /proc stat")
	}
	var ticks int64
	for _, s := range fields[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bench: /proc stat: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// cpuPerRequest is the server's CPU time per answered request of the load
// (0 when nothing was answered).
func cpuPerRequest(cpu time.Duration, answered int) time.Duration {
	if answered <= 0 {
		return 0
	}
	return cpu / time.Duration(answered)
}
