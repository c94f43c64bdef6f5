package hooks_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/logger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/distribution"
)

// A lead set to ready through the REST API is offered before the PATCH
// returns: the distribution runs right after the qualifying commit, in the
// same request, not at the next run of the job.
func TestReadyThroughRESTIsOfferedBeforeThePatchReturns(t *testing.T) {
	w, _ := distWorld(t)
	keepLogs(w.app)
	for _, who := range []string{"teleoperator", "channel_manager", "admin"} {
		lead := w.lead(leadShape{territory: "T1", status: "qualifying", createdBy: "integration"})
		res := w.client.Do(http.MethodPatch, url("leads", lead.Id), w.tokens[who], map[string]any{"status": "ready", "score": 80})
		require.Equal(t, http.StatusOK, res.Status, "%s: %s", who, res.Body)
		got := leadRec(t, w, lead.Id)
		assert.Equal(t, "offered", got.GetString("status"), "%s: offered when the PATCH returns", who)
		assert.NotEmpty(t, got.GetString("partner"), who)
		n, err := w.app.CountRecords("lead_offers", dbx.HashExp{"lead": lead.Id, "outcome": "pending"})
		require.NoError(t, err)
		assert.EqualValues(t, 1, n, "%s: one pending offer", who)
	}
	assert.Empty(t, errorLogs(t, w.app), "no distribution error (\"transaction has already been committed\") logged")
}

// keepLogs makes the test app store its logs (tests.NewTestApp keeps
// none), for errorLogs.
func keepLogs(app core.App) { app.Settings().Logs.MaxDays = 1 }

// errorLogs flushes the app's log buffer and returns the messages and
// data of the error entries.
func errorLogs(t *testing.T, app core.App) []string {
	h, ok := app.Logger().Handler().(*logger.BatchHandler)
	require.True(t, ok, "PocketBase's batch log handler")
	require.NoError(t, h.WriteAll(context.WithValue(context.Background(), logger.BlockKey, true)))
	rows := []struct {
		Message string `db:"message"`
		Data    string `db:"data"`
	}{}
	require.NoError(t, app.AuxDB().NewQuery("SELECT message, data FROM _logs WHERE level >= {:l}").Bind(dbx.Params{"l": int(slog.LevelError)}).All(&rows))
	var out []string
	for _, r := range rows {
		out = append(out, r.Message+" "+r.Data)
	}
	return out
}

// corse adds a territory no partner serves, its channel manager, and n
// ready leads there, all older than what the test adds next.
func corse(t *testing.T, w *world, n int) (territory string, manager *core.Record, leads []*core.Record) {
	territory = w.mk("territories", map[string]any{"name": "Corse", "code": "T3", "kind": "region", "departments": []string{"2A", "2B"}}).Id
	manager = w.addUser("cm_corse", "channel_manager", "")
	manager.Set("territories", []string{territory})
	require.NoError(t, w.app.Save(manager))
	for i := 0; i < n; i++ {
		leads = append(leads, w.mk("leads", map[string]any{"company": fmt.Sprintf("Corse %d", i), "status": "ready", "country": "FR",
			"postal_code": "20000", "city": "Ajaccio", "department": "2A", "territory": territory, "score": 80, "segment": "business"}))
	}
	return territory, manager, leads
}

func notificationCount(t *testing.T, w *world, userID, kind string) int64 {
	n, err := w.app.CountRecords("notifications", dbx.HashExp{"user": userID, "kind": kind})
	require.NoError(t, err)
	return n
}

