package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// ingestOffered ingests a ready lead (score 80) of company with contact
// through the REST API and returns its record, offered at once to a
// partner of the distribution world (distWorld).
func ingestOffered(t *testing.T, w *world, ref, company string, contact map[string]any) *core.Record {
	t.Helper()
	b := ingestBody(ref)
	b["score"] = 80
	b["company"] = company
	b["contact"] = contact
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var lead map[string]any
	res.JSON(t, &lead)
	rec := leadRec(t, w, lead["id"].(string))
	require.Equal(t, "offered", rec.GetString("status"))
	return rec
}
