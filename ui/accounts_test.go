package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

// accountFixture is a few accounts of every holder: two partner
// companies, internal sales, the admin; in the west (managed by
// manager.ouest) and elsewhere.
type accountFixture struct {
	p1, p2, sales, admin *core.Record // entrusted to installer001's and installer002's companies; owned by sales, by the admin
	contact              *core.Record // a contact of p1
}

const (
	sirenP1    = "732829320"
	sirenSales = "404833048"
)

func (e *env) accounts(t *testing.T) accountFixture {
	t.Helper()
	mk := func(name, siren, pc string, fields map[string]any) *core.Record {
		c, err := e.app.FindCollectionByNameOrId("accounts")
		require.NoError(t, err)
		r := core.NewRecord(c)
		r.Set("name", name)
		r.Set("siren", siren)
		r.Set("postal_code", pc)
		r.Set("city", "Ville "+name)
		for k, v := range fields {
			r.Set(k, v)
		}
		require.NoError(t, e.app.Save(r))
		return r
	}
	f := accountFixture{
		p1:    mk("Ferme Kerlann", sirenP1, "35000", map[string]any{"partner": e.user("installer001@demo.test").GetString("partner")}),
		p2:    mk("Domaine Vergne Rhône", "552100554", "69003", map[string]any{"partner": e.user("installer002@demo.test").GetString("partner")}),
		sales: mk("Boulangerie Atlantique", sirenSales, "44000", map[string]any{"owner": e.user("sales@demo.test").Id}),
		admin: mk("Atelier Confluence", "", "69002", map[string]any{"owner": e.user("admin@demo.test").Id}),
	}
	cc, err := e.app.FindCollectionByNameOrId("contacts")
	require.NoError(t, err)
	f.contact = core.NewRecord(cc)
	f.contact.Set("account", f.p1.Id)
	f.contact.Set("last_name", "Le Bihan-Contactfixture")
	f.contact.Set("email", "contact.fixture@kerlann.example")
	require.NoError(t, e.app.Save(f.contact))
	return f
}

var accountRowRe = regexp.MustCompile(`data-account-id="([a-z0-9]+)"`)

