package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/internal/testapp"
)

// noCandidateNotes returns userID's notifications of the leads no partner
// can take, newest first.
func noCandidateNotes(t *testing.T, w *world, userID string) []*core.Record {
	t.Helper()
	recs, err := w.app.FindRecordsByFilter("notifications", "user = {:u} && kind = {:k}", "-created", 0, 0,
		dbx.Params{"u": userID, "k": distribution.NotifyNoCandidate})
	require.NoError(t, err)
	return recs
}

// noteCount is the count of leads a grouped notification stands for.
func noteCount(t *testing.T, n *core.Record) string {
	t.Helper()
	var m struct {
		Args map[string]struct {
			V string `json:"v"`
		} `json:"args"`
	}
	require.NoError(t, json.Unmarshal([]byte(n.GetString("message")), &m))
	return m.Args["count"].V
}

// corseLeads adds n ready Corse leads named from the given index.
func corseLeads(w *world, territory string, from, n int) {
	for i := from; i < from+n; i++ {
		w.mk("leads", map[string]any{"company": fmt.Sprintf("Corse %d", i), "status": "ready", "country": "FR",
			"postal_code": "20000", "city": "Ajaccio", "department": "2A", "territory": territory, "score": 80, "segment": "business"})
	}
}

// N leads no partner can take make one unread notification per channel
// manager of their territory, counting N and naming the latest lead, in
// each manager's language; retries add nothing; once a manager has read
// it, the next lead starts a new one for that manager only; every lead
// keeps its own audit entry; nobody else is told, and no e-mail is sent.
func TestNoCandidateAlertsAreGroupedPerManagerAndTerritory(t *testing.T) {
	w, _ := distWorld(t)
	territory, cmFR, _ := corse(t, w, 0)
	cmEN := w.addUser("cm_corse_en", "channel_manager", "")
	cmEN.Set("territories", []string{territory})
	cmEN.Set("locale", "en")
	require.NoError(t, w.app.Save(cmEN))
	corseLeads(w, territory, 0, 5)

	now := time.Now()
	_, err := distribution.DistributePending(w.app, now)
	require.NoError(t, err)

	fr := noCandidateNotes(t, w, cmFR.Id)
	require.Len(t, fr, 1, "one notification for five leads")
	assert.Equal(t, "5", noteCount(t, fr[0]))
	assert.Equal(t, "5 leads qu'aucun partenaire ne peut prendre (territoire Corse)", fr[0].GetString("title"))
	assert.Contains(t, fr[0].GetString("body"), "Dernier : Corse 4 — Ajaccio (aucune règle d'attribution)")
	assert.Empty(t, fr[0].GetString("lead"), "it names no lead record: it leads to the board")
	en := noCandidateNotes(t, w, cmEN.Id)
	require.Len(t, en, 1)
	assert.Equal(t, "5 leads cannot be taken by any partner in Corse", en[0].GetString("title"))
	assert.Contains(t, en[0].GetString("body"), "Latest: Corse 4 — Ajaccio (no assignment rule)")

	// nobody else: 2 notifications of the kind in all
	all, err := w.app.CountRecords("notifications", dbx.HashExp{"kind": distribution.NotifyNoCandidate})
	require.NoError(t, err)
	assert.EqualValues(t, 2, all, "only the two managers of Corse")
	audits, err := w.app.CountRecords("audit_log", dbx.HashExp{"action": distribution.ActionNoCandidate})
	require.NoError(t, err)
	assert.EqualValues(t, 5, audits, "one audit entry per lead")

	// a retry of the same leads counts nothing new
	_, err = distribution.DistributePending(w.app, now.Add(distribution.RetryAfter+time.Minute))
	require.NoError(t, err)
	assert.Equal(t, "5", noteCount(t, noCandidateNotes(t, w, cmFR.Id)[0]))

	// the French manager reads it; one more lead: a new one for them, the
	// English manager's unread one counts 6
	fr[0].Set("read", true)
	require.NoError(t, w.app.Save(fr[0]))
	corseLeads(w, territory, 5, 1)
	_, err = distribution.DistributePending(w.app, now.Add(2*distribution.RetryAfter))
	require.NoError(t, err)
	fr = noCandidateNotes(t, w, cmFR.Id)
	require.Len(t, fr, 2, "a new notification once the previous one was read")
	assert.False(t, fr[0].GetBool("read"))
	assert.Equal(t, "1", noteCount(t, fr[0]))
	assert.Equal(t, "1 lead qu'aucun partenaire ne peut prendre (territoire Corse)", fr[0].GetString("title"))
	assert.Equal(t, "5", noteCount(t, fr[1]), "the read one is left as it was")
	en = noCandidateNotes(t, w, cmEN.Id)
	require.Len(t, en, 1)
	assert.Equal(t, "6", noteCount(t, en[0]))
	assert.Contains(t, en[0].GetString("body"), "Latest: Corse 5 — Ajaccio")

	for _, m := range w.app.TestMailer.Messages() {
		for _, to := range m.To {
			assert.NotContains(t, []string{cmFR.Email(), cmEN.Email()}, to.Address, "no e-mail of the alert: %s", m.Subject)
		}
	}
}

