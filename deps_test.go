package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deps lists the packages a main package links (`go list -deps`).
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
	require.NoError(t, err, string(out))
	return strings.Fields(string(out))
}

// The appliance binary ships no benchmark harness: `go build .` links
// neither the bench package nor the bench commands (cmd/relais-bench does),
// and no progress-bar library.
func TestApplianceLinksNoBenchmarkHarness(t *testing.T) {
	appliance := deps(t, ".")
	require.Contains(t, appliance, "github.com/relais/relais/cli", "the list is the appliance's")
	for _, p := range appliance {
		assert.False(t, p == "github.com/relais/relais/bench" || strings.HasPrefix(p, "github.com/relais/relais/cmd/"),
			"the appliance links %s", p)
		assert.NotContains(t, p, "progressbar")
	}
	assert.True(t, slices.Contains(deps(t, "./cmd/relais-bench"), "github.com/relais/relais/bench"),
		"the bench binary links the harness (the check sees it where it is)")
}
