package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

// ingestOnce posts one lead and returns its id when the server
// acknowledged it (201 with an id), "" otherwise (refused, or no answer
// because the server died).
func ingestOnce(c *http.Client, url, key string, body map[string]any) (string, int) {
	raw, err := json.Marshal(body)
	if err != nil {
		return "", 0
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		return "", 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", key)
	res, err := c.Do(req)
	if err != nil {
		return "", 0
	}
	defer res.Body.Close()
	var out struct {
		ID string `json:"id"`
	}
	if json.NewDecoder(res.Body).Decode(&out) != nil || res.StatusCode != http.StatusCreated {
		return "", res.StatusCode
	}
	return out.ID, res.StatusCode
}

// killLead is the i-th lead of a client: every fourth is ready (its
// distribution and webhook follow the commit), every seventh is invalid
// (a postal code that does not exist) and must fail alone.
func killLead(client, i int) map[string]any {
	pc, score := "35000", 40
	if i%4 == 0 {
		score = 80
	}
	if i%7 == 3 {
		pc = "00000"
	}
	ref := fmt.Sprintf("GC-%d-%d", client, i)
	return map[string]any{
		"company": "Ferme " + ref, "segment": "business", "postal_code": pc, "city": "Rennes", "source": "api",
		"source_ref": ref, "score": score, "consent": true, "contact": map[string]any{"last_name": "Kill", "email": strings.ToLower(ref) + "@kill.test"},
	}
}

// Group commit loses no acknowledged lead on kill -9: a real `relais
// serve` process takes single ingests from concurrent clients (their
// transactions committed together), is killed with SIGKILL in the middle
// of the load, and restarted on the same data dir: every lead a client
// got a 201 for is there, no refused lead is, and the audit chain
// verifies.
func TestGroupCommitLosesNoAcknowledgedLeadOnKill9(t *testing.T) {
	rcv := &hookReceiver{types: map[string]string{}}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	app := testapp.NewServing(t)
	key, secret, _ := killWorld(t, app, srv.URL+"/hook")
	rcv.secret = secret
	dir := app.DataDir()

	addr := freeAddr(t)
	url := "http://" + addr + "/api/prm/leads/ingest"
	out, kill := serveRelais(t, dir, addr)

	const clients = 8
	var mu sync.Mutex
	acked := map[string]string{} // id → source_ref
	var refused []string
	var nAcked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	hc := &http.Client{Timeout: 30 * time.Second}
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := killLead(c, i)
				id, status := ingestOnce(hc, url, key, body)
				mu.Lock()
				switch {
				case id != "":
					acked[id] = body["source_ref"].(string)
					nAcked.Add(1)
				case status == http.StatusBadRequest:
					refused = append(refused, body["source_ref"].(string))
				}
				mu.Unlock()
				if status == 0 { // the server is gone
					return
				}
			}
		}()
	}
	waitFor(t, "acknowledged leads", 60*time.Second, func() bool { return nAcked.Load() >= 150 })
	kill() // SIGKILL while the clients are sending
	close(stop)
	wg.Wait()
	require.False(t, strings.Contains(out.String(), "panic"), out.String())

	_, kill2 := serveRelais(t, dir, addr)
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, refused, "the invalid leads were answered 400")
	for id, ref := range acked {
		var got string
		require.NoError(t, app.DB().NewQuery("SELECT source_ref FROM leads WHERE id = {:id}").Bind(map[string]any{"id": id}).Row(&got), "acknowledged lead %s (%s) lost", id, ref)
		assert.Equal(t, ref, got)
	}
	for _, ref := range refused {
		var n int
		require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM leads WHERE source_ref = {:r}").Bind(map[string]any{"r": ref}).Row(&n))
		assert.Zero(t, n, "refused lead %s stored", ref)
	}
	var ingested int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.ingest'").Row(&ingested))
	assert.GreaterOrEqual(t, ingested, len(acked), "an audit entry for every acknowledged lead")
	kill2()

	verify, code := relais(t, "--dir", dir, "audit", "verify")
	assert.Zero(t, code, verify)
	assert.Contains(t, verify, "audit log intact")
	t.Logf("%d leads acknowledged, %d refused, %d ingest audit entries", len(acked), len(refused), ingested)
}
