package hooks_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The realtime and export channels of the differential oracle: the same
// generated questions (role × entry collection × path × operator, secret
// against nowhere), asked as a realtime subscription filter (is an event
// delivered or not) and as the filter of the CSV export route.

// rtClient is one SSE connection that records, per subscription, the ids
// of the records whose events it received.
type rtClient struct {
	id   string
	resp *http.Response
	mu   sync.Mutex
	got  map[string]map[string]bool // subscription → record ids
	done chan struct{}
}

func rtConnect(t testing.TB, base string) *rtClient {
	t.Helper()
	resp, err := http.Get(base + "/api/realtime")
	require.NoError(t, err)
	c := &rtClient{resp: resp, got: map[string]map[string]bool{}, done: make(chan struct{})}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "data:") {
			var d struct {
				ClientID string `json:"clientId"`
			}
			require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(line, "data:")), &d))
			c.id = d.ClientID
			break
		}
	}
	require.NotEmpty(t, c.id)
	go func() {
		defer close(c.done)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event:"):
				name = strings.TrimPrefix(line, "event:")
			case strings.HasPrefix(line, "data:"):
				var d struct {
					Record struct {
						ID string `json:"id"`
					} `json:"record"`
				}
				if json.Unmarshal([]byte(strings.TrimPrefix(line, "data:")), &d) == nil && d.Record.ID != "" {
					c.mu.Lock()
					if c.got[name] == nil {
						c.got[name] = map[string]bool{}
					}
					c.got[name][d.Record.ID] = true
					c.mu.Unlock()
				}
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return c
}

// subscribe sets the client's subscriptions; it returns the HTTP status.
func (c *rtClient) subscribe(t testing.TB, base, token string, topics []string) int {
	t.Helper()
	body, err := json.Marshal(map[string]any{"clientId": c.id, "subscriptions": topics})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, base+"/api/realtime", strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode
}

func (c *rtClient) delivered(topic string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, 0, len(c.got[topic]))
	for id := range c.got[topic] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

func rtTopic(entry, filter string) string {
	opts, _ := json.Marshal(map[string]any{"query": map[string]string{"filter": filter}})
	return entry + "/*?options=" + neturl.QueryEscape(string(opts))
}

// rtTopicForm writes a list subscription in one of the three forms
// PocketBase delivers: by name ("leads/*"), by collection id
// ("relais_leads/*"), or the deprecated bare name ("leads?options=…").
func rtTopicForm(form int, name, id, filter string) string {
	opts, _ := json.Marshal(map[string]any{"query": map[string]string{"filter": filter}})
	o := "?options=" + neturl.QueryEscape(string(opts))
	switch form % 3 {
	case 1:
		return id + "/*" + o
	case 2:
		return name + o
	}
	return name + "/*" + o
}

