package api

import (
	"testing"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	_ "github.com/relais/relais/migrations"
)

// The rate limits listed in routes.go are the ones the migrations store.
func TestRateLimitRulesListed(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	require.NoError(t, err)
	defer app.Cleanup()
	type rule struct {
		Label, Audience string
		Max, Duration   int
	}
	var stored, listed []rule
	for _, r := range app.Settings().RateLimits.Rules {
		stored = append(stored, rule{r.Label, r.Audience, r.MaxRequests, int(r.Duration)})
	}
	for _, r := range rateLimitRules {
		listed = append(listed, rule{r.Label, r.Audience, r.Max, r.Duration})
	}
	assert.True(t, app.Settings().RateLimits.Enabled)
	assert.Equal(t, stored, listed)
}
