package bench

import (
	"os/exec"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
)

// The mixed load runs against a served relais on demo data: every kind is
// sent, ingests and reads are answered without failure, the server's
// memory is sampled, and the run's ready leads are counted.
func TestMixedLoadOnDemoData(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and serves the appliance")
	}
	root, err := ModuleRoot()
	require.NoError(t, err)
	bin, err := BuildBinary(root, t.TempDir())
	require.NoError(t, err)
	dir := t.TempDir()
	out, err := exec.Command(bin, "demo", "--dir", dir, "--installers", "6", "--leads", "300").CombinedOutput()
	require.NoError(t, err, string(out))

	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir, DBConnect: hooks.DBConnect})
	require.NoError(t, app.Bootstrap())
	t.Cleanup(func() { _ = app.ClearBootstrap() })
	f, err := RunMixed(app, MixedOptions{Binary: bin, DataDir: dir, Users: 6, Rate: 20, Duration: 6 * time.Second, Timeout: 30 * time.Second})
	require.NoError(t, err)
	kinds := map[string]KindFigures{}
	for _, k := range f.Kinds {
		kinds[k.Name] = k
	}
	require.Len(t, kinds, len(mixKinds))
	for _, name := range []string{"ingest", "api_list", "ui_list", "ui_home"} {
		k := kinds[name]
		assert.Positive(t, k.Count+k.Unsent, name)
		assert.Zero(t, k.Status4xx+k.Status5xx, "%s: %s", name, k.FirstError)
	}
	assert.Zero(t, f.Status5xx)
	assert.Positive(t, f.RSSMax)
	assert.Positive(t, f.Done)
	assert.Positive(t, f.ServerCPU, "the server's CPU time during the load")
	assert.Positive(t, f.CPUPerRequest)
	assert.Less(t, f.CPUPerRequest, f.ServerCPU)
}
