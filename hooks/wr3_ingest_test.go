package hooks_test

import (
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/distribution"
)

// events counts the after-commit success events of leads and offers, and
// what was committed with the lead when its creation's event ran.
type events struct {
	mu           sync.Mutex
	leadCreated  int
	offerCreated int
	offersAtLead int64 // offers of the lead already committed when its creation committed
	leadUpdated  int
}

func watchEvents(t *testing.T, w *world) *events {
	ev := &events{}
	w.app.OnRecordAfterCreateSuccess("leads").BindFunc(func(e *core.RecordEvent) error {
		n, err := e.App.CountRecords("lead_offers", dbx.HashExp{"lead": e.Record.Id})
		require.NoError(t, err)
		ev.mu.Lock()
		ev.leadCreated++
		ev.offersAtLead = n
		ev.mu.Unlock()
		return e.Next()
	})
	w.app.OnRecordAfterUpdateSuccess("leads").BindFunc(func(e *core.RecordEvent) error {
		ev.mu.Lock()
		ev.leadUpdated++
		ev.mu.Unlock()
		return e.Next()
	})
	w.app.OnRecordAfterCreateSuccess("lead_offers").BindFunc(func(e *core.RecordEvent) error {
		ev.mu.Lock()
		ev.offerCreated++
		ev.mu.Unlock()
		return e.Next()
	})
	return ev
}

func auditActions(t *testing.T, w *world, leadID string) []string {
	rows := []struct {
		Action string `db:"action"`
	}{}
	require.NoError(t, w.app.DB().NewQuery("SELECT action FROM audit_log WHERE record = {:r} ORDER BY seq").Bind(dbx.Params{"r": leadID}).All(&rows))
	var out []string
	for _, r := range rows {
		out = append(out, r.Action)
	}
	return out
}

func chainVerifies(t *testing.T, w *world) {
	rep, err := audit.Verify(w.app, 0, nil)
	require.NoError(t, err)
	require.Nil(t, rep.Break, "the audit chain verifies")
}

// A ready lead ingested through the REST API is offered in the
// transaction that stores it: when the lead's creation commits, its offer
// is already committed with it (one transaction, one fsync), and each
// change fires its event once.
func TestReadyIngestCommitsLeadAndOfferTogether(t *testing.T) {
	w, _ := distWorld(t)
	ev := watchEvents(t, w)
	lead := readyLead(t, w, "WR3-1")
	assert.Equal(t, "offered", lead["status"], "answered offered")
	assert.EqualValues(t, 1, ev.offersAtLead, "the offer was committed with the lead")
	assert.Equal(t, 1, ev.leadCreated, "one lead creation event")
	assert.Equal(t, 1, ev.offerCreated, "one offer creation event")
	assert.Equal(t, 1, ev.leadUpdated, "one lead update event (offered)")
	assert.Equal(t, []string{"lead.ingest", "lead.offer"}, auditActions(t, w, lead["id"].(string)))
	chainVerifies(t, w)
}

// A distribution that fails before writing anything (the offer refused)
// is rolled back alone: the lead is stored, ready, answered 201, and the
// distribution job offers it later.
func TestReadyIngestKeepsTheLeadWhenDistributionFails(t *testing.T) {
	w, _ := distWorld(t)
	keepLogs(w.app)
	ev := watchEvents(t, w)
	fail := true
	w.app.OnRecordCreate("lead_offers").BindFunc(func(e *core.RecordEvent) error {
		if fail {
			return errors.New("offer refused by the test")
		}
		return e.Next()
	})
	id := ingestReadyExpecting(t, w, "WR3-2", "ready")
	assert.Zero(t, ev.offerCreated, "no offer event")
	assert.Equal(t, 1, ev.leadCreated, "one lead creation event")
	n, err := w.app.CountRecords("lead_offers", dbx.HashExp{"lead": id})
	require.NoError(t, err)
	assert.Zero(t, n, "no offer stored")
	assert.Equal(t, []string{"lead.ingest"}, auditActions(t, w, id))
	assert.NotEmpty(t, errorLogs(t, w.app), "the failure is logged")
	chainVerifies(t, w)
	fail = false
	jobOffers(t, w, id)
}

// A distribution that fails after a write (the offer stored, then the
// lead's update refused) cannot be taken back alone: the ingest runs again
// without it, and the lead is stored once, ready, with no offer and no
// offer event (the rolled back offer fires none).
func TestReadyIngestRunsAgainWithoutAFailedDistribution(t *testing.T) {
	w, _ := distWorld(t)
	ev := watchEvents(t, w)
	fail := true
	w.app.OnRecordUpdate("leads").BindFunc(func(e *core.RecordEvent) error {
		if fail && e.Record.GetString("status") == "offered" {
			return errors.New("lead update refused by the test")
		}
		return e.Next()
	})
	id := ingestReadyExpecting(t, w, "WR3-3", "ready")
	assert.Zero(t, ev.offerCreated, "no offer event")
	assert.Equal(t, 1, ev.leadCreated, "one lead creation event")
	n, err := w.app.CountRecords("lead_offers", dbx.HashExp{"lead": id})
	require.NoError(t, err)
	assert.Zero(t, n, "no offer stored")
	n, err = w.app.CountRecords("leads", dbx.HashExp{"source_ref": "WR3-3"})
	require.NoError(t, err)
	assert.EqualValues(t, 1, n, "the lead stored once")
	assert.Equal(t, []string{"lead.ingest"}, auditActions(t, w, id))
	chainVerifies(t, w)
	fail = false
	jobOffers(t, w, id)
}

// ingestReadyExpecting ingests a ready lead and checks its answered status.
func ingestReadyExpecting(t *testing.T, w *world, ref, status string) string {
	b := ingestBody(ref)
	b["score"] = 80
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var lead map[string]any
	res.JSON(t, &lead)
	assert.Equal(t, status, lead["status"])
	got := leadRec(t, w, lead["id"].(string))
	assert.Equal(t, status, got.GetString("status"), "stored")
	return got.Id
}

// jobOffers runs the distribution job and checks it offered the lead.
func jobOffers(t *testing.T, w *world, id string) {
	_, err := distribution.DistributePending(w.app, time.Now())
	require.NoError(t, err)
	assert.Equal(t, "offered", leadRec(t, w, id).GetString("status"), "the distribution job offered it")
}
