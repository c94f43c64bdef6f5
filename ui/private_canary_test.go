package ui

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/internal/testapp"
)

// The canary-name acceptance test of private customers (SPEC §3.3.3): a private
// customer's name is a contact detail. Three residential leads with unique
// names come in through the web form, the ingest API and a CSV import; each
// is offered to partner A, declined by A, offered to partner B and accepted
// by B. Before acceptance the name reaches neither partner through any
// channel (REST list, view, expand, filter, sort, export, realtime, the UI
// pages and fragments, notifications, e-mails, error texts); the audit log
// never holds it; after acceptance B reads it (lead page, lead_contacts)
// and A still does not; after `gdpr erase` it is nowhere in the database.

// canaryLead is one private customer with a unique name.
type canaryLead struct {
	path, first, last, email string
	id                       string
}

// apiCall sends a request through the app's real router.
func (e *env) apiCall(method, path, token string, body any) resp {
	e.t.Helper()
	var rd *strings.Reader
	switch b := body.(type) {
	case nil:
		rd = strings.NewReader("")
	default:
		raw, err := json.Marshal(b)
		require.NoError(e.t, err)
		rd = strings.NewReader(string(raw))
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	rec := httptest.NewRecorder()
	e.mux.ServeHTTP(rec, req)
	return resp{Status: rec.Code, Body: rec.Body.String(), Header: rec.Header()}
}

// sseEvents collects the realtime events of one subscriber.
type sseEvents struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (s *sseEvents) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// subscribeSSE opens a realtime connection with a token and subscribes to
// topics; events accumulate until the test ends.
func subscribeSSE(t *testing.T, base, token string, topics ...string) *sseEvents {
	t.Helper()
	res, err := http.Get(base + "/api/realtime")
	require.NoError(t, err)
	t.Cleanup(func() { res.Body.Close() })
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	clientID := ""
	for clientID == "" && sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "data:") {
			var d struct {
				ClientID string `json:"clientId"`
			}
			require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(line, "data:")), &d))
			clientID = d.ClientID
		}
	}
	require.NotEmpty(t, clientID)
	ev := &sseEvents{}
	go func() {
		for sc.Scan() {
			ev.mu.Lock()
			ev.buf.WriteString(sc.Text() + "\n")
			ev.mu.Unlock()
		}
	}()
	body, err := json.Marshal(map[string]any{"clientId": clientID, "subscriptions": topics})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, base+"/api/realtime", strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	sub, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, sub.Body.Close())
	require.Equal(t, http.StatusNoContent, sub.StatusCode)
	return ev
}

