package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/dedup"
)

// dealWorld is the deal data of the deal page tests, made through the
// domain operations: a registration of installer001's salesperson that
// conflicts with an open lead of installer002 (pending), a registration of
// installer002's manager (approved), a rejected one of installer001's
// manager, and an opportunity opened from an accepted lead of installer001.
type dealWorld struct {
	p1Name, p2Name           string
	conflictLead             *core.Record
	conflicting, approved    *core.Record
	rejected, fromLead       *core.Record
	approvedCo, rejectedCo   string
	conflictCo, conflictCode string
}

func newDealWorld(t *testing.T, e *env) dealWorld {
	t.Helper()
	var w dealWorld
	p1, p2 := e.user("installer001@demo.test").GetString("partner"), e.user("installer002@demo.test").GetString("partner")
	for id, dst := range map[string]*string{p1: &w.p1Name, p2: &w.p2Name} {
		rec, err := e.app.FindRecordById("partners", id)
		require.NoError(t, err)
		*dst = rec.GetString("name")
	}
	w.conflictLead = e.leadWhere(dbx.NewExp("partner = {:p} AND company != '' AND status IN ('accepted', 'contacted', 'meeting')", dbx.Params{"p": p2}), "created")
	w.conflictCo, w.conflictCode = w.conflictLead.GetString("company"), w.conflictLead.GetString("postal_code")
	var err error
	w.conflicting, err = deals.RegisterDeal(e.app, access.ByUser(e.user("installer001.sales@demo.test")),
		deals.RegistrationInput{Company: w.conflictCo, PostalCode: w.conflictCode, Amount: 18000, Name: "Centrale en toiture"})
	require.NoError(t, err)
	w.approvedCo, w.rejectedCo = "Brasserie des Deux Rives", "Laiterie du Trieux"
	w.approved, err = deals.RegisterDeal(e.app, access.ByUser(e.user("installer002@demo.test")),
		deals.RegistrationInput{Company: w.approvedCo, PostalCode: "35000", Amount: 30000})
	require.NoError(t, err)
	_, err = deals.ApproveRegistration(e.app, access.ByUser(e.user("admin@demo.test")), w.approved.Id)
	require.NoError(t, err)
	w.rejected, err = deals.RegisterDeal(e.app, access.ByUser(e.user("installer001@demo.test")),
		deals.RegistrationInput{Company: w.rejectedCo, PostalCode: "22200", Amount: 9000})
	require.NoError(t, err)
	_, err = deals.RejectRegistration(e.app, access.ByUser(e.user("admin@demo.test")), w.rejected.Id, "Client déjà suivi en direct")
	require.NoError(t, err)
	// a worked lead without an opportunity yet (the demo opens some)
	lead := e.leadWhere(dbx.NewExp("partner = {:p} AND status IN ('accepted', 'contacted', 'meeting') AND id NOT IN (SELECT lead FROM opportunities WHERE lead != '')",
		dbx.Params{"p": p1}), "created")
	w.fromLead, err = deals.OpportunityFromLead(e.app, access.ByUser(e.user("installer001@demo.test")), lead.Id, deals.OpportunityInput{})
	require.NoError(t, err)
	return w
}

