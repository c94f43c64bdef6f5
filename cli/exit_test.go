package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/pocketbase/pocketbase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks"
	"github.com/relais/relais/internal/testapp"
)

// childEnv carries the arguments of a command run by the test binary as
// if it were the relais binary (see TestMain).
const childEnv = "RELAIS_CLI_TEST_ARGS"

func TestMain(m *testing.M) {
	if raw := os.Getenv(childEnv); raw != "" {
		os.Exit(runAsRelais(raw))
	}
	os.Exit(m.Run())
}

// runAsRelais builds the app the way main.go does (PocketBase, the Relais
// hooks and commands) and runs one command line through PocketBase's own
// Start, which ignores the command's error: the exit status is whatever
// the commands make of it.
func runAsRelais(raw string) int {
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 99
	}
	os.Args = append([]string{"relais"}, args...)
	app := pocketbase.NewWithConfig(pocketbase.Config{DBConnect: hooks.DBConnect, HideStartBanner: true})
	hooks.Register(app)
	api.Register(app)
	Register(app)
	if err := app.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 98
	}
	return 0
}

// relais runs the test binary as the relais binary and returns its output
// and exit status.
func relais(t *testing.T, args ...string) (string, int) {
	t.Helper()
	raw, err := json.Marshal(args)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(raw))
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return string(out), exitErr.ExitCode()
	}
	require.NoError(t, err, string(out))
	return string(out), 0
}

// The exit statuses hold in a real process: PocketBase v0.39 drops the
// error of a command, so without the exit wrapper each of these exits 0.
func TestExitStatusesOfTheBinary(t *testing.T) {
	app := testapp.New(t, "")
	dir := app.DataDir()

	out, code := relais(t, "--dir", dir, "policy", "check")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "rules in force match")

	driftRules(t, app)
	out, code = relais(t, "--dir", dir, "policy", "check")
	assert.Equal(t, exitFinding, code, out)
	assert.Contains(t, out, "leads: listRule")

	out, code = relais(t, "--dir", dir, "policy", "apply")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "recompiled 2 collection(s)")
	out, code = relais(t, "--dir", dir, "policy", "check")
	assert.Equal(t, 0, code, out)

	out, code = relais(t, "--dir", dir, "audit", "verify")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "audit log intact: 1 entries")
	sqlExec(t, app, "ALTER TABLE audit_log DROP COLUMN changes")
	out, code = relais(t, "--dir", dir, "audit", "verify")
	assert.Equal(t, exitError, code, out)
	assert.Contains(t, out, "lacks the column(s) changes")

	// any other command's failure
	out, code = relais(t, "--dir", dir, "import", "/nonexistent/leads.csv")
	assert.Equal(t, exitFailure, code, out)
	assert.Contains(t, out, "nonexistent")
}