// tableHits scans every column of every table of the main database (the
// list comes from sqlite_master) and returns "table.column" for each value
// holding one of the words (case-insensitive).
func tableHits(t *testing.T, app core.App, words ...string) []string {
	t.Helper()
	var tables []string
	require.NoError(t, app.DB().NewQuery("SELECT name FROM sqlite_master WHERE type = 'table'").Column(&tables))
	require.Contains(t, tables, "lead_contacts")
	seen := map[string]bool{}
	for _, table := range tables {
		var cols []string
		require.NoError(t, app.DB().NewQuery("SELECT name FROM pragma_table_info('"+table+"')").Column(&cols))
		for _, c := range cols {
			var vals []string
			require.NoError(t, app.DB().NewQuery(fmt.Sprintf(`SELECT COALESCE(CAST("%s" AS TEXT), '') FROM "%s"`, c, table)).Column(&vals))
			for _, v := range vals {
				for _, w := range words {
					if strings.Contains(strings.ToLower(v), strings.ToLower(w)) {
						seen[table+"."+c] = true
					}
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lacksNames fails when text holds one of the canaries' last names.
func lacksNames(t *testing.T, where, text string, cs []*canaryLead) {
	t.Helper()
	for _, c := range cs {
		if i := strings.Index(strings.ToLower(text), strings.ToLower(c.last)); i >= 0 {
			t.Errorf("%s: the name of the %s canary leaks: …%s…", where, c.path, text[max(0, i-100):min(len(text), i+len(c.last)+40)])
		}
	}
}

func TestPrivateCustomerCanary(t *testing.T) {
	e := newEnv(t)
	app := e.app
	srv := httptest.NewServer(e.mux)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	tok := func(email string) string { return testapp.Token(t, e.app, e.user(email)) }
	const (
		aSales, aManager = "installer001.sales@demo.test", "installer001@demo.test"
		bSales, bManager = "installer002.sales@demo.test", "installer002@demo.test"
		manager          = "manager@demo.test"
		label            = "Particulier — Brest (29)"
	)
	partnerA, partnerB := e.user(aSales).GetString("partner"), e.user(bSales).GetString("partner")
	require.NotEqual(t, partnerA, partnerB)
	partnerUsers := []string{aSales, aManager, bSales, bManager}

	canaries := []*canaryLead{
		{path: "web form", first: "Ysolde", last: "Webcanari", email: "canary-web@example.test"},
		{path: "API", first: "Ysolde", last: "Apicanari", email: "canary-api@example.test"},
		{path: "CSV", first: "Ysolde", last: "Csvcanari", email: "canary-csv@example.test"},
	}
	names := func() []string {
		var out []string
		for _, c := range canaries {
			out = append(out, c.last)
		}
		return out
	}

	// realtime subscribers of both partners, from before the intake
	topics := []string{"leads/*", "lead_offers/*", "notifications/*", "activities/*", "lead_contacts/*", "opportunities/*"}
	events := map[string]*sseEvents{}
	for _, u := range partnerUsers {
		events[u] = subscribeSSE(t, srv.URL, tok(u), topics...)
	}

	// --- intake: web form, ingest API, CSV import
	settings, err := app.FindRecordById("settings_prm", access.SettingsID)
	require.NoError(t, err)
	settings.Set("web_form_keys", []string{"canary-form"})
	require.NoError(t, app.Save(settings))
	web := canaries[0]
	res := e.apiCall(http.MethodPost, "/api/prm/webform/canary-form", "", map[string]any{
		"first_name": web.first, "last_name": web.last, "email": web.email, "phone": "06 12 00 00 01",
		"postal_code": "29200", "city": "Brest", "interest": "Panneaux 6 kWc", "consent": true,
	})
	require.Equal(t, http.StatusCreated, res.Status, res.Body)

	api := canaries[1]
	res = e.apiCall(http.MethodPost, "/api/prm/leads/ingest", tok("api@demo.test"), map[string]any{
		"company": "Famille " + api.last, "segment": "residential", "postal_code": "29200", "city": "Brest", "source_ref": "canary-api",
		"score": 30, "interest": "Autoconsommation", "contact": map[string]any{"first_name": api.first, "last_name": api.last, "email": api.email},
	})
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	lacksNames(t, "the ingest answer", res.Body, canaries)
	assert.Contains(t, res.Body, `"private":true`)

	// a farm whose company is the contact's name: a person's name too
	csvRow := canaries[2]
	csv := "Société;Segment;Prénom;Nom;E-mail;Code postal;Ville;Score\n" +
		csvRow.last + " " + csvRow.first + ";farm;" + csvRow.first + ";" + csvRow.last + ";" + csvRow.email + ";29200;Brest;30\n"
	sum, rowErrs, err := intake.ImportCSV(app, strings.NewReader(csv), intake.ImportOptions{Actor: audit.SystemActor("test"), Creator: e.user("admin@demo.test")})
	require.NoError(t, err)
	require.Empty(t, rowErrs)
	require.Equal(t, 1, sum.Created)

	for _, c := range canaries {
		ct, err := app.FindFirstRecordByData("lead_contacts", "email", c.email)
		require.NoError(t, err, c.path)
		c.id = ct.GetString("lead")
		assert.Equal(t, c.last, ct.GetString("last_name"), c.path)
		lead, err := app.FindRecordById("leads", c.id)
		require.NoError(t, err)
		assert.True(t, lead.GetBool("private"), c.path)
		assert.Empty(t, lead.GetString("company"), c.path)
	}
	// by construction: the name is in lead_contacts and nowhere else (the
	// audit log included)
	assert.Equal(t, []string{"lead_contacts.last_name"}, tableHits(t, app, names()...), "after the intake")

	// export runs the leads export as a partner user (with a one-time
	// export grant: partners have no export right by default)
	export := func(who string) string {
		t.Helper()
		grants, err := app.FindCollectionByNameOrId("grants")
		require.NoError(t, err)
		g := core.NewRecord(grants)
		g.Set("user", e.user(who).Id)
		g.Set("kind", "export")
		g.Set("resource", "leads")
		g.Set("expires", time.Now().Add(time.Hour))
		g.Set("reason", "canary test")
		require.NoError(t, app.Save(g))
		r := e.apiCall(http.MethodGet, "/api/prm/export/leads", tok(who), nil)
		require.Equal(t, http.StatusOK, r.Status, r.Body)
		return r.Body
	}

	// --- the channels of a partner user
	absent := func(stage, who string) {
		t.Helper()
		where := stage + ", " + who
		token := tok(who)
		paths := []string{
			"/api/collections/leads/records?perPage=200",
			"/api/collections/leads/records?perPage=200&sort=company,created",
			"/api/collections/leads/records?perPage=200&sort=-company,created",
			"/api/collections/lead_offers/records?perPage=200&expand=lead",
			"/api/collections/activities/records?perPage=200&expand=lead",
			"/api/collections/notifications/records?perPage=200&expand=lead",
			"/api/collections/opportunities/records?perPage=200&expand=lead",
			"/api/collections/lead_contacts/records?perPage=200&expand=lead",
		}
		for _, c := range canaries {
			paths = append(paths, "/api/collections/leads/records/"+c.id,
				"/api/collections/leads/records/"+c.id+"?expand=lead_offers_via_lead,activities_via_lead,lead_contacts_via_lead,notifications_via_lead")
		}
		listed := ""
		for _, p := range paths {
			r := e.apiCall(http.MethodGet, p, token, nil)
			lacksNames(t, where+" GET "+p, r.Body, canaries)
			if strings.HasPrefix(p, "/api/collections/leads/records?") {
				listed += r.Body
			}
		}
		for _, c := range canaries {
			assert.NotContains(t, listed, c.id, "%s: the %s lead is not the partner's", where, c.path)
		}
		// filters on company (and through relations) answer the same for
		// the hidden name and for a value that exists nowhere (asked as the
		// partner manager, who sees all of the company's records)
		for _, c := range canaries {
			if strings.HasSuffix(who, ".sales@demo.test") {
				break
			}
			for _, f := range []string{"company ~ %q", "company != %q", "lead.company ~ %q", "lead.company !~ %q", "title ~ %q"} {
				coll := "leads"
				switch {
				case strings.HasPrefix(f, "lead."):
					coll = "lead_offers"
				case strings.HasPrefix(f, "title"):
					coll = "notifications"
				}
				ask := func(v string) resp {
					return e.apiCall(http.MethodGet, "/api/collections/"+coll+"/records?perPage=200&filter="+url.QueryEscape(fmt.Sprintf(f, v)), token, nil)
				}
				hidden, nowhere := ask(c.last), ask("Zz"+strings.Repeat("q", len(c.last)))
				assert.Equal(t, nowhere.Status, hidden.Status, "%s: %s %s", where, coll, f)
				assert.Equal(t, canonicalJSON(nowhere.Body), canonicalJSON(hidden.Body), "%s: %s filter %s tells the %s name exists", where, coll, f, c.path)
			}
		}
		lacksNames(t, where+" export", export(who), canaries)

		// the UI: pages and fragments
		b := e.signedIn(who)
		pages := []string{"/inbox", "/leads", "/notifications"}
		for _, c := range canaries {
			pages = append(pages, "/leads/"+c.id, "/inbox/"+c.id+"/countdown")
		}
		for _, p := range pages {
			lacksNames(t, where+" UI "+p, b.get(p, hx).Body, canaries)
		}
		// error texts: accepting or declining what is not (or no longer) theirs
		for _, c := range canaries {
			for _, action := range []string{"accept", "decline"} {
				r := e.apiCall(http.MethodPost, "/api/prm/leads/"+c.id+"/"+action, token, map[string]any{"reason": "pas de capacité"})
				require.NotEqual(t, http.StatusOK, r.Status, "%s: %s %s", where, action, c.path)
				lacksNames(t, where+" "+action+" error", r.Body, canaries)
			}
		}
	}
	mgr := tok(manager)
	assign := func(c *canaryLead, partner string) {
		t.Helper()
		lead, err := app.FindRecordById("leads", c.id)
		require.NoError(t, err)
		if lead.GetString("status") == "offered" && lead.GetString("partner") == partner {
			return // the distribution after a decline chose it already
		}
		r := e.apiCall(http.MethodPost, "/api/prm/leads/"+c.id+"/assign", mgr, map[string]any{"partner": partner})
		require.Equal(t, http.StatusOK, r.Status, r.Body)
		lacksNames(t, "the assign answer", r.Body, canaries)
	}

	// --- offered to A
	for _, c := range canaries {
		assign(c, partnerA)
	}
	for _, who := range []string{bSales, bManager} {
		absent("offered to A", who)
	}
	// A's own view of its offers, read-only probes
	for _, who := range []string{aSales, aManager} {
		token := tok(who)
		r := e.apiCall(http.MethodGet, "/api/collections/leads/records?perPage=200&expand=lead_offers_via_lead", token, nil)
		lacksNames(t, "offered to A, "+who+" list", r.Body, canaries)
		for _, c := range canaries {
			assert.Contains(t, r.Body, c.id, "offered to A: %s lists the %s lead", who, c.path)
			r := e.apiCall(http.MethodGet, "/api/collections/leads/records/"+c.id, token, nil)
			require.Equal(t, http.StatusOK, r.Status)
			lacksNames(t, "offered to A, "+who+" view", r.Body, canaries)
			assert.Contains(t, r.Body, label)
		}
		csv := export(who)
		lacksNames(t, "offered to A, "+who+" export", csv, canaries)
		assert.Contains(t, csv, label, "offered to A, %s: the export labels the private customers", who)
		b := e.signedIn(who)
		for _, p := range []string{"/inbox", "/leads", "/notifications", "/leads/" + canaries[0].id, "/inbox/" + canaries[0].id + "/countdown"} {
			lacksNames(t, "offered to A, "+who+" UI "+p, b.get(p, hx).Body, canaries)
		}
		for _, f := range []string{"company ~ %q", "company != %q"} {
			for _, c := range canaries {
				ask := func(v string) string {
					return e.apiCall(http.MethodGet, "/api/collections/leads/records?perPage=200&filter="+url.QueryEscape(fmt.Sprintf(f, v)), token, nil).Body
				}
				assert.Equal(t, ask("Zzqqqqqqqq"), ask(c.last), "offered to A, %s: filter %s", who, f)
			}
		}
	}

	// --- A declines: through the API, and through the UI (the declined card)
	for _, c := range canaries[:2] {
		r := e.apiCall(http.MethodPost, "/api/prm/leads/"+c.id+"/decline", tok(aSales), map[string]any{"reason": "hors zone"})
		require.Equal(t, http.StatusOK, r.Status, r.Body)
		lacksNames(t, "decline answer", r.Body, canaries)
	}
	ab := e.signedIn(aSales)
	ab.get("/inbox")
	r := ab.post("/leads/"+canaries[2].id+"/decline", url.Values{"reason": {"Capacité"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, esc(label), "the declined card names the lead by its label")
	lacksNames(t, "the declined card", r.Body, canaries)

	// --- offered to B
	for _, c := range canaries {
		assign(c, partnerB)
	}
	for _, who := range []string{aSales, aManager} {
		absent("declined by A", who)
	}
	for _, who := range []string{bSales, bManager} {
		token := tok(who)
		r := e.apiCall(http.MethodGet, "/api/collections/leads/records?perPage=200", token, nil)
		lacksNames(t, "offered to B, "+who, r.Body, canaries)
		// a sort on company does not see the names: the three leads keep
		// the same order both ways (they would reverse on stored names)
		order := func(sortBy string) []string {
			var page struct {
				Items []struct {
					ID string `json:"id"`
				} `json:"items"`
			}
			res := e.apiCall(http.MethodGet, "/api/collections/leads/records?perPage=200&sort="+sortBy, token, nil)
			require.Equal(t, http.StatusOK, res.Status)
			require.NoError(t, json.Unmarshal([]byte(res.Body), &page))
			var ids []string
			for _, it := range page.Items {
				for _, c := range canaries {
					if it.ID == c.id {
						ids = append(ids, it.ID)
					}
				}
			}
			return ids
		}
		up, down := order("company,created"), order("-company,created")
		require.Len(t, up, 3, who)
		assert.Equal(t, up, down, "%s: the order of the private leads follows `created`, not their names", who)
		lacksNames(t, "offered to B, "+who+" export", export(who), canaries)
		b := e.signedIn(who)
		for _, p := range []string{"/inbox", "/leads", "/notifications", "/leads/" + canaries[1].id, "/inbox/" + canaries[1].id + "/countdown"} {
			body := b.get(p, hx).Body
			lacksNames(t, "offered to B, "+who+" UI "+p, body, canaries)
			if p == "/inbox" && who == bSales {
				has(t, body, esc(label))
			}
		}
		for _, c := range canaries {
			ask := func(v string) string {
				return e.apiCall(http.MethodGet, "/api/collections/leads/records?perPage=200&filter="+url.QueryEscape(fmt.Sprintf("company ~ %q", v)), token, nil).Body
			}
			assert.Equal(t, ask("Zzqqqqqqqq"), ask(c.last), "offered to B, %s", who)
		}
	}
	// before any acceptance: nothing in the partners' realtime streams
	time.Sleep(300 * time.Millisecond)
	for _, u := range partnerUsers {
		lacksNames(t, "realtime before acceptance, "+u, events[u].String(), canaries)
		assert.NotEmpty(t, events[u].String(), "%s received events (the stream works)", u)
	}

	// --- B accepts: through the UI (the accepted card shows the contact) and the API
	bb := e.signedIn(bSales)
	bb.get("/inbox")
	r = bb.post("/leads/"+canaries[0].id+"/accept", url.Values{}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, canaries[0].first+" "+canaries[0].last, "the accepted card shows the customer")
	for _, c := range canaries[1:] {
		r := e.apiCall(http.MethodPost, "/api/prm/leads/"+c.id+"/accept", tok(bSales), nil)
		require.Equal(t, http.StatusOK, r.Status, r.Body)
	}
	for _, c := range canaries {
		page := bb.get("/leads/" + c.id)
		require.Equal(t, http.StatusOK, page.Status)
		has(t, page.Body, "<h1>"+c.first+" "+c.last+"</h1>", "the accepting partner sees the name on the lead page")
		r := e.apiCall(http.MethodGet, "/api/collections/lead_contacts/records?filter="+url.QueryEscape(fmt.Sprintf("lead = %q", c.id)), tok(bSales), nil)
		assert.Contains(t, r.Body, c.last, "the accepting partner reads the contact through the API")
		// the accepting partner writes a call report quoting the customer
		r = e.apiCall(http.MethodPost, "/api/collections/activities/records", tok(bSales), map[string]any{
			"lead": c.id, "kind": "call", "summary": "Appel de " + c.first + " " + c.last + ", rendez-vous pris",
		})
		require.Equal(t, http.StatusOK, r.Status, r.Body)
	}
	// internal roles read the name where their rules give them the contact
	mb := e.signedIn(manager)
	has(t, mb.get("/leads/"+canaries[1].id).Body, "<h1>"+canaries[1].first+" "+canaries[1].last+"</h1>")
	// realtime after acceptance: B's contact subscription delivers the
	// change, A's does not
	for _, c := range canaries {
		ct, err := app.FindFirstRecordByData("lead_contacts", "lead", c.id)
		require.NoError(t, err)
		ct.Set("title", "Propriétaire")
		require.NoError(t, app.Save(ct))
	}
	time.Sleep(500 * time.Millisecond)
	assert.Contains(t, events[bSales].String(), canaries[2].last, "the accepting partner receives its contact in realtime")
	for _, who := range []string{aSales, aManager} {
		lacksNames(t, "realtime after acceptance, "+who, events[who].String(), canaries)
		absent("accepted by B", who)
	}

	// --- stored texts: notifications and e-mails, and the audit log
	var texts []string
	require.NoError(t, app.DB().NewQuery("SELECT title || ' ' || body FROM notifications").Column(&texts))
	lacksNames(t, "notification records", strings.Join(texts, "\n"), canaries)
	require.NoError(t, notify.SendPending(app))
	require.NotEmpty(t, app.TestMailer.Messages(), "offers were mailed")
	for _, m := range app.TestMailer.Messages() {
		lacksNames(t, "e-mail", m.Subject+"\n"+m.Text+"\n"+m.HTML, canaries)
	}
	var changes []string
	require.NoError(t, app.DB().NewQuery("SELECT changes FROM audit_log").Column(&changes))
	lacksNames(t, "audit_log.changes", strings.Join(changes, "\n"), canaries)
	// the name lives in the contacts and in the partner's own call reports
	assert.Equal(t, []string{"activities.summary", "lead_contacts.last_name"}, tableHits(t, app, names()...))

	// --- gdpr erase: nothing left, in any table, any column
	for _, c := range canaries {
		_, err := governance.GDPRErase(app, audit.SystemActor("test"), c.email, time.Now())
		require.NoError(t, err, c.path)
	}
	assert.Empty(t, tableHits(t, app, names()...), "after gdpr erase")
	check, err := audit.Verify(app, 0, nil)
	require.NoError(t, err)
	assert.Nil(t, check.Break, "the audit chain still verifies")
}

// canonicalJSON re-encodes a JSON body with its object keys sorted, so that
// two answers compare by content (PocketBase v0.40 writes map keys in no
// fixed order); a body that is not JSON is returned as it is.
func canonicalJSON(body string) string {
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return string(out)
}