// 300 ready leads no partner can take (Corse) never hold a Brest lead
// behind them: the first run of the distribution job offers it. The Corse
// leads are marked as waiting for a partner, their channel manager is
// told by one notification counting the 300 leads (not once per lead nor
// per run), and the job tries them again after RetryAfter only.
func TestUndistributableLeadsDoNotBlockTheJob(t *testing.T) {
	w, _ := distWorld(t)
	territory, cm, waiting := corse(t, w, 300)
	brest := w.mk("leads", map[string]any{"company": "Brest Marine", "status": "ready", "country": "FR", "postal_code": "29200",
		"city": "Brest", "department": "29", "territory": w.T1, "score": 80, "segment": "business"})

	now := time.Now()
	start := time.Now()
	_, err := distribution.DistributePending(w.app, now)
	require.NoError(t, err)
	t.Logf("ready → offered for the Brest lead through the job's first run, 300 Corse leads waiting: %v", time.Since(start))
	assert.Equal(t, "offered", leadRec(t, w, brest.Id).GetString("status"), "the Brest lead is offered on the first run")

	n, err := w.app.CountRecords(distribution.WaitsCollection)
	require.NoError(t, err)
	assert.EqualValues(t, 300, n, "every Corse lead waits for a partner")
	assert.EqualValues(t, 1, notificationCount(t, w, cm.Id, distribution.NotifyNoCandidate), "one grouped notification for the 300 leads")
	assert.Equal(t, "300", noteCount(t, noCandidateNotes(t, w, cm.Id)[0]))
	assert.Equal(t, "ready", leadRec(t, w, waiting[0].Id).GetString("status"))

	// later runs: nothing new before RetryAfter, a retry after it, and
	// never a second notification
	for _, at := range []time.Time{now.Add(time.Minute), now.Add(distribution.RetryAfter + time.Minute)} {
		_, err := distribution.DistributePending(w.app, at)
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, notificationCount(t, w, cm.Id, distribution.NotifyNoCandidate), "still one notification")
	assert.Equal(t, "300", noteCount(t, noCandidateNotes(t, w, cm.Id)[0]), "retries count no lead twice")
	audits, err := w.app.CountRecords("audit_log", dbx.HashExp{"action": distribution.ActionNoCandidate, "record": waiting[0].Id})
	require.NoError(t, err)
	assert.EqualValues(t, 1, audits)

	// a partner for Corse: the waiting leads are offered at their next try
	p4 := w.mk("partners", map[string]any{"name": "Corsica Sole", "kind": "installer", "tier": "standard", "status": "active",
		"territories": []string{territory}, "capacity": 5}).Id
	w.addUser("pu4", "partner_user", p4)
	w.mk("assignment_rules", map[string]any{"name": "Corse", "priority": 1, "active": true, "territory": territory, "strategy": "least_loaded",
		"accept_hours": 48, "max_offers": 2})
	_, err = distribution.DistributePending(w.app, now.Add(3*distribution.RetryAfter))
	require.NoError(t, err)
	offered, err := w.app.CountRecords("leads", dbx.HashExp{"partner": p4, "status": "offered"})
	require.NoError(t, err)
	assert.EqualValues(t, 5, offered, "up to the new partner's capacity")
	n, err = w.app.CountRecords(distribution.WaitsCollection)
	require.NoError(t, err)
	assert.EqualValues(t, 295, n, "an offered lead no longer waits")
}

// With 300 Corse leads waiting, a Brest lead is offered at once when it
// is ingested and when it is qualified through the REST API; the test
// prints the time from ready to offered (closing note of the change).
func TestBrestLeadOfferedAtOnceWhileCorseLeadsWait(t *testing.T) {
	w, _ := distWorld(t)
	corse(t, w, 300)
	_, err := distribution.DistributePending(w.app, time.Now())
	require.NoError(t, err)

	lead := w.mk("leads", map[string]any{"company": "Brest Voile", "status": "qualifying", "country": "FR", "postal_code": "29200",
		"city": "Brest", "department": "29", "territory": w.T1, "score": 40, "segment": "business"})
	start := time.Now()
	res := w.client.Do(http.MethodPatch, url("leads", lead.Id), w.tokens["teleoperator"], map[string]any{"status": "ready", "score": 80})
	elapsed := time.Since(start)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	require.Equal(t, "offered", leadRec(t, w, lead.Id).GetString("status"))
	t.Logf("ready → offered for a Brest lead qualified through PATCH while 300 Corse leads wait: %v", elapsed)

	b := ingestBody("BREST-1")
	b["score"], b["postal_code"], b["city"] = 80, "29200", "Brest"
	start = time.Now()
	res = w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	elapsed = time.Since(start)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var got map[string]any
	res.JSON(t, &got)
	assert.Equal(t, "offered", leadRec(t, w, got["id"].(string)).GetString("status"))
	t.Logf("ingest → offered for a Brest lead while 300 Corse leads wait: %v", elapsed)
}
