package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ProcessFigures are the appliance figures of one `relais serve` start.
type ProcessFigures struct {
	// ColdStart is the time from exec to the first 200 of /api/health.
	ColdStart time.Duration
	// RSS is the resident set (VmRSS) after the start, once idle.
	RSS int64
}

// BinarySize returns the size of a file in bytes.
func BinarySize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// BuildBinary builds the relais binary of the module at root into dir
// (plain `go build`, as a user would) and returns its path.
func BuildBinary(root, dir string) (string, error) {
	out := filepath.Join(dir, "relais")
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v: %s", err, b)
	}
	return out, nil
}

// ModuleRoot returns the directory of the module's go.mod, found from the
// working directory upwards.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("bench: no go.mod above the working directory")
		}
		dir = parent
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// StartServe runs `bin serve --dir dir --http 127.0.0.1:PORT`, measures the
// time until /api/health answers 200 (polling every 2 ms, 60 s at most),
// waits idle for settle, reads VmRSS, and stops the process.
func StartServe(bin, dir string, settle time.Duration) (ProcessFigures, error) {
	port, err := freePort()
	if err != nil {
		return ProcessFigures{}, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--dir", dir, "--http", addr)
	cmd.Stdout, cmd.Stderr = nil, nil
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return ProcessFigures{}, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	client := &http.Client{Timeout: time.Second}
	url := "http://" + addr + "/api/health"
	var f ProcessFigures
	deadline := start.Add(60 * time.Second)
	for {
		if time.Now().After(deadline) {
			return f, errors.New("bench: serve did not answer /api/health within 60 s")
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				f.ColdStart = time.Since(start)
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(settle)
	f.RSS, err = vmRSS(cmd.Process.Pid)
	return f, err
}

// vmRSS reads the resident set size of a process in bytes (Linux).
func vmRSS(pid int) (int64, error) {
	fh, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			fields := strings.Fields(rest)
			if len(fields) == 0 {
				break
			}
			kb, err := strconv.ParseInt(fields[0], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("bench: no VmRSS in /proc status")
}