// TestRealtimeFilterOracle asks the oracle's questions as realtime
// subscription filters: for each cell, one subscription with the secret and
// one with the nowhere value; then every record of the entry collection the
// role can see is saved, and the events delivered to both must be the same.
func TestRealtimeFilterOracle(t *testing.T) {
	start := time.Now()
	o := newOracle(t)
	srv := httptest.NewServer(o.w.client.Handler())
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	cells := o.cells(currentPlan())
	byEntry := map[string][]oracleCell{}
	var entries []string
	for _, c := range cells {
		if byEntry[c.entry] == nil {
			entries = append(entries, c.entry)
		}
		byEntry[c.entry] = append(byEntry[c.entry], c)
	}
	var findings []string
	subs, probes := 0, 0
	scratch := rtConnect(t, srv.URL)
	for _, entry := range entries {
		// one client per role and 500 cells (1,000 subscriptions)
		type batch struct {
			client   *rtClient
			cells    []oracleCell
			offset   int
			accepted map[string]bool
		}
		var batches []*batch
		byRole := map[string][]oracleCell{}
		var roles []string
		for _, c := range byEntry[entry] {
			if byRole[c.role] == nil {
				roles = append(roles, c.role)
			}
			byRole[c.role] = append(byRole[c.role], c)
		}
		touch := map[string]bool{}
		coll, err := o.w.app.FindCollectionByNameOrId(entry)
		require.NoError(t, err)
		topic := func(i int, filter string) string { return rtTopicForm(i, entry, coll.Id, filter) }
		for _, role := range roles {
			cs := byRole[role]
			for i := 0; i < len(cs); i += 500 {
				b := &batch{client: rtConnect(t, srv.URL), cells: cs[i:min(i+500, len(cs))], offset: i}
				var topics []string
				for j, c := range b.cells {
					topics = append(topics, topic(i+j, c.filter(c.secret)), topic(i+j, c.filter(c.nowhere)))
				}
				subs += len(topics)
				b.accepted = map[string]bool{}
				if b.client.subscribe(t, srv.URL, o.w.tokens[role], topics) != http.StatusNoContent {
					// one refused topic refuses the request: ask each topic
					// alone, then subscribe to those accepted alone
					var ok []string
					for _, tp := range topics {
						if scratch.subscribe(t, srv.URL, o.w.tokens[role], []string{tp}) == http.StatusNoContent {
							ok = append(ok, tp)
						}
					}
					topics = ok
					probes += len(ok)
					require.Equal(t, http.StatusNoContent, b.client.subscribe(t, srv.URL, o.w.tokens[role], topics))
				}
				for _, tp := range topics {
					b.accepted[tp] = true
				}
				batches = append(batches, b)
			}
			for _, r := range o.visible[role][entry] {
				touch[r.Id] = true
			}
		}
		// an update event on every record some role can see
		for _, r := range o.all[entry] {
			if touch[r.Id] {
				if err := o.w.app.Save(r); err != nil {
					t.Logf("realtime oracle: %s %s cannot be touched (%v): its cells ask nothing", entry, r.Id, err)
				}
			}
		}
		time.Sleep(300 * time.Millisecond)
		for _, b := range batches {
			// the answer to a subscription: refused, or the events delivered
			answer := func(tp string) string {
				if !b.accepted[tp] {
					return "refused"
				}
				return "delivered " + b.client.delivered(tp)
			}
			for j, c := range b.cells {
				if a, n := answer(topic(b.offset+j, c.filter(c.secret))), answer(topic(b.offset+j, c.filter(c.nowhere))); a != n {
					findings = append(findings, "realtime "+c.String())
				}
			}
			b.client.resp.Body.Close()
		}
	}
	t.Logf("realtime oracle: %d cells, %d subscriptions (%d accepted alone), %d findings, %s", len(cells), subs, probes, len(findings), time.Since(start).Round(time.Millisecond))
	if len(findings) > 0 {
		max := min(len(findings), 40)
		t.Errorf("%d subscription filters tell hidden records apart (first %d):\n%s", len(findings), max, strings.Join(findings[:max], "\n"))
	}
}

// TestExportFilterOracle asks the oracle's questions through the CSV export
// route, as every role (those without an export right get 403 for both).
func TestExportFilterOracle(t *testing.T) {
	start := time.Now()
	o := newOracle(t)
	all := o.cells(currentPlan())
	exportable := map[string]bool{}
	var cells []oracleCell
	for _, c := range all {
		if _, ok := exportable[c.entry]; !ok {
			exportable[c.entry] = o.w.client.Do(http.MethodGet, "/api/prm/export/"+c.entry, o.w.tokens["admin"], nil).Status != http.StatusNotFound
		}
		if exportable[c.entry] {
			cells = append(cells, c)
		}
	}
	require.NotEmpty(t, cells)
	findings, requests, sorts := o.sweep(cells, func(role, entry, query string) string {
		res := o.w.client.Do(http.MethodGet, "/api/prm/export/"+entry+"?"+query, o.w.tokens[role], nil)
		if res.Status != http.StatusOK {
			return http.StatusText(res.Status)
		}
		return o.stableCSV(res.Body)
	})
	t.Logf("export oracle: %d filter cells, %d sort cells, %d requests, %d findings, %s", len(cells), sorts, requests, len(findings), time.Since(start).Round(time.Millisecond))
	if len(findings) > 0 {
		max := min(len(findings), 40)
		t.Errorf("%d export filters or sorts tell hidden records apart (first %d):\n%s", len(findings), max, strings.Join(findings[:max], "\n"))
	}
}

// stableCSV keeps the ids (first column) of the rows that existed before
// the sweep: an export of the audit log lists the entries the sweep itself
// wrote.
func (o *oracle) stableCSV(body string) string {
	var ids []string
	for i, line := range strings.Split(body, "\n") {
		if i == 0 || line == "" {
			continue
		}
		id, _, _ := strings.Cut(line, ",")
		if o.stable[id] {
			ids = append(ids, id)
		}
	}
	return "200 " + strings.Join(ids, ",")
}
