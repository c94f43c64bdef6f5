package hooks_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/apikeys"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/webhooks"
)

// receiver is a webhook receiver on loopback: it records every event it
// accepts, checks each signature, and answers fail while failing is set.
type receiver struct {
	t       *testing.T
	secret  string
	mu      sync.Mutex
	bodies  []map[string]any
	raw     []string
	badSigs int
	failing bool
	srv     *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.failing {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if !webhooks.Verify(r.secret, b, req.Header.Get(webhooks.SignatureHeader)) {
			r.badSigs++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || m["id"] != req.Header.Get(webhooks.IdempotencyHeader) {
			r.badSigs++
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.bodies = append(r.bodies, m)
		r.raw = append(r.raw, string(b))
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) setFailing(f bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failing = f
}

// types returns the event types received for a lead, in order.
func (r *receiver) types(lead string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, b := range r.bodies {
		if b["lead"].(map[string]any)["id"] == lead {
			out = append(out, b["type"].(string))
		}
	}
	return out
}

// workerToken is the token of a partner user of the lead's partner (the
// assignee when there is one).
func workerToken(t *testing.T, w *world, lead *core.Record) string {
	t.Helper()
	if lead.GetString("assignee") != "" {
		return assigneeToken(t, w, lead)
	}
	for key, u := range w.users {
		if u.GetString("partner") == lead.GetString("partner") && u.GetString("role") == "partner_user" {
			return w.tokens[key]
		}
	}
	t.Fatalf("no partner user for %s", lead.GetString("partner"))
	return ""
}

func deliver(t *testing.T, w *world, now func() time.Time) int {
	t.Helper()
	n, err := webhooks.DeliverDue(context.Background(), w.app, api.HTTPSender(), now)
	require.NoError(t, err)
	return n
}

// Every status change of a lead an integration created reaches its
// receiver, in order, signed, with one idempotency key per event: offered,
// declined and re-offered, accepted, contacted, meeting, won with its
// amount; and for another lead lost with its reason, then recycled. Events
// written while the receiver fails wait in the outbox and are retried
// with backoff, in order. The bodies carry no partner, no contact, no
// margin.
func TestWebhookGetsEveryStatusChangeInOrder(t *testing.T) {
	w, _ := distWorld(t)
	rcv := newReceiver(t)
	secret, err := webhooks.SaveEndpoint(w.app, audit.ActorOfUser(w.users["admin"]), w.uid("integration"), rcv.srv.URL+"/relais", true, false)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(secret, "whsec_"))
	rcv.secret = secret
	key, _ := newKey(t, w, "integration", apikeys.ScopeIngest, apikeys.ScopeStatus)

	// a won lead
	b := ingestBody("HOOK-1")
	b["score"] = 80
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", key, b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var got map[string]any
	res.JSON(t, &got)
	id := got["id"].(string)
	rec := leadRec(t, w, id)
	require.Equal(t, "offered", rec.GetString("status"))
	first := rec.GetString("partner")
	res = w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/decline", workerToken(t, w, rec), map[string]any{"reason": "Trop loin"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	rec = leadRec(t, w, id)
	require.Equal(t, "offered", rec.GetString("status"))
	require.NotEqual(t, first, rec.GetString("partner"))
	tok := workerToken(t, w, rec)
	res = w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/accept", tok, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	deliver(t, w, time.Now)
	assert.Equal(t, []string{"lead.offered", "lead.reoffered", "lead.accepted"}, rcv.types(id))

	// the receiver goes down: the next events wait in the outbox
	rcv.setFailing(true)
	meeting := time.Now().Add(48 * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")
	for _, body := range []map[string]any{
		{"status": "contacted"}, {"status": "meeting", "meeting_at": meeting}, {"status": "won", "won_amount": 18500},
	} {
		res = w.client.Do(http.MethodPatch, url("leads", id), tok, body)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
	}
	assert.Equal(t, 1, deliver(t, w, time.Now), "only the head of the lead's queue is tried")
	assert.Zero(t, deliver(t, w, time.Now), "then it waits for its backoff")
	assert.Equal(t, 3, countRows(t, w, "SELECT COUNT(*) FROM webhook_events WHERE lead = {:l} AND status = 'pending'", map[string]any{"l": id}))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM webhook_events WHERE lead = {:l} AND attempts = 1 AND last_status = 503", map[string]any{"l": id}))

	// a lost lead, recycled by its channel manager
	b = ingestBody("HOOK-2")
	b["score"], b["company"] = 80, "Menuiserie Durand"
	b["contact"] = map[string]any{"first_name": "Paul", "last_name": "Durand", "email": "paul@durand.fr"}
	res = w.client.Do(http.MethodPost, "/api/prm/leads/ingest", key, b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	res.JSON(t, &got)
	lost := got["id"].(string)
	rec2 := leadRec(t, w, lost)
	tok2 := workerToken(t, w, rec2)
	require.Equal(t, http.StatusOK, w.client.Do(http.MethodPost, "/api/prm/leads/"+lost+"/accept", tok2, nil).Status)
	res = w.client.Do(http.MethodPatch, url("leads", lost), tok2, map[string]any{"status": "lost", "lost_reason": "Projet abandonné"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = w.client.Do(http.MethodPatch, url("leads", lost), w.tokens["channel_manager"], map[string]any{"status": "recycled"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)

	// back up, an hour later: everything is delivered, each lead in order
	rcv.setFailing(false)
	later := func() time.Time { return time.Now().Add(2 * time.Hour) }
	deliver(t, w, later)
	assert.Equal(t, []string{"lead.offered", "lead.reoffered", "lead.accepted", "lead.contacted", "lead.meeting", "lead.won"}, rcv.types(id))
	assert.Equal(t, []string{"lead.offered", "lead.accepted", "lead.lost", "lead.recycled"}, rcv.types(lost))
	assert.Zero(t, rcv.badSigs)
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM webhook_events WHERE status = 'pending'"))

	ids := map[string]bool{}
	for _, body := range rcv.bodies {
		ids[body["id"].(string)] = true
		lead := body["lead"].(map[string]any)
		switch body["type"] {
		case "lead.won":
			assert.EqualValues(t, 18500, lead["won_amount"])
			assert.Equal(t, "meeting", lead["previous_status"])
		case "lead.lost":
			assert.Equal(t, "Projet abandonné", lead["lost_reason"])
		case "lead.meeting":
			assert.Equal(t, meeting, lead["meeting_at"])
		}
		assert.Contains(t, []string{"HOOK-1", "HOOK-2"}, lead["source_ref"])
	}
	assert.Len(t, ids, len(rcv.bodies), "one idempotency key per event")

	// nothing the source may not see: no partner (id or name), no
	// assignee, no contact detail
	all := strings.Join(rcv.raw, "\n")
	for _, p := range []string{w.P1, "Soleil Ouest", "Armor Énergie", "partner", "assignee", "jeanne@fournil.fr", "Fournier", "margin"} {
		assert.NotContains(t, all, p)
	}
	// every lead field of a body is what the integration reads on its own
	// lead through the REST API
	res = w.client.Do(http.MethodGet, url("leads", id), key, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var view map[string]any
	res.JSON(t, &view)
	var last map[string]any
	for _, body := range rcv.bodies {
		if l := body["lead"].(map[string]any); l["id"] == id && body["type"] == "lead.won" {
			last = l
		}
	}
	require.NotNil(t, last)
	for k, v := range last {
		if k == "previous_status" {
			continue
		}
		assert.EqualValues(t, v, view[k], "field %s", k)
	}

	// resend: the same event again, same id, audited
	evID := rcv.bodies[0]["id"].(string)
	head := auditHead(t, w.app)
	require.NoError(t, webhooks.Resend(w.app, audit.ActorOfUser(w.users["admin"]), evID, time.Now()))
	onlyEntry(t, w.app, head, webhooks.ActionResend)
	n := len(rcv.bodies)
	deliver(t, w, time.Now)
	require.Len(t, rcv.bodies, n+1)
	assert.Equal(t, evID, rcv.bodies[n]["id"])
}

// A lead of another integration, or of a person, writes no event; an
// integration without an endpoint neither.
func TestWebhookEventsOnlyForTheSourcesLeads(t *testing.T) {
	w, _ := distWorld(t)
	w.addUser("integration2", "integration", "")
	_, err := webhooks.SaveEndpoint(w.app, audit.ActorOfUser(w.users["admin"]), w.uid("integration"), "http://127.0.0.1:9/x", true, false)
	require.NoError(t, err)
	mine := w.lead(leadShape{territory: "T1", status: "ready", createdBy: "integration"})
	other := w.lead(leadShape{territory: "T1", status: "ready", createdBy: "integration2"})
	person := w.lead(leadShape{territory: "T1", status: "ready", createdBy: "teleoperator"})
	for _, l := range []string{mine.Id, other.Id, person.Id} {
		res := w.client.Do(http.MethodPatch, url("leads", l), w.tokens["channel_manager"], map[string]any{"status": "qualifying"})
		require.Equal(t, http.StatusOK, res.Status, res.Body)
	}
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM webhook_events"))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM webhook_events WHERE lead = {:l} AND event = 'lead.qualifying' AND user = {:u}",
		map[string]any{"l": mine.Id, "u": w.uid("integration")}))
	// endpoints: http(s) URLs of integration accounts only
	for _, c := range []struct{ user, url string }{
		{"integration", "ftp://x"}, {"integration", "not a url"}, {"integration", "https://user:pw@x.test/"}, {"partner_user", "https://x.test/"},
	} {
		_, err := webhooks.SaveEndpoint(w.app, audit.ActorOfUser(w.users["admin"]), w.uid(c.user), c.url, true, false)
		assert.Error(t, err, "%+v", c)
	}
}
