package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
)

// govRoles is one demo user per role that uses the web UI.
var govRoles = []string{
	"installer001.sales@demo.test", "installer001@demo.test", "teleop@demo.test",
	"manager.ouest@demo.test", "sales@demo.test", "admin@demo.test",
}

var (
	requestIDRe = regexp.MustCompile(`data-request-id="([^"]+)"`)
	grantIDRe   = regexp.MustCompile(`data-grant-id="([^"]+)"`)
)

// idsIn returns the sorted, distinct ids a pattern finds in a page.
func idsIn(re *regexp.Regexp, body string) []string {
	set := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		set[m[1]] = true
	}
	out := []string{}
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// apiIDs returns the sorted ids of a REST answer's items.
func (e *env) apiIDs(path, email string) []string {
	e.t.Helper()
	r := e.apiGet(path, email)
	require.Equal(e.t, http.StatusOK, r.Status, "%s as %s: %s", path, email, r.Body)
	var body struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	require.NoError(e.t, json.Unmarshal([]byte(r.Body), &body))
	out := []string{}
	for _, it := range body.Items {
		out = append(out, it.ID)
	}
	sort.Strings(out)
	return out
}

// fileRequest files an access request through the REST API.
func (e *env) fileRequest(email string, body map[string]any) string {
	e.t.Helper()
	body["requester"] = e.user(email).Id
	r := e.apiPost("/api/collections/access_requests/records", email, body)
	require.Equal(e.t, http.StatusOK, r.Status, r.Body)
	var rec struct {
		ID string `json:"id"`
	}
	require.NoError(e.t, json.Unmarshal([]byte(r.Body), &rec))
	return rec.ID
}

// managedTerritory is a territory manager.ouest manages.
func (e *env) managedTerritory() string {
	e.t.Helper()
	ts := e.user("manager.ouest@demo.test").GetStringSlice("territories")
	require.NotEmpty(e.t, ts)
	return ts[0]
}

// TestGovernancePagesShowWhatTheAPIListsPerRole: for every role, the
// access rights page lists exactly the requests and grants the REST API
// lists for that person, the approvals page exactly the pending requests
// GET /api/prm/access-requests/pending answers, the grants page exactly
// the REST grants list (admins); the pages a role may not use answer 404
// (and the API 403); a partner never sees another partner's requests.
func TestGovernancePagesShowWhatTheAPIListsPerRole(t *testing.T) {
	e := newEnv(t)
	p1 := e.fileRequest("installer001.sales@demo.test", map[string]any{"kind": "export", "resource": "leads", "justification": "Relance clients P1"})
	p2 := e.fileRequest("installer002.sales@demo.test", map[string]any{"kind": "export", "resource": "leads", "justification": "Secret de P2 (ne pas montrer)"})
	terr := e.fileRequest("sales@demo.test", map[string]any{"kind": "territory", "territory": e.managedTerritory(), "justification": "Renfort ouest"})
	e.fileRequest("teleop@demo.test", map[string]any{"kind": "export", "resource": "leads", "justification": "Campagne d'appels"})
	admin := e.user("admin@demo.test")
	_, err := governance.ApproveAccessRequest(e.app, admin, audit.ActorOfUser(admin), p2, time.Now().Add(48*time.Hour), "ok", time.Now())
	require.NoError(t, err)

	for _, email := range govRoles {
		t.Run(email, func(t *testing.T) {
			b := e.signedIn(email)
			me := e.user(email)
			page := b.get("/access-requests")
			require.Equal(t, http.StatusOK, page.Status)
			own := "/api/collections/access_requests/records?perPage=200"
			grants := "/api/collections/grants/records?perPage=200"
			if email == "admin@demo.test" { // the admin may list every request: the page keeps their own
				own += "&filter=" + url.QueryEscape("requester='"+me.Id+"'")
				grants += "&filter=" + url.QueryEscape("user='"+me.Id+"'")
			}
			assert.Equal(t, e.apiIDs(own, email), idsIn(requestIDRe, page.Body), "own requests")
			assert.Equal(t, e.apiIDs(grants, email), idsIn(grantIDRe, page.Body), "own grants")

			approvals := b.get("/approvals")
			if email == "admin@demo.test" || email == "manager.ouest@demo.test" {
				require.Equal(t, http.StatusOK, approvals.Status)
				want := e.apiIDs("/api/prm/access-requests/pending", email)
				assert.Equal(t, want, idsIn(requestIDRe, approvals.Body), "pending requests")
				assert.NotEmpty(t, want)
			} else {
				assert.Equal(t, http.StatusNotFound, approvals.Status)
				assert.Equal(t, http.StatusForbidden, e.apiGet("/api/prm/access-requests/pending", email).Status)
			}
			gp := b.get("/grants")
			if email == "admin@demo.test" {
				require.Equal(t, http.StatusOK, gp.Status)
				assert.Equal(t, e.apiIDs("/api/collections/grants/records?perPage=200", email), idsIn(grantIDRe, gp.Body))
			} else {
				assert.Equal(t, http.StatusNotFound, gp.Status)
			}
		})
	}

	// a partner never sees another partner's requests, on any page
	b := e.signedIn("installer001.sales@demo.test")
	page := b.get("/access-requests")
	has(t, page.Body, p1)
	for _, secret := range []string{p2, "Secret de P2", terr, "Renfort ouest", "installer002"} {
		lacks(t, page.Body, secret)
	}
	// the channel manager decides the territory request on his territory,
	// and sees who asks; not the export requests (admins decide those)
	m := e.signedIn("manager.ouest@demo.test").get("/approvals")
	has(t, m.Body, terr)
	has(t, m.Body, "sales@demo.test")
	lacks(t, m.Body, p1)
	lacks(t, m.Body, "Relance clients P1")
}

