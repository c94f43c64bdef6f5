package bench

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseStatCPU(t *testing.T) {
	// a command name with a space and a parenthesis, utime 250, stime 50
	stat := "4242 (relais (x) serve) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 12 0 100 1000 200"
	got, err := parseStatCPU(stat)
	require.NoError(t, err)
	assert.Equal(t, 3*time.Second, got)
	_, err = parseStatCPU("4242 relais S 1")
	assert.Error(t, err)
	_, err = parseStatCPU("4242 (relais) S 1 2 3")
	assert.Error(t, err)
}

// The CPU time of this very process grows as it works.
func TestProcessCPUOfItself(t *testing.T) {
	before, err := processCPU(os.Getpid())
	require.NoError(t, err)
	deadline := time.Now().Add(300 * time.Millisecond)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	after, err := processCPU(os.Getpid())
	require.NoError(t, err)
	assert.Greater(t, after, before, "spun %d times", x)
	assert.Equal(t, 2*time.Millisecond, cpuPerRequest(20*time.Millisecond, 10))
	assert.Zero(t, cpuPerRequest(time.Second, 0))
}
