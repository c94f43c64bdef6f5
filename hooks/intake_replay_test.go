package hooks_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/intake"
)

// Item 9: the ingest replay told an integration that a source_ref "is
// already used by a lead you cannot see". References are the sender's own
// (idempotency per sender): another sender's reference gets exactly the
// answer of a reference nobody used, on the single and the batch route.
func TestIngestReplayIsNoOracle(t *testing.T) {
	w := newWorld(t)
	w.addUser("integration2", "integration", "")
	first := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], ingestBody("REF-TAKEN"))
	require.Equal(t, http.StatusCreated, first.Status, first.Body)
	var theirs map[string]any
	first.JSON(t, &theirs)

	answer := func(ref string) (int, map[string]any) {
		res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration2"], ingestBody(ref))
		var body map[string]any
		res.JSON(t, &body)
		for _, k := range []string{"id", "created", "updated", "source_ref"} {
			delete(body, k)
		}
		return res.Status, body
	}
	takenStatus, taken := answer("REF-TAKEN")
	freshStatus, fresh := answer("REF-FRESH")
	assert.Equal(t, freshStatus, takenStatus)
	assert.Equal(t, fresh, taken)
	assert.Equal(t, http.StatusCreated, takenStatus)

	// a replay by the sender itself is still idempotent
	again := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration2"], ingestBody("REF-TAKEN"))
	require.Equal(t, http.StatusOK, again.Status, again.Body)
	assert.NotContains(t, again.Body, theirs["id"])

	// the batch route answers the same for another sender's reference and
	// a fresh one
	other := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], ingestBody("REF-TAKEN-B"))
	require.Equal(t, http.StatusCreated, other.Status, other.Body)
	var theirsB map[string]any
	other.JSON(t, &theirsB)
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest/batch", w.tokens["integration2"], map[string]any{
		"leads": []map[string]any{ingestBody("REF-TAKEN-B"), ingestBody("REF-FRESH-B")},
	})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.NotContains(t, res.Body, theirsB["id"])
	var batch struct {
		Items []intake.BatchItem `json:"items"`
	}
	res.JSON(t, &batch)
	require.Len(t, batch.Items, 2)
	assert.Equal(t, "created", batch.Items[0].Status)
	assert.Equal(t, batch.Items[1].Status, batch.Items[0].Status)
}

// A sender that replays its own reference for a lead that left its scope
// is told so, about its own lead only.
func TestIngestReplayOfOwnLeadOutOfScope(t *testing.T) {
	w := newWorld(t)
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["teleoperator"], ingestBody("TEL-1"))
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var lead map[string]any
	res.JSON(t, &lead)
	rec, err := w.app.FindRecordById("leads", lead["id"].(string))
	require.NoError(t, err)
	rec.Set("partner", w.P2)
	rec.Set("status", "accepted")
	require.NoError(t, w.app.Save(rec))
	again := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["teleoperator"], ingestBody("TEL-1"))
	assert.Equal(t, http.StatusConflict, again.Status, again.Body)
	assert.Contains(t, again.Body, "you already sent this source_ref")
	assert.NotContains(t, again.Body, "Fournil")
}

// A campaign set on an ingested lead is a relation the sender writes: one
// it may view (relations.go), refused with the answer of an unknown id
// otherwise.
func TestIngestCampaignMustBeVisible(t *testing.T) {
	w := newWorld(t)
	camp := w.mk("campaigns", map[string]any{"name": "Salon"}).Id
	send := func(role, ref, campaign string) (int, string) {
		b := ingestBody(ref)
		b["campaign"] = campaign
		res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens[role], b)
		return res.Status, res.Body
	}
	status, body := send("integration", "CAMP-1", camp)
	require.Equal(t, http.StatusBadRequest, status, body)
	assert.Equal(t, access.CodeUnknownRelation, relationError(t, body, "campaign"))
	ghostStatus, ghostBody := send("integration", "CAMP-2", "zz0000000000000")
	assert.Equal(t, status, ghostStatus)
	assert.Equal(t, canonicalJSON(body), canonicalJSON(ghostBody))
	assert.Equal(t, 0, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref LIKE 'CAMP-%'"))

	// an internal role that sees campaigns tags its lead
	status, body = send("sales", "CAMP-3", camp)
	require.Equal(t, http.StatusCreated, status, body)
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref = 'CAMP-3' AND campaign = '"+camp+"'"))
}
