package ui

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
)

var welcomeRe = regexp.MustCompile(`href="https?://[^"]*(/welcome/[A-Za-z0-9._-]+)"`)

// lastWelcome returns the path of the welcome link of the last e-mail,
// sent to email.
func (e *env) lastWelcome(email string) string {
	e.t.Helper()
	m := e.app.TestMailer.LastMessage()
	require.Equal(e.t, email, m.To[0].Address)
	link := welcomeRe.FindStringSubmatch(m.HTML)
	require.NotNil(e.t, link, "a welcome link in %q", m.HTML)
	assert.NotContains(e.t, m.HTML+m.Text, "/_/", "never a link to the admin panel")
	return link[1]
}

// partnerUser returns the partner's account of a role.
func (e *env) partnerUser(partner, role string) *core.Record {
	e.t.Helper()
	var out []*core.Record
	require.NoError(e.t, e.app.RecordQuery("users").AndWhere(dbx.HashExp{"partner": partner, "role": role}).OrderBy("email").Limit(1).All(&out))
	require.NotEmpty(e.t, out, "no %s for %s", role, partner)
	return out[0]
}

// TestTeamPageAndInvitation: a partner manager sees exactly its company's
// accounts (what the REST API lists), invites a salesperson who sets a
// password from the e-mail and logs in, deactivates its salespeople only;
// every forbidden variant answers 403 or 404 and creates nothing.
func TestTeamPageAndInvitation(t *testing.T) {
	e := newEnv(t)
	e.app.Settings().Meta.AppURL = "https://relais.example"
	pm := e.user("installer001@demo.test")
	other := e.user("installer002.sales@demo.test")
	b := e.signedIn(pm.Email())
	page := b.get("/team")
	require.Equal(t, http.StatusOK, page.Status)
	visible, _, err := access.ListFor(e.app, pm, "users", access.ListQuery{PerPage: access.MaxPerPage})
	require.NoError(t, err)
	require.NotEmpty(t, visible)
	for _, u := range visible {
		has(t, page.Body, `data-email="`+u.Email()+`"`, "the REST API lists it")
	}
	assert.Len(t, regexp.MustCompile(`<tr id="member-`).FindAllString(page.Body, -1), len(visible), "exactly the accounts the REST API lists")
	lacks(t, page.Body, other.Email())
	lacks(t, page.Body, "admin@demo.test")

	// forbidden variants: a manager, an internal role, another company
	for _, form := range []url.Values{
		{"name": {"X"}, "email": {"x1@demo.test"}, "role": {"partner_manager"}},
		{"name": {"X"}, "email": {"x2@demo.test"}, "role": {"admin"}},
		{"name": {"X"}, "email": {"x3@demo.test"}, "role": {"channel_manager"}},
		{"name": {"X"}, "email": {"x4@demo.test"}, "role": {"partner_user"}, "partner": {other.GetString("partner")}},
		{"name": {"X"}, "email": {"x5@demo.test"}, "role": {"partner_manager"}, "partner": {other.GetString("partner")}},
	} {
		r := b.post("/team/invite", form)
		assert.Equal(t, http.StatusForbidden, r.Status, "%v", form)
		has(t, r.Body, `id="invite-error"`, "%v", form)
		_, err := e.app.FindAuthRecordByEmail("users", form.Get("email"))
		assert.Error(t, err, "no account for %v", form)
	}

	sent := e.app.TestMailer.TotalSend()
	r := b.post("/team/invite", url.Values{"name": {"Léa Recrue"}, "email": {"lea.recrue@demo.test"}, "role": {"partner_user"}, "locale": {"en"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	assert.Equal(t, sent+1, e.app.TestMailer.TotalSend())
	lea := e.user("lea.recrue@demo.test")
	assert.Equal(t, pm.GetString("partner"), lea.GetString("partner"))
	assert.Equal(t, "partner_user", lea.GetString("role"))
	assert.Equal(t, "Relais: your account is waiting", e.app.TestMailer.LastMessage().Subject)
	link := e.lastWelcome("lea.recrue@demo.test")
	page = b.get("/team")
	has(t, page.Body, `<p class="flash">`+esc("L'invitation est envoyée.")+`</p>`)
	has(t, page.Body, "lea.recrue@demo.test")
	has(t, page.Body, "data-pending")

	// the welcome page, in the account's language
	guest := e.browser()
	w := guest.get(link)
	require.Equal(t, http.StatusOK, w.Status)
	has(t, w.Body, "Welcome to Relais")
	r = guest.post(link, url.Values{"password": {"lea-password-26"}, "passwordConfirm": {"lea-password-26"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	assert.Equal(t, "/login", r.Header.Get("Location"))
	assert.Equal(t, http.StatusBadRequest, guest.get(link).Status, "the link works once")
	guest.get("/login")
	r = guest.post("/login", url.Values{"email": {"lea.recrue@demo.test"}, "password": {"lea-password-26"}})
	require.Equal(t, http.StatusSeeOther, r.Status, "the new salesperson logs in")

	// deactivation: its own salespeople only
	seller := e.user("installer001.sales@demo.test")
	r = b.post("/team/"+seller.Id+"/active", url.Values{"active": {"false"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	assert.False(t, e.user(seller.Email()).GetBool("active"))
	r = b.post("/team/"+seller.Id+"/active", url.Values{"active": {"true"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	assert.True(t, e.user(seller.Email()).GetBool("active"))
	for id, status := range map[string]int{other.Id: http.StatusNotFound, pm.Id: http.StatusForbidden, e.user("admin@demo.test").Id: http.StatusNotFound,
		e.user("installer002@demo.test").Id: http.StatusNotFound} {
		r := b.post("/team/"+id+"/active", url.Values{"active": {"false"}})
		assert.Equal(t, status, r.Status, id)
		u, err := e.app.FindRecordById("users", id)
		require.NoError(t, err)
		assert.True(t, u.GetBool("active"), id)
	}

	// other roles have no team page
	for _, email := range []string{"installer001.sales@demo.test", "admin@demo.test", "sales@demo.test"} {
		assert.Equal(t, http.StatusNotFound, e.signedIn(email).get("/team").Status, email)
	}
}

// TestAdminInvitesUsers: only roles with the users create right get the
// form; an admin's invitation makes an active account of the chosen role
// and partner, mailed in its language.
func TestAdminInvitesUsers(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{"manager.ouest@demo.test", "sales@demo.test", "installer001@demo.test", "teleop@demo.test"} {
		b := e.signedIn(email)
		assert.Equal(t, http.StatusNotFound, b.get("/users/new").Status, email)
		assert.Equal(t, http.StatusNotFound, b.post("/users/new", url.Values{"name": {"X"}, "email": {"y@demo.test"}, "role": {"admin"}}).Status, email)
	}
	_, err := e.app.FindAuthRecordByEmail("users", "y@demo.test")
	assert.Error(t, err)

	admin := e.signedIn("admin@demo.test")
	assert.Contains(t, admin.get("/users").Body, `href="/users/new"`)
	form := admin.get("/users/new")
	require.Equal(t, http.StatusOK, form.Status)
	partner := e.user("installer003@demo.test").GetString("partner")
	r := admin.post("/users/new", url.Values{"name": {"Paul Nouveau"}, "email": {"paul.nouveau@demo.test"}, "role": {"partner_manager"},
		"partner": {partner}, "locale": {"fr"}, "access_expires": {"2099-12-31"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	u := e.user("paul.nouveau@demo.test")
	assert.Equal(t, partner, u.GetString("partner"))
	assert.True(t, u.GetBool("active"))
	assert.False(t, u.GetDateTime("access_expires").IsZero())
	assert.Equal(t, "Relais : votre compte vous attend", e.app.TestMailer.LastMessage().Subject)
	e.lastWelcome("paul.nouveau@demo.test")

	// a partner role without a partner is refused with the form again
	r = admin.post("/users/new", url.Values{"name": {"Sans"}, "email": {"sans.partenaire@demo.test"}, "role": {"partner_user"}})
	assert.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, `id="invite-error" data-field="partner"`)
	list := admin.get("/users?partner=" + partner)
	has(t, list.Body, "paul.nouveau@demo.test")
	lacks(t, list.Body, "installer004@demo.test")
}

// multipartPost sends a multipart form with one file as the browser would.
func (b *browser) multipartPost(path string, fields url.Values, fileName string, file []byte) resp {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fields.Set("_csrf", b.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			require.NoError(b.e.t, mw.WriteField(k, v))
		}
	}
	if fileName != "" {
		fw, err := mw.CreateFormFile("file", fileName)
		require.NoError(b.e.t, err)
		_, err = fw.Write(file)
		require.NoError(b.e.t, err)
	}
	require.NoError(b.e.t, mw.Close())
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, c := range b.jar {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.e.mux.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.jar, c.Name)
		} else {
			b.jar[c.Name] = c
		}
	}
	return resp{Status: rec.Code, Body: rec.Body.String(), Header: rec.Header()}
}

// pilotAndOther returns a partner manager of a pilot-tier partner and one
// of a partner of another tier (the seeded demo).
func (e *env) pilotAndOther() (pilot, other *core.Record) {
	e.t.Helper()
	var ps []*core.Record
	require.NoError(e.t, e.app.RecordQuery("partners").AndWhere(dbx.HashExp{"status": "active"}).OrderBy("name").All(&ps))
	for _, p := range ps {
		if p.GetString("tier") == "pilot" && pilot == nil {
			pilot = e.partnerUser(p.Id, "partner_manager")
		}
		if p.GetString("tier") != "pilot" && other == nil {
			other = e.partnerUser(p.Id, "partner_user")
		}
	}
	require.NotNil(e.t, pilot, "a pilot partner in the demo")
	require.NotNil(e.t, other, "a partner of another tier in the demo")
	return pilot, other
}

// TestDocumentLibraryManagement: an admin and a channel manager upload
// documents with an audience; a pilot partner sees the pilot price list,
// another partner never does (page, search, category, download); the file
// is replaced and the document withdrawn; partners cannot manage.
func TestDocumentLibraryManagement(t *testing.T) {
	e := newEnv(t)
	pilot, other := e.pilotAndOther()
	for _, email := range []string{pilot.Email(), other.Email(), "sales@demo.test", "teleop@demo.test"} {
		b := e.signedIn(email)
		assert.Equal(t, http.StatusNotFound, b.get("/documents/new").Status, email)
		lacks(t, b.get("/documents").Body, `href="/documents/new"`, email)
	}
	admin := e.signedIn("admin@demo.test")
	require.Equal(t, http.StatusOK, admin.get("/documents/new").Status)
	r := admin.multipartPost("/documents/new", url.Values{"title": {"Tarifs pilotes 2027"}, "category": {"price_list"}, "audience": {"tiers"}, "tiers": {"pilot"}, "sensitive": {"on"}},
		"tarifs.pdf", []byte("%PDF-1.4 tarifs v1"))
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	has(t, admin.get(r.Header.Get("Location")).Body, `<p class="flash">Le document est enregistré.</p>`)
	doc, err := e.app.FindFirstRecordByData("documents", "title", "Tarifs pilotes 2027")
	require.NoError(t, err)
	assert.Equal(t, []string{"pilot"}, doc.GetStringSlice("tiers"))
	assert.True(t, doc.GetBool("sensitive"))

	// a channel manager uploads for installers
	cm := e.signedIn("manager.ouest@demo.test")
	r = cm.get("/documents")
	has(t, r.Body, `href="/documents/new"`)
	r = cm.multipartPost("/documents/new", url.Values{"title": {"Guide de pose bac acier"}, "category": {"guide"}, "audience": {"kinds"}, "kinds": {"installer"}},
		"guide.pdf", []byte("%PDF-1.4 guide"))
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	// tiers audience without a tier is refused
	r = cm.multipartPost("/documents/new", url.Values{"title": {"Sans niveau"}, "category": {"other"}, "audience": {"tiers"}}, "x.pdf", []byte("%PDF-1.4 x"))
	assert.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, `id="document-form-error"`)

	pb := e.signedIn(pilot.Email())
	ob := e.signedIn(other.Email())
	for name, b := range map[string]*browser{"pilot": pb, "other": ob} {
		page := b.get("/documents")
		require.Equal(t, http.StatusOK, page.Status)
		user := pilot
		if name == "other" {
			user = other
		}
		listed, _, err := access.ListFor(e.app, user, "documents", access.ListQuery{PerPage: access.MaxPerPage})
		require.NoError(t, err)
		assert.Len(t, regexp.MustCompile(`data-doc-id="`).FindAllString(page.Body, -1), len(listed), "%s: exactly what the REST API lists", name)
		has(t, page.Body, "Guide de pose bac acier", name)
		lacks(t, page.Body, "Modifier ou remplacer", name)
	}
	has(t, pb.get("/documents").Body, "Tarifs pilotes 2027")
	has(t, pb.get("/documents?q=tarifs&category=price_list").Body, "Tarifs pilotes 2027")
	lacks(t, pb.get("/documents?q=tarifs&category=guide").Body, "Tarifs pilotes 2027")
	for _, path := range []string{"/documents", "/documents?q=tarifs", "/documents?category=price_list", "/documents?partner=" + pilot.GetString("partner")} {
		lacks(t, ob.get(path).Body, "Tarifs pilotes 2027", path)
	}
	assert.Equal(t, http.StatusNotFound, ob.get("/documents/"+doc.Id+"/file").Status)
	dl := pb.get("/documents/" + doc.Id + "/file")
	require.Equal(t, http.StatusOK, dl.Status)
	has(t, dl.Body, "tarifs v1")
	// partners cannot edit or withdraw
	assert.Equal(t, http.StatusNotFound, pb.post("/documents/"+doc.Id+"/withdraw", nil).Status)
	assert.Equal(t, http.StatusNotFound, pb.get("/documents/"+doc.Id+"/edit").Status)

	// the partner page's documents link shows what a partner receives
	has(t, admin.get("/documents?partner="+pilot.GetString("partner")).Body, "Tarifs pilotes 2027")
	lacks(t, admin.get("/documents?partner="+other.GetString("partner")).Body, "Tarifs pilotes 2027")

	// replace the file
	require.Equal(t, http.StatusOK, admin.get("/documents/"+doc.Id+"/edit").Status)
	r = admin.multipartPost("/documents/"+doc.Id+"/edit", url.Values{"title": {"Tarifs pilotes 2027"}, "category": {"price_list"}, "audience": {"tiers"}, "tiers": {"pilot"}},
		"tarifs-v2.pdf", []byte("%PDF-1.4 tarifs v2"))
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	has(t, pb.get("/documents/"+doc.Id+"/file").Body, "tarifs v2")

	// withdraw: partners stop seeing it at once, admins see it withdrawn
	admin.get("/documents")
	r = admin.post("/documents/"+doc.Id+"/withdraw", nil)
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	lacks(t, pb.get("/documents").Body, "Tarifs pilotes 2027")
	assert.Equal(t, http.StatusNotFound, pb.get("/documents/"+doc.Id+"/file").Status)
	has(t, admin.get("/documents").Body, "data-withdrawn")
}

// TestPartnerFormAndLinks: an admin creates and edits a partner; a
// channel manager edits the name of its territories' partners, never
// their contract; other roles get no form; the partner page links to its
// leads, scorecard, users and documents, and its leads list holds only
// that partner's leads.
func TestPartnerFormAndLinks(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{"manager.ouest@demo.test", "sales@demo.test"} {
		assert.Equal(t, http.StatusNotFound, e.signedIn(email).get("/partners/new").Status, email)
	}
	admin := e.signedIn("admin@demo.test")
	has(t, admin.get("/partners").Body, `href="/partners/new"`)
	require.Equal(t, http.StatusOK, admin.get("/partners/new").Status)
	var terr []*core.Record
	require.NoError(t, e.app.RecordQuery("territories").OrderBy("name").Limit(1).All(&terr))
	r := admin.post("/partners/new", url.Values{"name": {"Corse Soleil Services"}, "siren": {"552 100 554"}, "kind": {"installer"}, "tier": {"pilot"},
		"capacity": {"15"}, "contract_end": {"2028-06-30"}, "notify_email": {"offres@corse-soleil.test"}, "territories_sent": {"1"}, "territories": {terr[0].Id}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	p, err := e.app.FindFirstRecordByData("partners", "name", "Corse Soleil Services")
	require.NoError(t, err)
	assert.Equal(t, "552100554", p.GetString("siren"))
	assert.Equal(t, 15, p.GetInt("capacity"))
	assert.Equal(t, []string{terr[0].Id}, p.GetStringSlice("territories"))
	assert.Equal(t, "active", p.GetString("status"))
	r = admin.post("/partners/new", url.Values{"name": {"Mauvais SIREN"}, "siren": {"12"}, "kind": {"installer"}, "tier": {"pilot"}, "capacity": {"5"}})
	assert.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, `data-field="siren"`)

	r = admin.post("/partners/"+p.Id+"/edit", url.Values{"name": {"Corse Soleil Services"}, "siren": {"552100554"}, "notify_email": {"offres@corse-soleil.test"},
		"kind": {"installer"}, "tier": {"strategic"}, "capacity": {"30"}, "contract_end": {"2028-06-30"}, "territories_sent": {"1"}, "territories": {terr[0].Id}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	p, err = e.app.FindRecordById("partners", p.Id)
	require.NoError(t, err)
	assert.Equal(t, "strategic", p.GetString("tier"))
	assert.Equal(t, 30, p.GetInt("capacity"))

	// a channel manager: the name of a partner of its territories, not the contract
	cmUser := e.user("manager.ouest@demo.test")
	var theirs []*core.Record
	require.NoError(t, e.app.RecordQuery("partners").All(&theirs))
	var mine *core.Record
	for _, c := range theirs {
		if ok, err := access.CanDo(e.app, cmUser, c, "update", map[string]any{"name": "x"}); err == nil && ok {
			mine = c
			break
		}
	}
	require.NotNil(t, mine, "a partner of the west")
	cm := e.signedIn(cmUser.Email())
	form := cm.get("/partners/" + mine.Id + "/edit")
	require.Equal(t, http.StatusOK, form.Status)
	has(t, form.Body, `id="partner-contract-readonly"`)
	r = cm.post("/partners/"+mine.Id+"/edit", url.Values{"name": {mine.GetString("name") + " SAS"}, "siren": {""}, "notify_email": {""}, "tier": {"strategic"}})
	assert.Equal(t, http.StatusForbidden, r.Status, "the contract is not the channel manager's")
	r = cm.post("/partners/"+mine.Id+"/edit", url.Values{"name": {mine.GetString("name") + " SAS"}, "siren": {""}, "notify_email": {""}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	sales := e.signedIn("sales@demo.test")
	assert.Equal(t, http.StatusForbidden, sales.get("/partners/"+mine.Id+"/edit").Status)

	// the links of a partner page, and its leads list
	lead := e.leadWhere(dbx.NewExp("partner != ''"), "")
	pid := lead.GetString("partner")
	page := admin.get("/partners/" + pid)
	for _, link := range []string{"/leads?partner=" + pid, "/reports?partner=" + pid, "/users?partner=" + pid, "/documents?partner=" + pid} {
		has(t, page.Body, `href="`+link+`"`)
		assert.Equal(t, http.StatusOK, admin.get(link).Status, link)
	}
	leads := admin.get("/leads?partner=" + pid)
	has(t, leads.Body, `id="leads-partner"`)
	var otherLead []*core.Record
	require.NoError(t, e.app.RecordQuery("leads").AndWhere(dbx.And(dbx.NewExp("partner != ''"), dbx.Not(dbx.HashExp{"partner": pid}))).OrderBy("company").Limit(1).All(&otherLead))
	require.NotEmpty(t, otherLead)
	want, _, err := access.ListFor(e.app, e.user("admin@demo.test"), "leads", access.ListQuery{Where: dbx.HashExp{"leads.partner": pid}, PerPage: 50, Count: true})
	require.NoError(t, err)
	for _, l := range want {
		has(t, leads.Body, "/leads/"+l.Id)
	}
	lacks(t, leads.Body, "/leads/"+otherLead[0].Id)
	// a partner cannot use the filter to look at another company
	pm := e.signedIn("installer001@demo.test")
	other := e.user("installer002@demo.test").GetString("partner")
	assert.Equal(t, http.StatusNotFound, pm.get("/leads?partner="+other).Status)
}
