package hooks_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sseClient subscribes to PocketBase realtime topics with a token and
// collects the events it receives.
type sseClient struct {
	events chan string
	resp   *http.Response
}

func subscribe(t *testing.T, base, token string, topics ...string) *sseClient {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/api/realtime", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	c := &sseClient{events: make(chan string, 100), resp: resp}
	sc := bufio.NewScanner(resp.Body)
	clientID := ""
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "data:") {
			var d struct {
				ClientID string `json:"clientId"`
			}
			require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(line, "data:")), &d))
			clientID = d.ClientID
			break
		}
	}
	require.NotEmpty(t, clientID)
	go func() {
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "data:") {
				c.events <- line
			}
		}
		close(c.events)
	}()
	body, _ := json.Marshal(map[string]any{"clientId": clientID, "subscriptions": topics})
	sub, err := http.NewRequest(http.MethodPost, base+"/api/realtime", strings.NewReader(string(body)))
	require.NoError(t, err)
	sub.Header.Set("Content-Type", "application/json")
	sub.Header.Set("Authorization", token)
	r, err := http.DefaultClient.Do(sub)
	require.NoError(t, err)
	require.Equal(t, http.StatusNoContent, r.StatusCode)
	r.Body.Close()
	t.Cleanup(func() { resp.Body.Close() })
	return c
}

// drain returns what arrived within d.
func (c *sseClient) drain(d time.Duration) string {
	var b strings.Builder
	timeout := time.After(d)
	for {
		select {
		case e, ok := <-c.events:
			if !ok {
				return b.String()
			}
			b.WriteString(e + "\n")
		case <-timeout:
			return b.String()
		}
	}
}

// Realtime delivers contact changes to a partner only after it accepted
// the lead (SPEC §3.3.2).
func TestRealtimeDoesNotLeakContacts(t *testing.T) {
	w, _ := distWorld(t)
	srv := httptest.NewServer(w.client.Handler())
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	lead := readyLead(t, w, "RT-1")
	rec := leadRec(t, w, lead["id"].(string))
	tok := assigneeToken(t, w, rec)
	ct, err := w.app.FindFirstRecordByFilter("lead_contacts", "lead = {:l}", dbx.Params{"l": rec.Id})
	require.NoError(t, err)

	sub := subscribe(t, srv.URL, tok, "lead_contacts/*", "lead_contacts/"+ct.Id, "leads/*")
	ct.Set("title", "Gérante")
	require.NoError(t, w.app.Save(ct))
	got := sub.drain(700 * time.Millisecond)
	noCanary(t, "realtime before acceptance", got)

	// control: after acceptance the same subscription delivers the contact
	res := w.client.Do(http.MethodPost, "/api/prm/leads/"+rec.Id+"/accept", tok, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	ct.Set("title", "Directrice")
	require.NoError(t, w.app.Save(ct))
	got = sub.drain(1500 * time.Millisecond)
	assert.Contains(t, got, canaryEmail, "the accepting partner receives the contact in realtime")

	// another partner's subscription never does
	other := subscribe(t, srv.URL, w.tokens["pu2"], "lead_contacts/*", "leads/*")
	ct.Set("title", "PDG")
	require.NoError(t, w.app.Save(ct))
	noCanary(t, "realtime to another partner", other.drain(700*time.Millisecond))
}

// A lead write by Go code or the API reaches the realtime subscriptions of
// the users who may see it. The rollups hook opened its transaction inside
// the write and left the event holding it: every after-success hook (the
// realtime broadcast's access check among them) then queried a finished
// transaction, so no user ever received a lead event, only superusers.
func TestRealtimeDeliversLeadEvents(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewServer(w.client.Handler())
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	lead := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted"})
	pm, admin, other := rtConnect(t, srv.URL), rtConnect(t, srv.URL), rtConnect(t, srv.URL)
	require.Equal(t, http.StatusNoContent, pm.subscribe(t, srv.URL, w.tokens["partner_manager"], []string{"leads/*", "lead_offers/*"}))
	require.Equal(t, http.StatusNoContent, admin.subscribe(t, srv.URL, w.tokens["admin"], []string{"leads/*"}))
	require.Equal(t, http.StatusNoContent, other.subscribe(t, srv.URL, w.tokens["pm2"], []string{"leads/*", "lead_offers/*"}))

	lead.Set("interest", "Toiture 12 kWc")
	require.NoError(t, w.app.Save(lead))
	res := w.client.Do(http.MethodPatch, url("leads", lead.Id), w.tokens["partner_user"], map[string]any{"estimated_value": 4200})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	offer := w.mk("lead_offers", map[string]any{"lead": lead.Id, "partner": w.P1, "outcome": "accepted"})

	require.Eventually(t, func() bool {
		return pm.delivered("leads/*") == lead.Id && admin.delivered("leads/*") == lead.Id && pm.delivered("lead_offers/*") == offer.Id
	}, 3*time.Second, 50*time.Millisecond, "partner manager %q / admin %q", pm.delivered("leads/*"), admin.delivered("leads/*"))
	assert.Empty(t, other.delivered("leads/*"), "another partner receives nothing")
	assert.Empty(t, other.delivered("lead_offers/*"))
}