// apiIDs is what GET /api/collections/{coll}/records lists for a user:
// the ids of its first 500.
func apiIDs(t *testing.T, e *env, email, coll string) []string {
	t.Helper()
	r := e.apiCall(http.MethodGet, "/api/collections/"+coll+"/records?perPage=500", testapp.Token(t, e.app, e.user(email)), nil)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	var out struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.Body), &out))
	ids := []string{}
	for _, it := range out.Items {
		ids = append(ids, it.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestAccountsListIsWhatTheAPIListsPerRole: every role with the page lists
// exactly the accounts the REST API lists for it; partners never see
// another company's account nor open it; roles without accounts get 404.
func TestAccountsListIsWhatTheAPIListsPerRole(t *testing.T) {
	e := newEnv(t)
	f := e.accounts(t)
	foreign := map[string][]*core.Record{ // accounts each user must not see (list, page)
		"installer001.sales@demo.test": {f.p2, f.sales, f.admin},
		"installer001@demo.test":       {f.p2, f.sales, f.admin},
		"installer002@demo.test":       {f.p1, f.sales, f.admin},
		"manager.ouest@demo.test":      {f.p2, f.admin},
		"sales@demo.test":              {f.p1, f.p2, f.admin},
		"manager@demo.test":            nil,
		"admin@demo.test":              nil,
	}
	for email, hidden := range foreign {
		b := e.signedIn(email)
		r := b.get("/accounts")
		require.Equal(t, http.StatusOK, r.Status, email)
		got := []string{}
		for _, m := range accountRowRe.FindAllStringSubmatch(r.Body, -1) {
			got = append(got, m[1])
		}
		slices.Sort(got)
		want := apiIDs(t, e, email, "accounts")
		assert.Equal(t, want, got, "%s: the page lists what the REST API lists", email)
		assert.NotEmpty(t, got, email)
		for _, a := range hidden {
			lacks(t, r.Body, esc(a.GetString("name")), email)
			assert.Equal(t, http.StatusNotFound, b.get("/accounts/"+a.Id).Status, "%s opens %s", email, a.GetString("name"))
		}
	}
	for _, email := range []string{"teleop@demo.test", "api@demo.test"} {
		assert.Equal(t, http.StatusNotFound, e.signedIn(email).get("/accounts").Status, email)
	}
	// the search narrows the list to the matching accounts
	r := e.signedIn("admin@demo.test").get("/accounts?q=" + url.QueryEscape("kerlann 35000"))
	has(t, r.Body, `data-account-id="`+f.p1.Id+`"`)
	lacks(t, r.Body, `data-account-id="`+f.p2.Id+`"`)
}

// TestAccountPageShowsItsContactsToItsHolder: the account page shows its
// contacts to the users whose rules reach them, and no other company's.
func TestAccountPageShowsItsContactsToItsHolder(t *testing.T) {
	e := newEnv(t)
	f := e.accounts(t)
	for _, email := range []string{"installer001@demo.test", "installer001.sales@demo.test", "manager.ouest@demo.test", "admin@demo.test"} {
		r := e.signedIn(email).get("/accounts/" + f.p1.Id)
		require.Equal(t, http.StatusOK, r.Status, email)
		has(t, r.Body, "Le Bihan-Contactfixture", email)
	}
	// a lead of the same customer by its SIRET: shown to internal roles;
	// never to the partner, whose rules hide the lead's SIRET
	lead := e.leadWhere(dbx.HashExp{"partner": f.p1.GetString("partner"), "status": "accepted"}, "created")
	lead.Set("siret", sirenP1+"00012")
	require.NoError(t, e.app.Save(lead))
	has(t, e.signedIn("admin@demo.test").get("/accounts/"+f.p1.Id).Body, `data-lead-id="`+lead.Id+`"`)
	pm := e.signedIn("installer001@demo.test")
	require.Equal(t, http.StatusOK, pm.get("/leads/"+lead.Id).Status, "the partner sees the lead itself")
	lacks(t, pm.get("/accounts/"+f.p1.Id).Body, `data-lead-id="`+lead.Id+`"`)

	r := e.signedIn("installer002@demo.test").get("/accounts/" + f.p2.Id)
	require.Equal(t, http.StatusOK, r.Status)
	lacks(t, r.Body, "Le Bihan-Contactfixture")
	lacks(t, r.Body, "Ferme Kerlann")
}

// TestAccountCreateShowsWhichRecordMatched: internal sales creating a
// customer entrusted to a partner is refused, and the page says on which
// key and held by whom, without the name of an account sales may not
// open; a partner creating the same customer is told nothing of the other
// company; a duplicate of an account the user sees asks for a
// confirmation and links to it.
func TestAccountCreateShowsWhichRecordMatched(t *testing.T) {
	e := newEnv(t)
	f := e.accounts(t)
	p1Partner, err := e.app.FindRecordById("partners", f.p1.GetString("partner"))
	require.NoError(t, err)
	count := func(name string) int {
		n, err := e.app.CountRecords("accounts", dbx.HashExp{"name": name})
		require.NoError(t, err)
		return int(n)
	}

	sales := e.signedIn("sales@demo.test")
	sales.get("/accounts/new")
	r := sales.post("/accounts", url.Values{"name": {"Kerlann SARL"}, "siren": {sirenP1}, "postal_code": {"35000"}})
	require.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, "Ce client est déjà confié à un partenaire")
	has(t, r.Body, `data-key-kind="siren"`)
	has(t, r.Body, sirenP1)
	has(t, r.Body, esc(p1Partner.GetString("name")), "the partner holding it")
	lacks(t, r.Body, "Ferme Kerlann", "the name of an account sales may not open")
	assert.Zero(t, count("Kerlann SARL"))

	// a partner user: not refused, and nothing about the other company
	other := e.signedIn("installer002@demo.test")
	other.get("/accounts/new")
	// told nothing when its form comes back with an error
	r = other.post("/accounts", url.Values{"name": {"Kerlann Ter"}, "siren": {sirenP1}, "postal_code": {"00000"}})
	require.Equal(t, htmlStatusInvalid, r.Status, r.Body)
	has(t, r.Body, `data-field="postal_code"`)
	for _, leak := range []string{"Ferme Kerlann", esc(p1Partner.GetString("name")), "data-match-kind", "confié à un partenaire"} {
		lacks(t, r.Body, leak)
	}
	r = other.post("/accounts", url.Values{"name": {"Kerlann Bis"}, "siren": {sirenP1}, "postal_code": {"35000"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	page := other.get(r.Header.Get("Location"))
	require.Equal(t, http.StatusOK, page.Status)
	for _, leak := range []string{"Ferme Kerlann", esc(p1Partner.GetString("name")), "data-match-kind", "confié à un partenaire"} {
		lacks(t, r.Body+page.Body, leak)
	}
	assert.Equal(t, 1, count("Kerlann Bis"))

	// a duplicate of sales' own account: confirm, then created
	r = sales.post("/accounts", url.Values{"name": {"Boulangerie Atlantique Nantes"}, "siren": {sirenSales}, "postal_code": {"44000"}})
	require.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, `href="/accounts/`+f.sales.Id+`"`)
	has(t, r.Body, `name="confirm" value="1"`)
	assert.Zero(t, count("Boulangerie Atlantique Nantes"))
	r = sales.post("/accounts", url.Values{"name": {"Boulangerie Atlantique Nantes"}, "siren": {sirenSales}, "postal_code": {"44000"}, "confirm": {"1"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	assert.Equal(t, 1, count("Boulangerie Atlantique Nantes"))
	created, err := e.app.FindFirstRecordByData("accounts", "name", "Boulangerie Atlantique Nantes")
	require.NoError(t, err)
	assert.Equal(t, e.user("sales@demo.test").Id, created.GetString("owner"), "sales owns the account it creates")

	// field checks
	r = sales.post("/accounts", url.Values{"name": {""}, "siren": {"123"}})
	require.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, `data-field="name"`)
	has(t, r.Body, `data-field="siren"`)
	// a role without the create flag of the matrix
	assert.Equal(t, http.StatusNotFound, e.signedIn("teleop@demo.test").post("/accounts", url.Values{"name": {"X"}}).Status)
}

// TestSalesOpensAnOpportunityFromTheAccount: internal sales opens an
// opportunity on its account (the rule-checked create of opportunities),
// sees it on the account and on its home page; a partner has no such
// form.
func TestSalesOpensAnOpportunityFromTheAccount(t *testing.T) {
	e := newEnv(t)
	f := e.accounts(t)
	b := e.signedIn("sales@demo.test")
	r := b.get("/")
	require.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/accounts", r.Header.Get("Location"), "sales land on their accounts")
	page := b.get("/accounts/" + f.sales.Id)
	has(t, page.Body, `id="opp-form"`)
	r = b.post("/accounts/"+f.sales.Id+"/opportunities", url.Values{"name": {"Toiture fournil"}, "stage": {"proposal"}, "amount": {"12 500"}, "close_date": {"2027-03-31"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	opp, err := e.app.FindFirstRecordByData("opportunities", "name", "Toiture fournil")
	require.NoError(t, err)
	assert.Equal(t, f.sales.Id, opp.GetString("account"))
	assert.Equal(t, "proposal", opp.GetString("stage"))
	assert.InDelta(t, 12500, opp.GetFloat("amount"), 0.001)
	assert.Equal(t, f.sales.GetString("territory"), opp.GetString("territory"), "the territory comes from the account")
	has(t, b.get("/accounts/"+f.sales.Id).Body, `data-opp-id="`+opp.Id+`"`)
	home := b.get("/accounts")
	has(t, home.Body, `id="my-opportunities"`)
	has(t, home.Body, `data-opp-id="`+opp.Id+`"`)

	// a stage the machine refuses at creation, an amount that is not one
	r = b.post("/accounts/"+f.sales.Id+"/opportunities", url.Values{"stage": {"won"}, "amount": {"beaucoup"}})
	require.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, `data-field="stage"`)
	has(t, r.Body, `data-field="amount"`)

	// partners: no form, and the route refuses
	p := e.signedIn("installer001@demo.test")
	lacks(t, p.get("/accounts/"+f.p1.Id).Body, `id="opp-form"`)
	assert.Equal(t, http.StatusNotFound, p.post("/accounts/"+f.p1.Id+"/opportunities", url.Values{"stage": {"proposal"}}).Status)
	// nor may sales open one on an account it does not see
	assert.Equal(t, http.StatusNotFound, b.post("/accounts/"+f.p1.Id+"/opportunities", url.Values{"stage": {"proposal"}}).Status)
}

// TestAccountEditAndContactWithinTheRules: the holder edits its account
// and adds a contact; a partner salesperson (no update in the matrix) has
// no edit form and its post is refused.
func TestAccountEditAndContactWithinTheRules(t *testing.T) {
	e := newEnv(t)
	f := e.accounts(t)
	b := e.signedIn("sales@demo.test")
	b.get("/accounts/" + f.sales.Id)
	r := b.post("/accounts/"+f.sales.Id, url.Values{"name": {"Boulangerie Atlantique SAS"}, "siren": {sirenSales}, "postal_code": {"44000"}, "city": {"Nantes"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	got, err := e.app.FindRecordById("accounts", f.sales.Id)
	require.NoError(t, err)
	assert.Equal(t, "Boulangerie Atlantique SAS", got.GetString("name"))
	// moving it onto a customer entrusted to a partner is refused, with the key
	r = b.post("/accounts/"+f.sales.Id, url.Values{"name": {"Boulangerie Atlantique SAS"}, "siren": {sirenP1}, "postal_code": {"44000"}})
	require.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, `data-key-kind="siren"`)
	lacks(t, r.Body, "Ferme Kerlann")

	r = b.post("/accounts/"+f.sales.Id+"/contacts", url.Values{"first_name": {"Anne"}, "last_name": {"Guillou"}, "email": {"anne@boulangerie.example"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	has(t, b.get("/accounts/"+f.sales.Id).Body, "Anne Guillou")

	pu := e.signedIn("installer001.sales@demo.test")
	lacks(t, pu.get("/accounts/"+f.p1.Id).Body, `id="account-edit"`)
	assert.Equal(t, http.StatusNotFound, pu.post("/accounts/"+f.p1.Id, url.Values{"name": {"Renamed"}}).Status)
	got, err = e.app.FindRecordById("accounts", f.p1.Id)
	require.NoError(t, err)
	assert.Equal(t, "Ferme Kerlann", got.GetString("name"))
}