// A territory nobody manages (Sud, whose leads have no rule) alerts the
// active admins, grouped too; the channel manager of another territory
// and the partners get nothing.
func TestNoCandidateAlertsOfAnUnmanagedTerritoryGoToTheAdmins(t *testing.T) {
	w, _ := distWorld(t)
	admin2 := w.addUser("admin2", "admin", "")
	for i := range 3 {
		w.mk("leads", map[string]any{"company": fmt.Sprintf("Sud %d", i), "status": "ready", "country": "FR", "postal_code": "13001",
			"city": "Marseille", "department": "13", "territory": w.T2, "score": 80, "segment": "business"})
	}
	_, err := distribution.DistributePending(w.app, time.Now())
	require.NoError(t, err)
	for _, u := range []*core.Record{w.users["admin"], admin2} {
		notes := noCandidateNotes(t, w, u.Id)
		require.Len(t, notes, 1, u.GetString("name"))
		assert.Equal(t, "3", noteCount(t, notes[0]))
		assert.Equal(t, w.T2, notify.MessageArg(notes[0], notify.GroupArg), "grouped by territory")
	}
	for key, u := range w.users {
		if u.GetString("role") == "admin" {
			continue
		}
		assert.Empty(t, noCandidateNotes(t, w, u.Id), "%s gets no alert", key)
	}
}

// The statements of one ingest of a ready lead no partner can take, with
// two channel managers of its territory: after the first (which creates
// the managers' grouped notifications), each further one updates them —
// one UPDATE of notifications per manager, no INSERT into notifications,
// one audit entry, one wait row. The statement counts are logged (the
// figures of the change).
func TestNoCandidateIngestStatements(t *testing.T) {
	w, _ := distWorld(t)
	territory, _, _ := corse(t, w, 0)
	cm2 := w.addUser("cm_corse_2", "channel_manager", "")
	cm2.Set("territories", []string{territory})
	require.NoError(t, w.app.Save(cm2))
	log := testapp.LogStatements(w.app)
	ingest := func(i int) []string {
		b := ingestBody(fmt.Sprintf("NOCAND-%d", i))
		b["score"], b["postal_code"], b["city"], b["company"] = 80, "20000", "Ajaccio", fmt.Sprintf("Corse Ingest %d", i)
		b["contact"] = map[string]any{"first_name": "Paul", "last_name": fmt.Sprintf("Santoni%d", i), "email": fmt.Sprintf("paul@corse%d.test", i),
			"phone": fmt.Sprintf("04 95 00 00 %02d", i)}
		var res testapp.Response
		stmts := log.Record(func() { res = w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b) })
		require.Equal(t, http.StatusCreated, res.Status, res.Body)
		return stmts
	}
	count := func(stmts []string, prefix string) int {
		n := 0
		for _, s := range stmts {
			if strings.HasPrefix(strings.TrimSpace(s), prefix) {
				n++
			}
		}
		return n
	}
	first := ingest(0)
	next := ingest(1)
	t.Logf("statements per no-candidate ingest, 2 managers: first %d (INSERT notifications %d), next %d (INSERT notifications %d, UPDATE notifications %d)",
		len(first), count(first, "INSERT INTO `notifications`"), len(next), count(next, "INSERT INTO `notifications`"), count(next, "UPDATE `notifications`"))
	waits, err := w.app.CountRecords(distribution.WaitsCollection)
	require.NoError(t, err)
	require.EqualValues(t, 2, waits, "both leads wait for a partner")
	assert.Equal(t, 0, count(next, "INSERT INTO `notifications`"), "no new notification")
	assert.Equal(t, 2, count(next, "UPDATE `notifications`"), "one update per manager")
	assert.Equal(t, 1, count(next, "INSERT INTO `distribution_waits`"))
	for _, u := range []string{w.users["cm_corse"].Id, cm2.Id} {
		assert.Equal(t, "2", noteCount(t, noCandidateNotes(t, w, u)[0]))
	}
}
