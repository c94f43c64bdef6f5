package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/internal/testapp"
)

// apiPost calls a REST route on the env's router with a user's token.
func (e *env) apiPost(path, email string, body any) resp {
	e.t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(e.t, err)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", testapp.Token(e.t, e.app, e.user(email)))
	rec := httptest.NewRecorder()
	e.mux.ServeHTTP(rec, req)
	return resp{Status: rec.Code, Body: rec.Body.String(), Header: rec.Header()}
}

var mailLinkRe = regexp.MustCompile(`https?://[^\s"<]+`)

// checkLink opens a notification's link as its recipient, following the
// redirects (it must end on a page, 200, never a 404), and as a guest (the
// login page, which brings the user back to it). It returns where the
// recipient landed.
func checkLink(t *testing.T, e *env, email, path, what string) string {
	t.Helper()
	require.NotEmpty(t, path, what)
	anon := e.browser().get(path)
	assert.Equal(t, http.StatusSeeOther, anon.Status, what+": a guest is sent to the login")
	assert.Equal(t, "/login?next="+url.QueryEscape(path), anon.Header.Get("Location"), what)
	if email == "" {
		return ""
	}
	b := e.signedIn(email)
	r := b.get(path)
	at := path
	for i := 0; i < 3 && r.Status == http.StatusSeeOther; i++ {
		at = r.Header.Get("Location")
		r = b.get(at)
	}
	assert.Equal(t, http.StatusOK, r.Status, what+": "+email+" opens "+path+" → "+at)
	return at
}

