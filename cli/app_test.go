package cli

import (
	"testing"

	"github.com/pocketbase/pocketbase"

	"github.com/relais/relais/internal/testapp"
)

// The appliance serves its REST API and its web UI.
func TestNewAppServesEveryPart(t *testing.T) {
	testapp.CheckServes(t, NewApp(pocketbase.Config{DefaultDataDir: t.TempDir()}, nil))
}
