package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/apikeys"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/webhooks"
	"github.com/relais/relais/internal/testapp"
)

// hookReceiver is a webhook receiver on loopback: the ids and types of
// the events it accepted, in order of arrival; while down it answers 503.
type hookReceiver struct {
	mu      sync.Mutex
	secret  string
	down    bool
	ids     []string
	types   map[string]string
	badSigs int
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil || h.down {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if !webhooks.Verify(h.secret, b, r.Header.Get(webhooks.SignatureHeader)) {
		h.badSigs++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var ev struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if json.Unmarshal(b, &ev) != nil || ev.ID != r.Header.Get(webhooks.IdempotencyHeader) {
		h.badSigs++
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	h.ids = append(h.ids, ev.ID)
	h.types[ev.ID] = ev.Type
	w.WriteHeader(http.StatusOK)
}

func (h *hookReceiver) setDown(d bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.down = d
}

// received returns the event types in order of first arrival (a repeat,
// allowed by at-least-once delivery, counts once) and the number of
// arrivals.
func (h *hookReceiver) received() ([]string, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, id := range h.ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, h.types[id])
		}
	}
	return out, len(h.ids)
}

// killWorld prepares a data dir: a territory, a partner with a salesperson,
// an assignment rule, an integration with an ingest key and an endpoint.
func killWorld(t *testing.T, app core.App, hookURL string) (key, secret, partnerTok string) {
	t.Helper()
	mk := func(coll string, f map[string]any) *core.Record {
		c, err := app.FindCollectionByNameOrId(coll)
		require.NoError(t, err)
		r := core.NewRecord(c)
		for k, v := range f {
			r.Set(k, v)
		}
		if c.IsAuth() {
			r.SetPassword("kill-password-123")
		}
		require.NoError(t, app.Save(r), coll)
		return r
	}
	terr := mk("territories", map[string]any{"name": "Ouest", "code": "T1", "kind": "region", "departments": []string{"35", "29"}})
	p := mk("partners", map[string]any{"name": "Soleil Ouest", "kind": "installer", "tier": "standard", "status": "active", "territories": []string{terr.Id}})
	pu := mk("users", map[string]any{"email": "pu@kill.test", "name": "PU", "role": "partner_user", "partner": p.Id, "active": true})
	mk("assignment_rules", map[string]any{"name": "Ouest", "priority": 1, "active": true, "territory": terr.Id, "strategy": "round_robin", "accept_hours": 48, "max_offers": 2})
	crm := mk("users", map[string]any{"email": "crm@kill.test", "name": "CRM", "role": "integration", "active": true})
	k, _, err := apikeys.Create(app, audit.SystemActor("test"), crm.Id, "crm", []string{apikeys.ScopeIngest})
	require.NoError(t, err)
	secret, err = webhooks.SaveEndpoint(app, audit.SystemActor("test"), crm.Id, hookURL, true, false)
	require.NoError(t, err)
	return "Bearer " + k, secret, testapp.Token(t, app, pu)
}

// freeAddr returns a loopback address no one listens on (right now).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// serveRelais starts `relais serve` on dir and waits until it answers.
func serveRelais(t *testing.T, dir, addr string) (*bytes.Buffer, func()) {
	t.Helper()
	var out bytes.Buffer
	cmd := startRelais(t, &out, "serve", "--http", addr, "--dir", dir)
	killed := false
	kill := func() {
		if !killed {
			killed = true
			require.NoError(t, cmd.Process.Kill()) // SIGKILL: no shutdown hook runs
			_ = cmd.Wait()                         // the exit status of a killed process is an error
		}
	}
	t.Cleanup(kill)
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/api/health")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return &out, kill
			}
		}
		require.True(t, time.Now().Before(deadline), "relais serve did not start: %s", out.String())
		time.Sleep(100 * time.Millisecond)
	}
}

func call(t *testing.T, method, url, token string, body any) (int, map[string]any) {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(method, url, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out) // some answers have no JSON body
	return res.StatusCode, out
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		require.True(t, time.Now().Before(deadline), "timed out waiting for %s", what)
		time.Sleep(100 * time.Millisecond)
	}
}

// The outbox survives kill -9: a real `relais serve` process delivers the
// first event, then its receiver goes down while the lead moves on; the
// process is killed with SIGKILL with three events undelivered; a new
// process on the same data dir delivers them, then the next one, each
// once at least, in the lead's order, with valid signatures.
func TestWebhookOutboxSurvivesKill9(t *testing.T) {
	rcv := &hookReceiver{types: map[string]string{}}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	app := testapp.NewServing(t)
	key, secret, ptok := killWorld(t, app, srv.URL+"/hook")
	rcv.secret = secret
	dir := app.DataDir()

	addr := freeAddr(t)
	base := "http://" + addr
	out, kill := serveRelais(t, dir, addr)
	status, lead := call(t, http.MethodPost, base+"/api/prm/leads/ingest", key, map[string]any{
		"company": "Ferme du Kill", "segment": "business", "postal_code": "35000", "city": "Rennes", "source": "api",
		"source_ref": "KILL-1", "score": 80, "consent": true, "contact": map[string]any{"last_name": "Neuf", "email": "neuf@kill.test"},
	})
	require.Equal(t, http.StatusCreated, status, "%v %s", lead, out)
	id := lead["id"].(string)
	waitFor(t, "lead.offered", 20*time.Second, func() bool { got, _ := rcv.received(); return len(got) == 1 })

	rcv.setDown(true)
	status, body := call(t, http.MethodPost, base+"/api/prm/leads/"+id+"/accept", ptok, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	for _, s := range []string{"contacted", "meeting"} {
		b := map[string]any{"status": s}
		if s == "meeting" {
			b["meeting_at"] = time.Now().Add(72 * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")
		}
		status, body = call(t, http.MethodPatch, base+"/api/collections/leads/records/"+id, ptok, b)
		require.Equal(t, http.StatusOK, status, "%v", body)
	}
	pending := func() int {
		var n int
		require.NoError(t, app.DB().NewQuery(fmt.Sprintf("SELECT COUNT(*) FROM webhook_events WHERE lead = '%s' AND status = 'pending'", id)).Row(&n))
		return n
	}
	tried := func() bool {
		var n int
		require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM webhook_events WHERE attempts > 0 AND status = 'pending'").Row(&n))
		return n > 0
	}
	waitFor(t, "a failed attempt", 20*time.Second, tried)
	require.Equal(t, 3, pending())
	kill()
	require.Equal(t, 3, pending(), "the killed process left its outbox")

	rcv.setDown(false)
	_, _ = serveRelais(t, dir, addr)
	status, body = call(t, http.MethodPatch, base+"/api/collections/leads/records/"+id, ptok, map[string]any{"status": "won", "won_amount": 21000})
	require.Equal(t, http.StatusOK, status, "%v", body)
	want := []string{"lead.offered", "lead.accepted", "lead.contacted", "lead.meeting", "lead.won"}
	waitFor(t, "every event", 30*time.Second, func() bool { got, _ := rcv.received(); return len(got) == len(want) })
	got, arrivals := rcv.received()
	assert.Equal(t, want, got)
	assert.GreaterOrEqual(t, arrivals, len(want))
	assert.Zero(t, rcv.badSigs)
	// the receiver counts an event before it answers; the sender marks it
	// delivered after the answer, so the outbox empties a moment later
	waitFor(t, "an empty outbox", 20*time.Second, func() bool { return pending() == 0 })
	assert.False(t, strings.Contains(out.String(), "panic"), out.String())
}