// Offers and leads back to the pool are mailed to their recipients in
// their language, with a link to a page that opens (never a 404); the
// partner's notify_email gets the offer; the in-app notification of every
// kind links to a page its recipient can open.
func TestNotificationLinksAndLanguages(t *testing.T) {
	e := newEnv(t)
	pm := e.user("installer001@demo.test")
	pid := pm.GetString("partner")
	partner, err := e.app.FindRecordById("partners", pid)
	require.NoError(t, err)
	partner.Set("notify_email", "devis@installer001.example")
	require.NoError(t, e.app.Save(partner))
	// the salesperson reads English, the manager French
	sales := e.user("installer001.sales@demo.test")
	sales.Set("locale", "en")
	require.NoError(t, e.app.Save(sales))
	pm.Set("locale", "fr")
	require.NoError(t, e.app.Save(pm))
	lead := e.leadWhere(dbx.NewExp("status = 'ready' AND territory IN (SELECT value FROM json_each((SELECT territories FROM partners WHERE id = {:p})))", dbx.Params{"p": pid}), "created")
	lead.Set("interest", "Toiture 300 m²\nHangar agricole")
	require.NoError(t, e.app.Save(lead))

	res := e.apiPost("/api/prm/leads/"+lead.Id+"/assign", "admin@demo.test", map[string]any{"partner": pid})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	lead, err = e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	require.Equal(t, "offered", lead.GetString("status"))

	require.NoError(t, notify.SendPending(e.app))
	mails := e.app.TestMailer.Messages()
	require.NotEmpty(t, mails)
	byTo := map[string]bool{}
	for _, m := range mails {
		to := m.To[0].Address
		byTo[to] = true
		u, uerr := e.app.FindAuthRecordByEmail("users", to)
		lang, who := "fr", ""
		if uerr == nil {
			lang, who = notify.Lang(u.GetString("locale")), to
		}
		want := map[string]string{"fr": "Nouvelle offre : ", "en": "New offer: "}[lang]
		assert.True(t, strings.HasPrefix(m.Subject, want), "%s reads %s: %q", to, lang, m.Subject)
		all := m.Subject + m.Text + m.HTML
		assert.NotContains(t, all, " / ", "one language: "+to)
		assert.NotContains(t, all, "UTC", to)
		assert.NotContains(t, all, "/ui/", to)
		assert.Contains(t, m.Text, "Toiture 300 m²\nHangar agricole", "text part keeps the lines")
		assert.Contains(t, m.HTML, "Toiture 300 m²<br>", "HTML part keeps the lines")
		paris := notify.FormatTime(lang, lead.GetDateTime("accept_by").Time())
		assert.Contains(t, m.Text, paris, "the deadline in Paris time, per language")
		links := mailLinkRe.FindAllString(m.Text, -1)
		require.Len(t, links, 1, m.Text)
		u2, err := url.Parse(links[0])
		require.NoError(t, err)
		at := checkLink(t, e, who, u2.Path, "offer e-mail to "+to)
		if who != "" {
			assert.Equal(t, "/leads/"+lead.Id, at, "the link opens the offered lead")
		} else {
			assert.Equal(t, "/leads/"+lead.Id, u2.Path, "the company address gets the lead's page")
		}
	}
	assert.True(t, byTo["installer001.sales@demo.test"] || byTo[pm.Email()], "the company's users are mailed")
	assert.True(t, byTo["devis@installer001.example"], "the partner's notify_email gets the offer")

	// back to the pool: the channel managers are mailed, and can open it
	require.NoError(t, notify.SendPending(e.app))
	e.app.TestMailer.Reset()
	lead.Set("offers_count", 99)
	require.NoError(t, e.app.Save(lead))
	assignee, err := e.app.FindRecordById("users", lead.GetString("assignee"))
	require.NoError(t, err)
	res = e.apiPost("/api/prm/leads/"+lead.Id+"/decline", assignee.Email(), map[string]any{"reason": "capacity"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	require.NoError(t, notify.SendPending(e.app))
	back := e.app.TestMailer.Messages()
	require.NotEmpty(t, back, "the channel managers are mailed")
	for _, m := range back {
		to := m.To[0].Address
		u, err := e.app.FindAuthRecordByEmail("users", to)
		require.NoError(t, err, to)
		want := map[string]string{"fr": "Lead revenu au pool : ", "en": "Lead back to the pool: "}[notify.Lang(u.GetString("locale"))]
		assert.True(t, strings.HasPrefix(m.Subject, want), m.Subject)
		assert.NotContains(t, m.Subject+m.Text, " / ")
		link := mailLinkRe.FindString(m.Text)
		u2, err := url.Parse(link)
		require.NoError(t, err)
		assert.Equal(t, "/leads/"+lead.Id, checkLink(t, e, to, u2.Path, "back-to-pool e-mail to "+to))
	}

	// a deal registration (to the channel managers), its approval (to the
	// partner) and an access request (to the approvers)
	res = e.apiPost("/api/prm/registrations", pm.Email(), map[string]any{"company": "Serres du Trieux", "postal_code": lead.GetString("postal_code"), "amount": 18000})
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var receipt struct {
		Opportunity struct {
			ID string `json:"id"`
		} `json:"opportunity"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &receipt))
	res = e.apiPost("/api/prm/registrations/"+receipt.Opportunity.ID+"/approve", "admin@demo.test", nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = e.apiPost("/api/collections/access_requests/records", sales.Email(), map[string]any{"requester": sales.Id, "kind": "export",
		"resource": "leads", "details": "export des leads", "justification": "salon régional"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)

	// every in-app notification written so far links to a page its
	// recipient opens, and shows in the reader's language
	var notes []*core.Record
	require.NoError(t, e.app.RecordQuery("notifications").All(&notes))
	require.NotEmpty(t, notes)
	translator, err := newTranslator()
	require.NoError(t, err)
	tr := func(lang, id string) string { return translator.locale(notify.Lang(lang)).T(id) }
	kinds := map[string]bool{}
	for _, n := range notes {
		kinds[n.GetString("kind")] = true
		u, err := e.app.FindRecordById("users", n.GetString("user"))
		require.NoError(t, err)
		page := e.signedIn(u.Email()).get("/notifications")
		require.Equal(t, http.StatusOK, page.Status)
		title, _ := notify.Text(n, notify.Lang(u.GetString("locale")))
		has(t, page.Body, esc(title), u.Email())
		if n.GetString("lead") != "" {
			has(t, page.Body, `href="`+notify.Link(n.Id)+`"`, "the title links to it")
		}
		at := checkLink(t, e, u.Email(), notify.Link(n.Id), n.GetString("kind")+" notification of "+u.Email())
		if n.GetString("kind") == "offer" {
			// the lead went back to the pool: no longer the partner's
			assert.Equal(t, "/notifications", at)
			gone := e.signedIn(u.Email())
			gone.get(notify.Link(n.Id))
			has(t, gone.get("/notifications").Body, esc(tr(u.GetString("locale"), "flash.notification_gone")))
		}
	}
	for _, k := range []string{"offer", "lead_back_to_pool", "registration", "registration_approved", "access_request"} {
		assert.True(t, kinds[k], "a %s notification was checked (%v)", k, kinds)
	}
	// someone else's notification, or no notification: the same answer
	other := ""
	for _, n := range notes {
		if n.GetString("user") != e.user("admin@demo.test").Id {
			other = n.Id
		}
	}
	for _, id := range []string{other, "nosuchnotific1"} {
		assert.Equal(t, "/notifications", checkLink(t, e, "admin@demo.test", notify.Link(id), "a link that is not the admin's"))
	}
}