// TestAccessRequestFiledApprovedAndExportedOnce: a partner salesperson
// files an export request on the page (a refusal without justification is
// shown in the form), the admin grants it for one day on the approvals
// page, the requester's page shows it approved until tomorrow with its
// export button; the export sends a CSV of the salesperson's own leads only,
// audited with the grant, and a second export is refused with a clear
// message.
func TestAccessRequestFiledApprovedAndExportedOnce(t *testing.T) {
	e := newEnv(t)
	user := e.signedIn("installer001.sales@demo.test")
	user.get("/access-requests")
	bad := user.post("/access-requests", url.Values{"kind": {"export"}, "resource": {"leads"}, "justification": {"  "}}, hx)
	assert.Equal(t, http.StatusBadRequest, bad.Status)
	has(t, bad.Body, `id="request-error"`)
	r := user.post("/access-requests", url.Values{"kind": {"export"}, "resource": {"leads"}, "justification": {"Relance des clients (test)"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	req, err := e.app.FindFirstRecordByFilter("access_requests", "justification = 'Relance des clients (test)'")
	require.NoError(t, err)
	assert.Equal(t, "pending", req.GetString("status"))
	assert.Equal(t, e.user("installer001.sales@demo.test").Id, req.GetString("requester"))
	has(t, user.get("/access-requests").Body, "En attente de décision")

	admin := e.signedIn("admin@demo.test")
	has(t, admin.get("/approvals").Body, req.Id)
	// a rejection needs a reason: refused on the row
	noReason := admin.post("/approvals/"+req.Id+"/reject", url.Values{"reason": {""}}, hx)
	assert.Equal(t, http.StatusBadRequest, noReason.Status)
	has(t, noReason.Body, "Un refus doit être motivé.")
	before := time.Now()
	ok := admin.post("/approvals/"+req.Id+"/approve", url.Values{"days": {"1"}, "reason": {"Pour la relance"}}, hx)
	require.Equal(t, http.StatusOK, ok.Status, ok.Body)
	has(t, ok.Body, "Demande accordée")
	lacks(t, ok.Body, `data-request-id="`+req.Id+`"`)
	req, err = e.app.FindRecordById("access_requests", req.Id)
	require.NoError(t, err)
	require.Equal(t, "approved", req.GetString("status"))
	g, err := e.app.FindRecordById("grants", req.GetString("grant"))
	require.NoError(t, err)
	assert.WithinDuration(t, before.Add(24*time.Hour), g.GetDateTime("expires").Time(), time.Minute, "granted for one day")

	page := user.get("/access-requests")
	has(t, page.Body, "Accordée")
	has(t, page.Body, `action="/exports/leads"`)

	csv := user.post("/exports/leads", nil)
	require.Equal(t, http.StatusOK, csv.Status, csv.Body)
	assert.Contains(t, csv.Header.Get("Content-Type"), "text/csv")
	assert.Contains(t, csv.Header.Get("Content-Disposition"), "attachment")
	me := e.user("installer001.sales@demo.test")
	var mine, foreign []string
	require.NoError(t, e.app.DB().NewQuery("SELECT id FROM leads WHERE assignee = {:u}").Bind(dbx.Params{"u": me.Id}).Column(&mine))
	require.NoError(t, e.app.DB().NewQuery("SELECT id FROM leads WHERE assignee != {:u}").Bind(dbx.Params{"u": me.Id}).Column(&foreign))
	require.NotEmpty(t, mine)
	require.NotEmpty(t, foreign)
	for _, id := range mine {
		require.Contains(t, csv.Body, id, "the salesperson's own leads are exported")
	}
	for _, id := range foreign {
		require.NotContains(t, csv.Body, id, "a lead of someone else in the export")
	}
	g, err = e.app.FindRecordById("grants", g.Id)
	require.NoError(t, err)
	assert.False(t, g.GetDateTime("used_at").IsZero(), "the grant is used up")
	entry, err := e.app.FindFirstRecordByFilter("audit_log", "action = 'export' && resource = 'leads'", dbx.Params{})
	require.NoError(t, err)
	assert.Contains(t, entry.GetString("changes"), g.Id, "the export is audited with its grant")

	again := user.post("/exports/leads", nil)
	assert.Equal(t, http.StatusForbidden, again.Status)
	has(t, again.Body, "Export refusé")
	lacks(t, again.Body, "text/csv")
	page = user.get("/access-requests")
	lacks(t, page.Body, `action="/exports/leads"`)
	has(t, page.Body, "utilisé le")
}

// TestAdminCreatesAndRevokesGrantsOnThePage: the admin grants a
// teleoperator a one-day export right by e-mail (a refused form keeps its
// values and says why), sees it running with its expiry, revokes it, and
// sees it ended; the holder's page follows.
func TestAdminCreatesAndRevokesGrantsOnThePage(t *testing.T) {
	e := newEnv(t)
	admin := e.signedIn("admin@demo.test")
	admin.get("/grants")
	bad := admin.post("/grants", url.Values{"email": {"nobody@demo.test"}, "kind": {"export"}, "resource": {"leads"}, "days": {"1"}}, hx)
	assert.Equal(t, http.StatusBadRequest, bad.Status)
	has(t, bad.Body, "Aucun utilisateur n&#39;a cet e-mail.")
	has(t, bad.Body, `value="nobody@demo.test"`)
	// a partner role never holds a territory grant
	part := admin.post("/grants", url.Values{"email": {"installer001@demo.test"}, "kind": {"territory"}, "territory": {e.managedTerritory()}, "days": {"1"}}, hx)
	assert.Equal(t, http.StatusBadRequest, part.Status)
	has(t, part.Body, "Seuls les rôles internes")

	r := admin.post("/grants", url.Values{"email": {"teleop@demo.test"}, "kind": {"export"}, "resource": {"leads"}, "days": {"1"}, "reason": {"Campagne"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	g, err := e.app.FindFirstRecordByFilter("grants", "user = {:u} && kind = 'export'", dbx.Params{"u": e.user("teleop@demo.test").Id})
	require.NoError(t, err)
	running := regexp.MustCompile(`(?s)id="running-grants".*?</table>`).FindString(r.Body)
	has(t, running, g.Id)
	has(t, running, "teleop@demo.test")
	has(t, e.signedIn("teleop@demo.test").get("/access-requests").Body, `action="/exports/leads"`)

	rv := admin.post("/grants/"+g.Id+"/revoke", nil, hx)
	require.Equal(t, http.StatusOK, rv.Status, rv.Body)
	ended := regexp.MustCompile(`(?s)id="ended-grants".*?</table>`).FindString(rv.Body)
	has(t, ended, g.Id)
	lacks(t, regexp.MustCompile(`(?s)id="running-grants".*?</table>`).FindString(rv.Body), g.Id)
	lacks(t, e.signedIn("teleop@demo.test").get("/access-requests").Body, `action="/exports/leads"`)
	assert.Equal(t, http.StatusNotFound, e.signedIn("manager.ouest@demo.test").post("/grants/"+g.Id+"/revoke", nil).Status)
}

// TestAccessReviewCampaignOnThePage: the admin opens the quarter's
// campaign, decides lines (keep; change without a note is refused on its
// line; revoke deactivates the account) and follows the progress; his own
// line is not his to decide; the installer's placeholder superuser is not
// listed; dates are formatted in the reader's language.
func TestAccessReviewCampaignOnThePage(t *testing.T) {
	e := newEnv(t)
	e.withoutReviewCampaigns()
	su, err := e.app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
	require.NoError(t, err)
	placeholder := core.NewRecord(su)
	placeholder.SetEmail(core.DefaultInstallerEmail)
	placeholder.SetRandomPassword()
	require.NoError(t, e.app.Save(placeholder))

	admin := e.signedIn("admin@demo.test")
	page := admin.get("/access-review")
	require.Equal(t, http.StatusOK, page.Status)
	lacks(t, page.Body, core.DefaultInstallerEmail)
	assert.NotContains(t, e.apiGet("/api/prm/access-review", "admin@demo.test").Body, core.DefaultInstallerEmail)
	// the admin's last login, in French
	last := e.user("admin@demo.test").GetDateTime("last_login")
	require.False(t, last.IsZero())
	tr, err := newTranslator()
	require.NoError(t, err)
	has(t, page.Body, tr.locale("fr").DateTime(last))
	lacks(t, page.Body, last.String())

	opened := admin.post("/access-review/campaign", nil)
	require.Equal(t, http.StatusSeeOther, opened.Status, opened.Body)
	page = admin.get("/access-review")
	var total int
	require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM users").Row(&total))
	has(t, page.Body, "0 sur "+tr.locale("fr").Num(total)+" comptes décidés")
	lacks(t, page.Body, `action="/access-review/campaign"`)

	item := func(email string) string {
		var id string
		require.NoError(t, e.app.DB().NewQuery("SELECT i.id FROM access_review_items i JOIN users u ON u.id = i.user WHERE u.email = {:e}").
			Bind(dbx.Params{"e": email}).Row(&id))
		return id
	}
	keep := admin.post("/access-review/items/"+item("installer001@demo.test"), url.Values{"decision": {"keep"}, "note": {"RAS"}}, hx)
	require.Equal(t, http.StatusOK, keep.Status, keep.Body)
	has(t, keep.Body, "1 sur "+tr.locale("fr").Num(total)+" comptes décidés")
	change := admin.post("/access-review/items/"+item("sales@demo.test"), url.Values{"decision": {"change"}}, hx)
	assert.Equal(t, http.StatusBadRequest, change.Status)
	has(t, change.Body, "exige une note")
	revoke := admin.post("/access-review/items/"+item("installer002.sales@demo.test"), url.Values{"decision": {"revoke"}, "note": {"Parti"}}, hx)
	require.Equal(t, http.StatusOK, revoke.Status, revoke.Body)
	has(t, revoke.Body, "2 sur ")
	assert.False(t, e.user("installer002.sales@demo.test").GetBool("active"), "revoke deactivates the account")
	// the admin's own line has no form
	own := regexp.MustCompile(`(?s)<tr id="item-` + item("admin@demo.test") + `".*?</tr>`).FindString(revoke.Body)
	require.NotEmpty(t, own)
	lacks(t, own, "<form")
	assert.Equal(t, http.StatusForbidden, admin.post("/access-review/items/"+item("admin@demo.test"), url.Values{"decision": {"keep"}}, hx).Status)
	assert.Equal(t, http.StatusNotFound, e.signedIn("manager.ouest@demo.test").post("/access-review/items/"+item("sales@demo.test"), url.Values{"decision": {"keep"}}).Status)

	// in English, English dates
	en := e.user("admin@demo.test")
	en.Set("locale", "en")
	require.NoError(t, e.app.Save(en))
	page = e.signedIn("admin@demo.test").get("/access-review")
	has(t, page.Body, "2 of "+tr.locale("en").Num(total)+" accounts decided")
	last = e.user("admin@demo.test").GetDateTime("last_login")
	has(t, page.Body, tr.locale("en").DateTime(last))
	assert.True(t, strings.Contains(page.Body, "Keep"))
}

// TestGovernanceWriteRoutesPerRole is the authorization table of the
// governance actions of the UI: every role tries each one; those who may
// not get 404 (or 403 for an export without a right) and change nothing;
// then one who may succeeds.
func TestGovernanceWriteRoutesPerRole(t *testing.T) {
	e := newEnv(t)
	e.withoutReviewCampaigns()
	exportReq := e.fileRequest("teleop@demo.test", map[string]any{"kind": "export", "resource": "leads", "justification": "Appels"})
	terrReq := e.fileRequest("sales@demo.test", map[string]any{"kind": "territory", "territory": e.managedTerritory(), "justification": "Renfort"})
	admin := e.user("admin@demo.test")
	g, err := governance.CreateGrant(e.app, audit.ActorOfUser(admin), governance.GrantSpec{User: e.user("sales@demo.test").Id, Kind: "export", Resource: "leads",
		Expires: time.Now().Add(time.Hour), GrantedBy: admin.Id}, time.Now())
	require.NoError(t, err)
	review, _, err := governance.OpenReviewCampaign(e.app, time.Now())
	require.NoError(t, err)
	item, err := e.app.FindFirstRecordByFilter("access_review_items", "review = {:r} && user = {:u}", dbx.Params{"r": review.Id, "u": e.user("sales@demo.test").Id})
	require.NoError(t, err)
	status := func(coll, id, field string) string {
		r, err := e.app.FindRecordById(coll, id)
		require.NoError(t, err)
		return r.GetString(field)
	}
	grants := func() int {
		n, err := e.app.CountRecords("grants")
		require.NoError(t, err)
		return int(n)
	}
	reviews := func() int {
		n, err := e.app.CountRecords("access_reviews")
		require.NoError(t, err)
		return int(n)
	}
	routes := []struct {
		path    string
		form    url.Values
		allowed []string // the last one performs the action
		denied  int      // status for the others
		changed func() string
	}{
		{"/approvals/" + exportReq + "/approve", url.Values{"days": {"1"}}, []string{"admin@demo.test"}, http.StatusNotFound,
			func() string { return status("access_requests", exportReq, "status") }},
		{"/approvals/" + terrReq + "/reject", url.Values{"reason": {"Non"}}, []string{"admin@demo.test", "manager.ouest@demo.test"}, http.StatusNotFound,
			func() string { return status("access_requests", terrReq, "status") }},
		{"/grants", url.Values{"email": {"teleop@demo.test"}, "kind": {"export"}, "resource": {"leads"}, "days": {"1"}}, []string{"admin@demo.test"}, http.StatusNotFound,
			func() string { return itoa(grants()) }},
		{"/grants/" + g.Id + "/revoke", nil, []string{"admin@demo.test"}, http.StatusNotFound,
			func() string { return status("grants", g.Id, "expires") }},
		{"/access-review/items/" + item.Id, url.Values{"decision": {"keep"}}, []string{"admin@demo.test"}, http.StatusNotFound,
			func() string { return status("access_review_items", item.Id, "decision") }},
		{"/access-review/campaign", nil, nil, http.StatusNotFound, func() string { return itoa(reviews()) }},
	}
	for _, r := range routes {
		before := r.changed()
		for _, email := range govRoles {
			if slices.Contains(r.allowed, email) {
				continue
			}
			if email == "admin@demo.test" && r.path == "/access-review/campaign" {
				continue // the admin's: the quarter's campaign exists, nothing to open (checked below)
			}
			got := e.signedIn(email).post(r.path, cloneForm(r.form))
			assert.Equal(t, r.denied, got.Status, "%s %s", email, r.path)
			assert.Equal(t, before, r.changed(), "%s %s changed something", email, r.path)
		}
		if len(r.allowed) > 0 {
			who := r.allowed[len(r.allowed)-1]
			got := e.signedIn(who).post(r.path, cloneForm(r.form))
			assert.Equal(t, http.StatusSeeOther, got.Status, "%s %s: %s", who, r.path, got.Body)
			assert.NotEqual(t, before, r.changed(), "%s %s did it", who, r.path)
		}
	}
	// the campaign of the quarter is opened once
	assert.Equal(t, http.StatusSeeOther, e.signedIn("admin@demo.test").post("/access-review/campaign", nil).Status)
	assert.Equal(t, 1, reviews())

	// exports: the matrix's export flag (admin, channel manager) or a
	// running export grant (teleop's, approved above: used up at once;
	// sales' was revoked above); the others get 403
	want := map[string]int{"admin@demo.test": 200, "manager.ouest@demo.test": 200, "teleop@demo.test": 200,
		"installer001.sales@demo.test": 403, "installer001@demo.test": 403, "sales@demo.test": 403}
	for _, email := range govRoles {
		got := e.signedIn(email).post("/exports/leads", nil)
		assert.Equal(t, want[email], got.Status, email)
	}
	// teleop holds a second grant (the admin's form above), then none
	assert.Equal(t, http.StatusOK, e.signedIn("teleop@demo.test").post("/exports/leads", nil).Status, "the second grant")
	assert.Equal(t, http.StatusForbidden, e.signedIn("teleop@demo.test").post("/exports/leads", nil).Status, "both grants are used up")
	assert.Equal(t, http.StatusNotFound, e.signedIn("admin@demo.test").post("/exports/nothing", nil).Status)
	assert.Equal(t, http.StatusForbidden, e.signedIn("admin@demo.test").post("/exports/leads", url.Values{"_csrf": {"forged"}}).Status)
}

// cloneForm copies a form (post adds the page's CSRF token to it).
func cloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// withoutReviewCampaigns removes the access-review campaign the demo opens
// (with its decided lines), so that a test opens and decides its own.
func (e *env) withoutReviewCampaigns() {
	e.t.Helper()
	for _, q := range []string{"DELETE FROM access_review_items", "DELETE FROM access_reviews"} {
		_, err := e.app.DB().NewQuery(q).Execute()
		require.NoError(e.t, err)
	}
}
