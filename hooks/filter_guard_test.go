package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/filterguard"
	"github.com/relais/relais/hooks/governance"
)

// The reproduction: a partner manager asks the territories list
// whether a foreign lead named so exists. The guard answers 400 on every
// channel, names the kind of path (not the client's text), and writes one
// filter.denied entry with the channel, the path and the filter.
func TestFilterGuardRefusesBackRelations(t *testing.T) {
	w := newWorld(t)
	w.lead(leadShape{partner: "P2", assignee: "pu2", territory: "T1", status: "accepted"}).Set("company", "Famille Blanchard")
	probe := `leads_via_territory.company != "Famille Blanchard"`

	for _, role := range oracleRoles {
		seq := auditHead(t, w.app)
		res := w.client.Do(http.MethodGet, url("territories")+"?filter="+urlQuery(probe), w.tokens[role], nil)
		require.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", role, res.Body)
		assert.Contains(t, res.Body, "filter_denied_back_relation")
		assert.Contains(t, res.Body, "back-relation")
		assert.Contains(t, res.Body, "relation inverse")
		assert.NotContains(t, res.Body, "Blanchard", "the answer does not echo the client's filter")
		e := onlyEntry(t, w.app, seq, access.ActionFilterDenied)
		requireEntryFields(t, e, w.uid(role), role, w.users[role].GetString("partner"), "territories", "")
		ch := changesOf(t, e)
		assert.Equal(t, "rest", ch["channel"])
		assert.Equal(t, "filter", ch["param"])
		assert.Equal(t, "leads_via_territory.company", ch["path"])
		assert.Equal(t, "back_relation", ch["code"])
		// the shape of the filter, not the name it asked about
		assert.Equal(t, `leads_via_territory.company != '…'`, ch["filter"])
		assert.Equal(t, filterguard.Fingerprint(probe), ch["filter_sha256"])
		assert.NotContains(t, e.GetString("changes"), "Blanchard")
	}

	// a sort through a back-relation, a guest, and @collection
	res := w.client.Do(http.MethodGet, url("leads")+"?sort="+urlQuery("-lead_contacts_via_lead.phone"), w.tokens["partner_user"], nil)
	require.Equal(t, http.StatusBadRequest, res.Status)
	assert.Contains(t, res.Body, "filter_denied_back_relation")
	res = w.client.Do(http.MethodGet, url("territories")+"?filter="+urlQuery(probe), "", nil)
	require.Equal(t, http.StatusBadRequest, res.Status, "guests too")
	res = w.client.Do(http.MethodGet, url("leads")+"?filter="+urlQuery(`@collection.deal_terms.margin_pct > 30`), w.tokens["sales"], nil)
	require.Equal(t, http.StatusBadRequest, res.Status)
	assert.Contains(t, res.Body, "filter_denied_collection_join")

	// what the UI and the documented API use still works
	for _, ok := range []string{
		`status = "accepted" && company ~ "Client"`,
		`partner = "` + w.P1 + `" && created > "2020-01-01"`,
		`territory.name ~ "Ouest"`,
	} {
		res := w.client.Do(http.MethodGet, url("leads")+"?sort=-created,company&filter="+urlQuery(ok), w.tokens["partner_manager"], nil)
		assert.Equal(t, http.StatusOK, res.Status, "%s: %s", ok, res.Body)
	}
	res = w.client.Do(http.MethodGet, url("lead_offers")+"?filter="+urlQuery(`lead.status = "offered"`)+"&sort=-lead.score", w.tokens["partner_user"], nil)
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	// superusers keep the whole syntax
	res = w.client.Do(http.MethodGet, url("territories")+"?filter="+urlQuery(probe), w.superToken(), nil)
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
}

