package hooks_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The idempotency lookup of ingest uses the (source, source_ref) index: a
// scan would make every ingest cost a pass over all leads.
func TestSourceRefLookupUsesTheIndex(t *testing.T) {
	w := newWorld(t)
	rows := []struct {
		Detail string `db:"detail"`
	}{}
	require.NoError(t, w.app.DB().NewQuery("EXPLAIN QUERY PLAN SELECT leads.* FROM leads WHERE source = 'api' AND source_ref = 'X' AND source_ref != '' LIMIT 1").All(&rows))
	var plan []string
	for _, r := range rows {
		plan = append(plan, r.Detail)
	}
	assert.Contains(t, strings.Join(plan, "\n"), "idx_leads_source_ref")
	// and the replay still finds the lead through the route
	res := w.client.Do("POST", "/api/prm/leads/ingest", w.tokens["integration"], ingestBody("IDX-1"))
	require.Equal(t, 201, res.Status, res.Body)
	res = w.client.Do("POST", "/api/prm/leads/ingest", w.tokens["integration"], ingestBody("IDX-1"))
	assert.Equal(t, 200, res.Status, res.Body)
}
