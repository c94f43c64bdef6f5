package hooks_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/writerhold"
)

// An accept and a single ingest record their writer hold, split into
// work and commit: one accept transaction, one ingest transaction (the
// ready lead and its offer committed together).
func TestWriterHoldOfAcceptAndIngest(t *testing.T) {
	w, _ := distWorld(t)
	writerhold.Take(w.app)
	lead := readyLead(t, w, "WH-1")
	ing := writerhold.Take(w.app)
	require.Equal(t, 1, ing[writerhold.Ingest].N, "one ingest transaction")
	assert.Positive(t, ing[writerhold.Ingest].Work.Max)
	assert.Positive(t, ing[writerhold.Ingest].Commit.Max)
	assert.Zero(t, ing[writerhold.Accept].N)

	rec := leadRec(t, w, lead["id"].(string))
	res := w.client.Do(http.MethodPost, "/api/prm/leads/"+rec.Id+"/accept", assigneeToken(t, w, rec), nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	acc := writerhold.Take(w.app)
	require.Equal(t, 1, acc[writerhold.Accept].N, "one accept transaction")
	assert.Positive(t, acc[writerhold.Accept].Work.Max)
	assert.Positive(t, acc[writerhold.Accept].Commit.Max)
	assert.Equal(t, acc[writerhold.Accept].Work.Max+acc[writerhold.Accept].Commit.Max, acc[writerhold.Accept].Hold.Max)
}