// Realtime subscriptions carry filters too: a subscription whose options
// hold a refused filter is refused as a whole (400, nothing subscribed,
// audited with channel "realtime"); an allowed one works.
func TestFilterGuardRealtime(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewServer(w.client.Handler())
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	lead := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted"})

	c := rtConnect(t, srv.URL)
	seq := auditHead(t, w.app)
	bad := rtTopic("territories", `leads_via_territory.lead_contacts_via_lead.phone !~ "+33 2 5"`)
	status := c.subscribe(t, srv.URL, w.tokens["partner_manager"], []string{"leads/*", bad})
	require.Equal(t, http.StatusBadRequest, status)
	e := onlyEntry(t, w.app, seq, access.ActionFilterDenied)
	assert.Equal(t, "realtime", changesOf(t, e)["channel"])
	assert.Equal(t, "territories", e.GetString("resource"))
	// the refused request subscribed to nothing, not even its allowed topic
	lead.Set("interest", "touched")
	require.NoError(t, w.app.Save(lead))
	time.Sleep(300 * time.Millisecond)
	assert.Empty(t, c.delivered("leads/*"))

	// a collection id in the topic is the same collection
	leads, err := w.app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	status = c.subscribe(t, srv.URL, w.tokens["partner_manager"], []string{rtTopic(leads.Id, `lead_offers_via_lead.reason != "x"`)})
	require.Equal(t, http.StatusBadRequest, status)

	// and so is the deprecated topic without "/*", which PocketBase still
	// delivers as a list subscription
	bare := "leads?options=" + urlQuery(`{"query":{"filter":"lead_offers_via_lead.reason != 'x'"}}`)
	status = c.subscribe(t, srv.URL, w.tokens["partner_manager"], []string{bare})
	require.Equal(t, http.StatusBadRequest, status)

	ok := rtTopic("leads", `status = "accepted"`)
	require.Equal(t, http.StatusNoContent, c.subscribe(t, srv.URL, w.tokens["partner_manager"], []string{ok}))
	lead.Set("interest", "touched again")
	require.NoError(t, w.app.Save(lead))
	require.Eventually(t, func() bool { return c.delivered(ok) == lead.Id }, 3*time.Second, 50*time.Millisecond)
}

// The export route takes a filter and a sort: the same guard, channel
// "export", before any row is read or the export right is used.
func TestFilterGuardExport(t *testing.T) {
	w := newWorld(t)
	seq := auditHead(t, w.app)
	res := w.client.Do(http.MethodGet, exportURL("leads", "filter="+urlQuery(`lead_contacts_via_lead.phone ~ "06"`)), w.tokens["admin"], nil)
	require.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	e := onlyEntry(t, w.app, seq, access.ActionFilterDenied)
	assert.Equal(t, "export", changesOf(t, e)["channel"])

	seq = auditHead(t, w.app)
	res = w.client.Do(http.MethodGet, exportURL("leads", "sort="+urlQuery(`-deal_terms_via_lead.margin_pct`)), w.tokens["channel_manager"], nil)
	require.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.Equal(t, "sort", changesOf(t, onlyEntry(t, w.app, seq, access.ActionFilterDenied))["param"])

	// a role without the export right is told so first (403, export.denied)
	seq = auditHead(t, w.app)
	res = w.client.Do(http.MethodGet, exportURL("leads", "filter="+urlQuery(`lead_contacts_via_lead.phone ~ "06"`)), w.tokens["partner_user"], nil)
	require.Equal(t, http.StatusForbidden, res.Status)
	onlyEntry(t, w.app, seq, governance.ActionExportDenied)

	res = w.client.Do(http.MethodGet, exportURL("leads", "filter="+urlQuery(`status = "new"`)+"&sort=-created"), w.tokens["admin"], nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
}

// ListFor is the Go read path; its Filter and Sort may come from a client,
// so it applies the same guard (superusers exempt).
func TestListForAppliesTheFilterGuard(t *testing.T) {
	w := newWorld(t)
	_, _, err := access.ListFor(w.app, w.users["admin"], "leads", access.ListQuery{Filter: `lead_offers_via_lead.reason != "x"`})
	require.Error(t, err)
	_, _, err = access.ListFor(w.app, w.users["admin"], "leads", access.ListQuery{Sort: "-partner.name,created"})
	require.NoError(t, err)
	_, _, err = access.ListFor(w.app, w.users["admin"], "leads", access.ListQuery{Sort: "partner.territories.name"})
	require.Error(t, err)
	w.superToken()
	su, err := w.app.FindAuthRecordByEmail(core.CollectionNameSuperusers, "super@world.test")
	require.NoError(t, err)
	_, _, err = access.ListFor(w.app, su, "leads", access.ListQuery{Filter: `lead_offers_via_lead.reason != "x"`})
	require.NoError(t, err, "superusers keep the whole syntax")
}