// restOpps lists the opportunities the REST API gives a user.
func restOpps(t *testing.T, e *env, email string) []map[string]any {
	t.Helper()
	r := e.apiGet("/api/collections/opportunities/records?perPage=200", email)
	require.Equal(t, http.StatusOK, r.Status, email)
	var out struct {
		Items []map[string]any `json:"items"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.Body), &out))
	return out.Items
}

// idsWhere returns the sorted ids of the items keep accepts.
func idsWhere(items []map[string]any, keep func(map[string]any) bool) []string {
	out := []string{}
	for _, it := range items {
		if keep(it) {
			out = append(out, it["id"].(string))
		}
	}
	sort.Strings(out)
	return out
}

// attrIDs returns the sorted distinct values of an attribute in a part of
// a page.
func attrIDs(body, attr string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, m := range regexp.MustCompile(attr+`="([a-z0-9]+)"`).FindAllStringSubmatch(body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

// section cuts a page from the element with id to the end of the page.
func section(body, id string) string {
	if i := strings.Index(body, `id="`+id+`"`); i >= 0 {
		return body[i:]
	}
	return ""
}

func TestDealPagesListWhatTheRESTAPIListsPerRole(t *testing.T) {
	e := newEnv(t)
	newDealWorld(t, e)
	regStatus := func(it map[string]any) string { s, _ := it["registration_status"].(string); return s }
	for _, email := range []string{"installer001.sales@demo.test", "installer001@demo.test", "installer002@demo.test", "installer002.sales@demo.test",
		"manager.ouest@demo.test", "manager@demo.test", "admin@demo.test", "sales@demo.test"} {
		items := restOpps(t, e, email)
		b := e.signedIn(email)
		pipe := b.get("/opportunities")
		require.Equal(t, http.StatusOK, pipe.Status, email)
		want := idsWhere(items, func(it map[string]any) bool { s := regStatus(it); return s != "pending" && s != "rejected" })
		assert.Equal(t, want, attrIDs(section(pipe.Body, "pipeline"), "data-opp-id"), "%s: the pipeline is what the REST API lists", email)

		regs := b.get("/registrations")
		switch email {
		case "sales@demo.test":
			assert.Equal(t, http.StatusNotFound, regs.Status, "sales neither registers nor decides")
		case "manager.ouest@demo.test", "manager@demo.test", "admin@demo.test":
			require.Equal(t, http.StatusOK, regs.Status, email)
			assert.Equal(t, idsWhere(items, func(it map[string]any) bool { return regStatus(it) == "pending" }), attrIDs(regs.Body, "data-reg-id"),
				"%s: the queue is the pending registrations the REST API lists", email)
			wins := idsWhere(items, func(it map[string]any) bool { v, _ := it["won_pending"].(bool); return v })
			assert.Equal(t, wins, attrIDs(section(pipe.Body, "pending-wins")[:strings.Index(section(pipe.Body, "pending-wins"), `id="network-pipeline"`)], "data-opp-id"), email)
		default:
			require.Equal(t, http.StatusOK, regs.Status, email)
			assert.Equal(t, idsWhere(items, func(it map[string]any) bool { return regStatus(it) != "" }), attrIDs(regs.Body, "data-reg-id"),
				"%s: its registrations are what the REST API lists", email)
		}
	}
	for _, email := range []string{"teleop@demo.test", "api@demo.test"} {
		b := e.signedIn(email)
		assert.Equal(t, http.StatusNotFound, b.get("/opportunities").Status, email)
		assert.Equal(t, http.StatusNotFound, b.get("/registrations").Status, email)
	}
}

func TestPartnersNeverSeeAnotherPartnersDeals(t *testing.T) {
	e := newEnv(t)
	w := newDealWorld(t, e)
	// the registrant of the conflicting deal: its own registration, under
	// review, and nothing of the partner it collides with
	for _, email := range []string{"installer001.sales@demo.test", "installer001@demo.test"} {
		b := e.signedIn(email)
		for _, path := range []string{"/registrations", "/opportunities", "/opportunities/" + w.conflicting.Id} {
			r := b.get(path)
			require.Equal(t, http.StatusOK, r.Status, email+path)
			lacks(t, r.Body, esc(w.p2Name), email+path)
			lacks(t, r.Body, esc(w.approvedCo), email+path)
			lacks(t, r.Body, w.conflictLead.Id, email+path)
			lacks(t, r.Body, "data-conflict-kind", email+path)
			lacks(t, r.Body, "Conflit", email+path)
		}
		regs := b.get("/registrations")
		row := section(regs.Body, "registrations-table")
		has(t, row, `data-reg-id="`+w.conflicting.Id+`"`, email)
		has(t, row, "En cours d&#39;examen", email)
		assert.Equal(t, http.StatusNotFound, b.get("/opportunities/"+w.approved.Id).Status, "%s: another partner's opportunity is a 404", email)
	}
	mgr := e.signedIn("installer001@demo.test").get("/registrations")
	has(t, mgr.Body, "Refusé")
	has(t, mgr.Body, "Client déjà suivi en direct", "the rejection reason")
	// the other partner sees its approval, never installer001's deals
	b := e.signedIn("installer002@demo.test")
	r := b.get("/registrations")
	has(t, r.Body, "Approuvé jusqu&#39;au")
	for _, path := range []string{"/registrations", "/opportunities"} {
		r := b.get(path)
		lacks(t, r.Body, esc(w.p1Name), path)
		lacks(t, r.Body, esc(w.rejectedCo), path)
		lacks(t, r.Body, w.conflicting.Id, path)
	}
	assert.Equal(t, http.StatusNotFound, b.get("/opportunities/"+w.conflicting.Id).Status)
	assert.Equal(t, http.StatusNotFound, b.post("/opportunities/"+w.fromLead.Id+"/stage", url.Values{"stage": {"qualified"}}).Status)
}

func TestTheQueueShowsTheConflictSideBySideAndDecides(t *testing.T) {
	e := newEnv(t)
	w := newDealWorld(t, e)
	b := e.signedIn("manager.ouest@demo.test")
	r := b.get("/registrations")
	require.Equal(t, http.StatusOK, r.Status)
	item := section(r.Body, "reg-"+w.conflicting.Id)
	has(t, item, esc(w.p1Name), "the registrant")
	has(t, item, `data-conflict-kind="lead"`)
	has(t, item, esc(w.p2Name), "the partner it collides with")
	has(t, item, `href="/leads/`+w.conflictLead.Id+`"`, "the lead itself")
	has(t, item, "société &#43; code postal", "the key that matched")

	// a reason is required; the refusal stays beside its registration
	bad := b.post("/registrations/"+w.conflicting.Id+"/reject", url.Values{"reason": {"no"}})
	assert.Equal(t, http.StatusBadRequest, bad.Status)
	has(t, section(bad.Body, "reg-"+w.conflicting.Id), "Un motif d&#39;au moins 3 caractères")
	ok := b.post("/registrations/"+w.conflicting.Id+"/reject", url.Values{"reason": {"Lead déjà chez un autre installateur"}}, hx)
	require.Equal(t, http.StatusOK, ok.Status)
	has(t, ok.Body, "Enregistrement refusé")
	lacks(t, ok.Body, `data-reg-id="`+w.conflicting.Id+`"`)
	rec, err := e.app.FindRecordById("opportunities", w.conflicting.Id)
	require.NoError(t, err)
	assert.Equal(t, "rejected", rec.GetString("registration_status"))
	n, err := e.app.CountRecords("audit_log", dbx.HashExp{"action": "registration.reject", "record": w.conflicting.Id})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "audited by the domain")
	seen := e.signedIn("installer001.sales@demo.test").get("/registrations")
	has(t, seen.Body, "Lead déjà chez un autre installateur")
	lacks(t, seen.Body, esc(w.p2Name))

	// a conflict with a lead of the central pool names the pool
	pool := e.leadWhere(dbx.NewExp("partner = '' AND company != '' AND status IN ('new', 'qualifying', 'ready') AND department IN ('22', '29', '35', '56', '44', '49', '53', '72', '85', '14', '27', '50', '61', '76')"), "created")
	onPool, err := deals.RegisterDeal(e.app, access.ByUser(e.user("installer001.sales@demo.test")),
		deals.RegistrationInput{Company: pool.GetString("company"), PostalCode: pool.GetString("postal_code")})
	require.NoError(t, err)
	poolItem := section(b.get("/registrations").Body, "reg-"+onPool.Id)
	has(t, poolItem, "Vivier central")
	has(t, poolItem, `href="/leads/`+pool.Id+`"`)

	// partners do not decide
	p := e.signedIn("installer001@demo.test")
	p.get("/registrations")
	assert.Equal(t, http.StatusNotFound, p.post("/registrations/"+w.rejected.Id+"/approve", nil).Status)
}

func TestTheRegistrationFormShowsEveryFieldError(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	b.get("/registrations")
	before, err := e.app.CountRecords("opportunities", dbx.NewExp("registration_status != ''")) // the demo's
	require.NoError(t, err)
	r := b.post("/registrations", url.Values{"company": {" "}, "siret": {"123"}, "postal_code": {"ABC"}, "email": {"pas-un-mail"},
		"amount": {"-4"}, "close_date": {"demain"}, "need": {"Toiture"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	for _, f := range []string{"company", "siret", "postal_code", "email", "amount", "close_date"} {
		has(t, r.Body, `data-field="`+f+`"`, f)
	}
	has(t, r.Body, "Indiquez la société du client.")
	has(t, r.Body, "SIRET (14 chiffres)")
	has(t, r.Body, `value="pas-un-mail"`, "the form keeps what was typed")
	n, err := e.app.CountRecords("opportunities", dbx.NewExp("registration_status != ''"))
	require.NoError(t, err)
	assert.Equal(t, before, n, "nothing is registered")

	u := e.user("installer001.sales@demo.test")
	u.Set("locale", "en")
	require.NoError(t, e.app.Save(u))
	en := b.post("/registrations", url.Values{"company": {""}, "postal_code": {"35000"}})
	assert.Equal(t, http.StatusUnprocessableEntity, en.Status)
	has(t, en.Body, "Enter the customer&#39;s company.", "in English for an English user")
	u.Set("locale", "fr")
	require.NoError(t, e.app.Save(u))
	sent := b.post("/registrations", url.Values{"company": {"Ferme du Bocage"}, "siret": {"732 829 320 00074"}, "postal_code": {"35000"},
		"amount": {"42 000 €"}, "close_date": {"2027-03-31"}, "need": {"Centrale en toiture 36 kWc"}})
	require.Equal(t, http.StatusSeeOther, sent.Status, "a plain post is redirected")
	require.Equal(t, "/registrations", sent.Header.Get("Location"))
	ok := b.get("/registrations")
	require.Equal(t, http.StatusOK, ok.Status)
	has(t, ok.Body, "Enregistrement envoyé")
	has(t, section(ok.Body, "registrations-table"), "Ferme du Bocage")
	has(t, section(ok.Body, "registrations-table"), "En cours d&#39;examen")
	var recs []*core.Record
	require.NoError(t, e.app.RecordQuery("opportunities").AndWhere(dbx.HashExp{"company": "Ferme du Bocage"}).All(&recs))
	require.Len(t, recs, 1)
	assert.Equal(t, 42000.0, recs[0].GetFloat("amount"))
	assert.Equal(t, "Centrale en toiture 36 kWc", recs[0].GetString("name"))
	assert.Equal(t, "pending", recs[0].GetString("registration_status"))
}

func TestOpenWinAndValidateFromThePages(t *testing.T) {
	e := newEnv(t)
	p1 := e.user("installer001@demo.test").GetString("partner")
	lead := e.leadWhere(dbx.NewExp("partner = {:p} AND status IN ('accepted', 'contacted', 'meeting')", dbx.Params{"p": p1}), "created DESC")
	b := e.signedIn("installer001@demo.test")
	page := b.get("/leads/" + lead.Id)
	has(t, page.Body, `id="open-opportunity"`)
	r := b.post("/leads/"+lead.Id+"/opportunity", nil)
	require.Equal(t, http.StatusSeeOther, r.Status)
	loc := r.Header.Get("Location")
	require.True(t, strings.HasPrefix(loc, "/opportunities/"), loc)
	id := strings.TrimPrefix(loc, "/opportunities/")
	has(t, b.get("/leads/"+lead.Id).Body, `href="/opportunities/`+id+`"`, "the lead page links its opportunity")
	// a salesperson does not open opportunities (matrix: no create)
	lacks(t, e.signedIn("installer001.sales@demo.test").get("/leads/"+lead.Id).Body, `id="open-opportunity"`)

	b.get(loc)
	noAmount := b.post(loc+"/stage", url.Values{"stage": {"won"}, "amount": {"0"}})
	assert.Equal(t, http.StatusUnprocessableEntity, noAmount.Status)
	has(t, noAmount.Body, `data-field="amount"`)
	won := b.post(loc+"/stage", url.Values{"stage": {"won"}, "amount": {"85 000"}}, hx)
	require.Equal(t, http.StatusOK, won.Status)
	has(t, won.Body, `id="win-pending"`, "a win above the validation amount waits")
	rec, err := e.app.FindRecordById("opportunities", id)
	require.NoError(t, err)
	assert.True(t, rec.GetBool("won_pending"))
	assert.NotEqual(t, "won", rec.GetString("stage"))

	m := e.signedIn("manager.ouest@demo.test")
	pipe := m.get("/opportunities")
	has(t, section(pipe.Body, "pending-wins"), `data-opp-id="`+id+`"`)
	has(t, section(pipe.Body, "network-pipeline"), "Montant en cours")
	m.get(loc)
	refuse := m.post(loc+"/validate", url.Values{"approve": {"0"}, "note": {""}})
	assert.Equal(t, http.StatusBadRequest, refuse.Status)
	has(t, refuse.Body, "Une note d&#39;au moins 3 caractères")
	done := m.post(loc+"/validate", url.Values{"approve": {"1"}})
	require.Equal(t, http.StatusSeeOther, done.Status)
	require.Equal(t, loc, done.Header.Get("Location"))
	has(t, m.get(loc).Body, "Gain validé.")
	rec, err = e.app.FindRecordById("opportunities", id)
	require.NoError(t, err)
	assert.Equal(t, "won", rec.GetString("stage"))
	assert.False(t, rec.GetBool("won_pending"))
	// partners do not validate
	assert.Equal(t, http.StatusNotFound, b.post(loc+"/validate", url.Values{"approve": {"1"}}).Status)
}

func TestTheRegistrationViewShowsThePartnersSide(t *testing.T) {
	v, err := parseViews()
	require.NoError(t, err)
	tr, err := newTranslator()
	require.NoError(t, err)
	var buf strings.Builder
	p := &page{locale: tr.locale("fr"), Kind: "partner", CSRF: "tok"}
	require.NoError(t, v.sets["registrations"].ExecuteTemplate(&buf, "content", sampleRegistrationForm(p)))
	for _, f := range []string{"company", "siret", "postal_code", "email", "amount", "close_date", "need"} {
		has(t, buf.String(), `data-field="`+f+`"`, f)
	}
	has(t, buf.String(), "déjà suivi")
	has(t, buf.String(), "En cours d&#39;examen")
}

// TestDealLabelsExist: every value the deal pages translate at run time
// (stages, registration statuses, conflict and key kinds) has its message
// in both languages.
func TestDealLabelsExist(t *testing.T) {
	tr, err := newTranslator()
	require.NoError(t, err)
	ids := []string{}
	for _, s := range deals.Stages() {
		ids = append(ids, "stage."+s)
	}
	for _, s := range []string{"pending", "approved", "rejected"} {
		ids = append(ids, "deals.reg."+s)
	}
	for _, k := range []string{"lead", "account", "registration"} {
		ids = append(ids, "deals.conflict."+k)
	}
	for _, k := range []string{dedup.KindSIREN, dedup.KindEmail, dedup.KindPhone, dedup.KindCompany, dedup.KindDomain} {
		ids = append(ids, "deals.key."+k)
	}
	for _, id := range ids {
		for _, lang := range []string{"en", "fr"} {
			assert.True(t, tr.ids[lang][id], "%s: %s", lang, id)
		}
	}
}

// TestDealActionsRefusedToOtherRoles: every deal action of the UI, by a
// role that may not make it (or on another partner's record), is a 404
// that changes nothing.
func TestDealActionsRefusedToOtherRoles(t *testing.T) {
	e := newEnv(t)
	w := newDealWorld(t, e)
	p1 := e.user("installer001@demo.test").GetString("partner")
	lead := e.leadWhere(dbx.NewExp("partner = {:p} AND status IN ('accepted', 'contacted', 'meeting') AND id NOT IN (SELECT lead FROM opportunities WHERE lead != '')", dbx.Params{"p": p1}), "created")
	reg := url.Values{"company": {"Scierie du Blavet"}, "postal_code": {"56000"}}
	cases := []struct {
		email, path string
		form        url.Values
	}{
		{"sales@demo.test", "/registrations", reg},
		{"manager.ouest@demo.test", "/registrations", reg},
		{"teleop@demo.test", "/registrations", reg},
		{"installer001.sales@demo.test", "/registrations/" + w.conflicting.Id + "/approve", nil},
		{"installer002@demo.test", "/registrations/" + w.conflicting.Id + "/reject", url.Values{"reason": {"pas pour vous"}}},
		{"sales@demo.test", "/registrations/" + w.conflicting.Id + "/approve", nil},
		{"installer002@demo.test", "/opportunities/" + w.fromLead.Id + "/stage", url.Values{"stage": {"lost"}, "lost_reason": {"vu ailleurs"}}},
		{"teleop@demo.test", "/opportunities/" + w.fromLead.Id + "/stage", url.Values{"stage": {"lost"}, "lost_reason": {"vu ailleurs"}}},
		{"installer001@demo.test", "/opportunities/" + w.fromLead.Id + "/validate", url.Values{"approve": {"1"}}},
		{"sales@demo.test", "/opportunities/" + w.fromLead.Id + "/validate", url.Values{"approve": {"1"}}},
		{"installer001.sales@demo.test", "/leads/" + lead.Id + "/opportunity", nil},
		{"teleop@demo.test", "/leads/" + lead.Id + "/opportunity", nil},
		{"installer002@demo.test", "/leads/" + lead.Id + "/opportunity", nil},
	}
	before, err := e.app.CountRecords("opportunities")
	require.NoError(t, err)
	for _, c := range cases {
		b := e.signedIn(c.email)
		form := url.Values{}
		for k, v := range c.form {
			form[k] = v // post adds the user's own CSRF token to a copy
		}
		r := b.post(c.path, form)
		assert.Equal(t, http.StatusNotFound, r.Status, "%s %s", c.email, c.path)
	}
	after, err := e.app.CountRecords("opportunities")
	require.NoError(t, err)
	assert.Equal(t, before, after, "nothing was created")
	for _, rec := range []*core.Record{w.conflicting, w.fromLead} {
		fresh, err := e.app.FindRecordById("opportunities", rec.Id)
		require.NoError(t, err)
		assert.Equal(t, rec.GetString("registration_status"), fresh.GetString("registration_status"))
		assert.Equal(t, rec.GetString("stage"), fresh.GetString("stage"))
	}
}
