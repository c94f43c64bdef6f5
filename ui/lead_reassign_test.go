package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A channel manager reassigns a lead in progress from its page, with a
// reason; the former partner's users lose it at once (page, list, inbox).
func TestReassignFromTheLeadPage(t *testing.T) {
	e := newEnv(t)
	pu := e.user("installer001.sales@demo.test")
	lead := e.leadWhere(dbx.HashExp{"status": "contacted", "assignee": pu.Id}, "")
	target := e.user("installer002@demo.test").GetString("partner")
	c, err := e.app.FindFirstRecordByData("lead_contacts", "lead", lead.Id)
	require.NoError(t, err)
	former := e.signedIn("installer001.sales@demo.test")
	require.Equal(t, http.StatusOK, former.get("/leads/"+lead.Id).Status)
	lacks(t, former.get("/leads/"+lead.Id).Body, `id="reassign"`, "a salesperson reassigns nothing")

	for lang, label := range map[string]string{"fr": "Réattribuer le lead", "en": "Reassign the lead"} {
		setLocale(t, e, "manager@demo.test", lang)
		r := e.signedIn("manager@demo.test").get("/leads/" + lead.Id)
		require.Equal(t, http.StatusOK, r.Status)
		has(t, r.Body, `id="reassign"`)
		has(t, r.Body, esc(label))
		has(t, r.Body, `value="`+target+`"`)
	}
	setLocale(t, e, "manager@demo.test", "fr")
	b := e.signedIn("manager@demo.test")
	b.get("/leads/" + lead.Id)
	// no reason: refused, nothing changes
	r := b.post("/leads/"+lead.Id+"/reassign", url.Values{"partner": {target}, "reason": {""}}, hx)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	has(t, r.Body, `role="alert"`)
	fresh, err := e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, lead.GetString("partner"), fresh.GetString("partner"))

	r = b.post("/leads/"+lead.Id+"/reassign", url.Values{"partner": {target}, "reason": {"Client sans nouvelles"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	fresh, err = e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, target, fresh.GetString("partner"))
	assert.Equal(t, "offered", fresh.GetString("status"))

	for _, who := range []string{"installer001.sales@demo.test", "installer001@demo.test"} {
		fb := e.signedIn(who)
		assert.Equal(t, http.StatusNotFound, fb.get("/leads/"+lead.Id).Status, who)
		for _, page := range []string{"/leads", "/inbox", "/notifications", "/leads/" + lead.Id} {
			body := fb.get(page).Body
			if page != "/leads/"+lead.Id { // the 404 page repeats its own path
				lacks(t, body, lead.Id, who+" "+page)
			}
			lacks(t, body, c.GetString("email"), who+" "+page)
			lacks(t, body, esc(c.GetString("phone")), who+" "+page)
		}
	}
}

// A partner manager hands a lead of his company to another of its users
// from the lead page; the former salesperson loses it.
func TestPartnerManagerHandsOverFromTheLeadPage(t *testing.T) {
	e := newEnv(t)
	pu := e.user("installer001.sales@demo.test")
	pm := e.user("installer001@demo.test")
	lead := e.leadWhere(dbx.HashExp{"status": "contacted", "assignee": pu.Id}, "")
	b := e.signedIn("installer001@demo.test")
	r := b.get("/leads/" + lead.Id)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `id="reassign"`)
	has(t, r.Body, `name="assignee"`)
	lacks(t, r.Body, `name="partner"`, "no other company to choose")
	r = b.post("/leads/"+lead.Id+"/reassign", url.Values{"assignee": {pm.Id}, "reason": {"Congés"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	fresh, err := e.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, pm.Id, fresh.GetString("assignee"))
	assert.Equal(t, http.StatusNotFound, e.signedIn("installer001.sales@demo.test").get("/leads/"+lead.Id).Status)
}

// Suspending a partner lists its leads in progress on the page of leads to
// reassign, for the roles of the board only; each is reassigned from there.
func TestReassignListAfterSuspension(t *testing.T) {
	e := newEnv(t)
	// the installer with the most leads in progress
	var partnerID string
	require.NoError(t, e.app.DB().NewQuery("SELECT partner FROM leads WHERE partner != '' AND status IN ('accepted','contacted','meeting') GROUP BY partner ORDER BY COUNT(*) DESC, partner LIMIT 1").Row(&partnerID))
	p, err := e.app.FindRecordById("partners", partnerID)
	require.NoError(t, err)
	var open []string
	require.NoError(t, e.app.DB().NewQuery("SELECT id FROM leads WHERE partner = {:p} AND status IN ('accepted','contacted','meeting') ORDER BY id").
		Bind(dbx.Params{"p": partnerID}).Column(&open))
	require.NotEmpty(t, open, "the demo installer has leads in progress")
	p.Set("status", "suspended")
	require.NoError(t, e.app.Save(p))

	b := e.signedIn("manager@demo.test")
	for _, lang := range []string{"fr", "en"} {
		r := b.get("/reassign?partner="+partnerID, header("Accept-Language", lang))
		require.Equal(t, http.StatusOK, r.Status)
		for _, id := range open {
			has(t, r.Body, `data-lead-id="`+id+`"`)
		}
	}
	has(t, b.get("/board").Body, `href="/reassign"`)
	has(t, b.get("/partners/"+partnerID).Body, `href="/reassign?partner=`+partnerID+`"`)
	has(t, b.get("/notifications").Body, `<a href="/reassign">`, "the channel manager's notification links to the list")
	var target string
	require.NoError(t, e.app.DB().NewQuery("SELECT id FROM partners WHERE status = 'active' AND id != {:p} ORDER BY name LIMIT 1").Bind(dbx.Params{"p": partnerID}).Row(&target))
	b.get("/reassign")
	r := b.post("/leads/"+open[0]+"/reassign", url.Values{"partner": {target}, "reason": {"Partenaire suspendu"}, "back": {"list"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	assert.Equal(t, "/reassign", r.Header.Get("Location"))
	lacks(t, b.get("/reassign?partner="+partnerID).Body, `data-lead-id="`+open[0]+`"`)

	for who, want := range map[string]int{
		"admin@demo.test": http.StatusOK, "manager.ouest@demo.test": http.StatusOK,
		"sales@demo.test": http.StatusNotFound, "teleop@demo.test": http.StatusNotFound, // as /board
		"installer002@demo.test": http.StatusNotFound, "installer002.sales@demo.test": http.StatusNotFound,
	} {
		r := e.signedIn(who).get("/reassign")
		assert.Equal(t, want, r.Status, who)
		if want != http.StatusOK {
			for _, id := range open {
				lacks(t, r.Body, id, who)
			}
		}
	}
}

// setLocale sets a demo user's language (the UI follows it once signed in).
func setLocale(t *testing.T, e *env, email, lang string) {
	t.Helper()
	u := e.user(email)
	u.Set("locale", lang)
	require.NoError(t, e.app.Save(u))
}
