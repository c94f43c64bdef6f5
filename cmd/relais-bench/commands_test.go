package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

func execute(cmd *cobra.Command, args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err = cmd.Execute()
	return out.String(), errOut.String(), err
}

// `relais-bench bench-data` fills an empty data dir, reporting its
// progress on stderr (a line per 10 % off a terminal) and the figures on
// stdout; `relais-bench bench` then refuses a data dir without bench data.
func TestBenchDataCommand(t *testing.T) {
	app := testapp.New(t, "")
	_, _, err := execute(benchCommand(app), "--no-process")
	require.ErrorContains(t, err, "holds no bench data", "an empty data dir is no bench data")

	out, progress, err := execute(benchDataCommand(app), "--leads", "400", "--partners", "3", "--batch", "100")
	require.NoError(t, err, progress)
	assert.Contains(t, out, "400 leads, 400 contacts")
	lines := strings.Split(strings.TrimSuffix(progress, "\n"), "\n")
	require.Len(t, lines, 4, "a line at 25, 50, 75 %% and the last: %q", progress)
	for i, pct := range []string{"100/400 leads (25%)", "200/400 leads (50%)", "300/400 leads (75%)"} {
		assert.True(t, strings.HasPrefix(lines[i], "bench-data: "+pct+", "), lines[i])
	}
	assert.Regexp(t, `^bench-data: 400/400 leads \(100%\), \d+ leads/s, `, lines[3])

	_, _, err = execute(benchDataCommand(app), "--leads", "0")
	require.ErrorContains(t, err, "must be positive")
}

// The process figures measure the appliance binary, not relais-bench.
func TestApplianceBinary(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "relais")
	require.NoError(t, os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755))
	got, err := applianceBinary(bin)
	require.NoError(t, err)
	assert.Equal(t, bin, got)

	_, err = applianceBinary(filepath.Join(dir, "missing"))
	require.ErrorContains(t, err, "--relais PATH")
	_, err = applianceBinary(dir)
	require.ErrorContains(t, err, "no appliance binary", "a directory is not a binary")

	self, err := os.Executable()
	require.NoError(t, err)
	_, err = applianceBinary("")
	if _, statErr := os.Stat(filepath.Join(filepath.Dir(self), "relais")); statErr != nil {
		require.ErrorContains(t, err, filepath.Join(filepath.Dir(self), "relais"), "by default, relais next to this executable")
	}
}

// relais-bench serves what the appliance serves: `relais-bench bench`
// measures the REST API and the web UI through this app's router, so a
// part missing here (the REST API was, once) makes every figure a 404.
func TestBenchAppServesEveryPart(t *testing.T) {
	testapp.CheckServes(t, newApp(pocketbase.Config{DefaultDataDir: t.TempDir()}))
}
