package hooks_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/distribution"
)

// regWorld is the world plus a channel manager of T2 (cm2) and an
// assignment rule for T2, so that a ready lead there is offered to P2.
func regWorld(t *testing.T) *world {
	w := newWorld(t)
	cm2 := w.addUser("cm2", "channel_manager", "")
	cm2.Set("territories", []string{w.T2})
	require.NoError(t, w.app.Save(cm2))
	w.tokens["cm2"] = tokenOf(t, w, cm2)
	w.mk("assignment_rules", map[string]any{"name": "Sud", "priority": 1, "active": true, "territory": w.T2, "strategy": "round_robin",
		"accept_hours": 48, "max_offers": 2})
	return w
}

// regIngest ingests a lead in the pool (score below the threshold).
func regIngest(t *testing.T, w *world, fields map[string]any) *core.Record {
	t.Helper()
	b := map[string]any{"source": "api", "source_ref": "REG-" + w.next(), "score": 40, "segment": "business"}
	for k, v := range fields {
		b[k] = v
	}
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	return leadRec(t, w, dealJSON(t, res)["id"].(string))
}

// regGive hands a lead to a partner (as if offered and accepted).
func regGive(t *testing.T, w *world, lead *core.Record, partner, status string) {
	t.Helper()
	lead.Set("partner", partner)
	lead.Set("status", status)
	require.NoError(t, w.app.Save(lead))
}

// regSubmit registers a deal as user and returns the receipt.
func regSubmit(t *testing.T, w *world, user string, body map[string]any) map[string]any {
	t.Helper()
	res := dealDo(w, http.MethodPost, "/api/prm/registrations", user, body)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	return dealJSON(t, res)
}

func regID(receipt map[string]any) string {
	return receipt["opportunity"].(map[string]any)["id"].(string)
}

// keysOf returns the sorted keys of a JSON object.
func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// A registration is checked against open leads, accounts entrusted to
// other partners and other partners' registrations with the lead duplicate
// keys; the conflict goes to the channel manager, and the registrant gets
// the same answer whatever was found.
func TestRegistrationConflictDetection(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, w *world)
		body  map[string]any
		kind  string   // expected conflict kind ("" = none)
		keys  []string // key kinds matched
		cm    string   // channel manager of the registration's territory
	}{
		{"same SIRET as an open lead of another partner", func(t *testing.T, w *world) {
			l := regIngest(t, w, map[string]any{"company": "Serres Martin", "siret": "44306184100013", "postal_code": "35000"})
			regGive(t, w, l, w.P2, "accepted")
		}, map[string]any{"company": "Horticulture Le Goff", "siret": "44306184100013", "postal_code": "29200", "amount": 30000}, "lead", []string{"siren"}, "channel_manager"},
		{"same SIREN, other establishment", func(t *testing.T, w *world) {
			l := regIngest(t, w, map[string]any{"company": "Serres Martin", "siret": "44306184100013", "postal_code": "35000"})
			regGive(t, w, l, w.P2, "contacted")
		}, map[string]any{"company": "Serres Martin Finistère", "siren": "443 061 841 00021", "postal_code": "29200"}, "lead", []string{"siren"}, "channel_manager"},
		{"same e-mail domain and postal code as a pool lead", func(t *testing.T, w *world) {
			regIngest(t, w, map[string]any{"company": "Les Serres du Littoral", "postal_code": "35400", "contact": map[string]any{"email": "j.dupuis@serres-littoral.fr"}})
		}, map[string]any{"company": "SLT Horticulture", "postal_code": "35400", "email": "Achats@Serres-Littoral.fr"}, "lead", []string{"domain"}, "channel_manager"},
		{"different spelling of the company", func(t *testing.T, w *world) {
			l := regIngest(t, w, map[string]any{"company": "SARL Dupont & Fils", "postal_code": "35000"})
			regGive(t, w, l, w.P2, "meeting")
		}, map[string]any{"company": "Dupont et Fils", "postal_code": "35 000"}, "lead", []string{"company"}, "channel_manager"},
		{"account entrusted to another partner", func(t *testing.T, w *world) {
			w.mk("accounts", map[string]any{"name": "Menuiserie Bernard", "siren": "552081317", "postal_code": "13001", "partner": w.P2})
		}, map[string]any{"company": "Bernard Menuiserie Industrielle", "siret": "55208131700018", "postal_code": "13001"}, "account", []string{"siren"}, "cm2"},
		{"account entrusted to another partner, by company name", func(t *testing.T, w *world) {
			w.mk("accounts", map[string]any{"name": "Établissements Bernard", "postal_code": "13001", "partner": w.P2})
		}, map[string]any{"company": "ETS BERNARD", "postal_code": "13001"}, "account", []string{"company"}, "cm2"},
		{"protected registration of another partner", func(t *testing.T, w *world) {
			id := regID(regSubmit(t, w, "pm2", map[string]any{"company": "Ferme des Quatre Vents", "postal_code": "29200"}))
			require.Equal(t, http.StatusOK, dealDo(w, http.MethodPost, "/api/prm/registrations/"+id+"/approve", "admin", nil).Status)
		}, map[string]any{"company": "Ferme des Quatre-Vents EARL", "postal_code": "29200"}, "registration", []string{"company"}, "channel_manager"},
		{"pending registration of another partner", func(t *testing.T, w *world) {
			regSubmit(t, w, "pu2", map[string]any{"company": "Garage Lemoine", "siren": "383474814", "postal_code": "35000"})
		}, map[string]any{"company": "Lemoine Automobiles", "siret": "38347481400019", "postal_code": "35700"}, "registration", []string{"siren"}, "channel_manager"},

		{"own company's lead is no conflict", func(t *testing.T, w *world) {
			l := regIngest(t, w, map[string]any{"company": "Boulangerie Petit", "postal_code": "35000"})
			regGive(t, w, l, w.P1, "accepted")
		}, map[string]any{"company": "Boulangerie Petit", "postal_code": "35000"}, "", nil, "channel_manager"},
		{"lost lead is no conflict", func(t *testing.T, w *world) {
			l := regIngest(t, w, map[string]any{"company": "Boulangerie Petit", "postal_code": "35000"})
			regGive(t, w, l, w.P2, "lost")
		}, map[string]any{"company": "Boulangerie Petit", "postal_code": "35000"}, "", nil, "channel_manager"},
		{"direct account is no channel conflict", func(t *testing.T, w *world) {
			w.mk("accounts", map[string]any{"name": "Menuiserie Bernard", "siren": "552081317", "postal_code": "13001", "owner": w.uid("sales")})
		}, map[string]any{"company": "Menuiserie Bernard", "siren": "552081317", "postal_code": "13001"}, "", nil, "cm2"},
		{"same company name elsewhere is no conflict", func(t *testing.T, w *world) {
			l := regIngest(t, w, map[string]any{"company": "SARL Dupont & Fils", "postal_code": "35000"})
			regGive(t, w, l, w.P2, "accepted")
		}, map[string]any{"company": "Dupont et Fils", "postal_code": "29200"}, "", nil, "channel_manager"},
		{"rejected registration is no conflict", func(t *testing.T, w *world) {
			id := regID(regSubmit(t, w, "pm2", map[string]any{"company": "Cave Coopérative", "postal_code": "35000"}))
			require.Equal(t, http.StatusOK, dealDo(w, http.MethodPost, "/api/prm/registrations/"+id+"/reject", "admin", map[string]any{"reason": "doublon"}).Status)
		}, map[string]any{"company": "Cave Cooperative", "postal_code": "35000"}, "", nil, "channel_manager"},
	}
	var shapes [][]string
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := regWorld(t)
			tc.setup(t, w)
			first := dealDo(w, http.MethodPost, "/api/prm/registrations", "partner_manager", tc.body)
			require.Equal(t, http.StatusCreated, first.Status, first.Body)
			receipt := dealJSON(t, first)
			id := regID(receipt)
			raw := dealDo(w, http.MethodGet, url("opportunities", id), "partner_manager", nil)

			// the registrant's answer is neutral
			assert.Equal(t, "under_review", receipt["status"])
			opp := receipt["opportunity"].(map[string]any)
			assert.Equal(t, "pending", opp["registration_status"])
			assert.Equal(t, w.P1, opp["partner"])
			assert.Equal(t, w.uid("partner_manager"), opp["registered_by"])
			shapes = append(shapes, append(keysOf(receipt), keysOf(opp)...))
			for _, body := range []string{first.Body, raw.Body, dealDo(w, http.MethodGet, url("opportunities")+"?perPage=200", "partner_manager", nil).Body} {
				for _, secret := range []string{"conflict", w.P2, "Provence Solaire", "registration_keys", "siren:", "domain:", "company:"} {
					assert.NotContains(t, body, secret, "the registrant must not learn %q", secret)
				}
			}
			// nor through a filter on the Hidden conflict fields (no oracle)
			a := dealDo(w, http.MethodGet, url("opportunities")+"?filter="+urlQuery("conflict_kind = 'lead'"), "partner_manager", nil)
			b := dealDo(w, http.MethodGet, url("opportunities")+"?filter="+urlQuery("conflict_kind = 'account'"), "partner_manager", nil)
			assert.Equal(t, a.Status, b.Status)
			assert.Equal(t, canonicalJSON(a.Body), canonicalJSON(b.Body))
			c := dealDo(w, http.MethodGet, url("opportunities")+"?filter="+urlQuery("conflict_partner = '"+w.P2+"'"), "partner_manager", nil)
			assert.NotContains(t, c.Body, id)
			// nor by notification
			assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user WHERE u.partner = {:p} AND (n.title LIKE '%Provence%' OR n.body LIKE '%Provence%' OR n.kind = 'registration')",
				dbx.Params{"p": w.P1}))

			// what was found is recorded, Hidden, for the channel manager
			rec := dealReload(t, w, id)
			assert.Equal(t, tc.kind, rec.GetString("conflict_kind"))
			var details []deals.RegistrationConflict
			if tc.kind != "" {
				require.NoError(t, rec.UnmarshalJSONField("conflict_details", &details))
				require.NotEmpty(t, details)
				assert.ElementsMatch(t, tc.keys, details[0].Keys)
				assert.NotEqual(t, w.P1, rec.GetString("conflict_partner"))
			}
			assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM notifications WHERE user = {:u} AND kind = 'registration' AND body LIKE {:id}",
				dbx.Params{"u": w.uid(tc.cm), "id": "%" + id + "%"}), "the channel manager of the territory is told")
			note := ""
			require.NoError(t, w.app.DB().NewQuery("SELECT title || ' ' || body FROM notifications WHERE user = {:u} AND kind = 'registration' AND body LIKE {:id}").
				Bind(dbx.Params{"u": w.uid(tc.cm), "id": "%" + id + "%"}).Row(&note))
			assert.Equal(t, tc.kind != "", strings.Contains(note, "Conflit"), note)
			cmView := dealDo(w, http.MethodGet, url("opportunities", id), tc.cm, nil)
			require.Equal(t, http.StatusOK, cmView.Status, cmView.Body)
			assert.Equal(t, tc.kind, dealJSON(t, cmView)["conflict_kind"], "internal roles see the conflict")
			if tc.kind != "" && rec.GetString("conflict_partner") == "" {
				assert.Contains(t, note, "(pool central)", "a pool lead belongs to nobody (in the reader's language)")
			}
			if rec.GetString("conflict_partner") == w.P2 {
				assert.Contains(t, note, "Provence Solaire", "the channel manager learns who collides")
				assert.Equal(t, w.P2, dealJSON(t, cmView)["conflict_partner"])
			}
			assert.Equal(t, 1, dealAudits(t, w, "registration.submit", id))
		})
	}
	for i := 1; i < len(shapes); i++ {
		assert.Equal(t, shapes[0], shapes[i], "every receipt has the same shape, conflict or not")
	}
}

// POST /api/prm/registrations and its approve / reject routes: who may
// call them, what they write, audit and notify.
func TestRegistrationRoutesAuthorization(t *testing.T) {
	w := regWorld(t)
	body := func() map[string]any {
		return map[string]any{"company": "Client " + w.next(), "postal_code": "35000", "amount": 18000, "expected_close": "2027-06-30"}
	}
	for user, want := range map[string]int{
		"partner_manager": 201, "partner_user": 201, "pm2": 201, "pu2": 201,
		"admin": 403, "channel_manager": 403, "sales": 403, "teleoperator": 403, "integration": 403, "": 401,
	} {
		res := dealDo(w, http.MethodPost, "/api/prm/registrations", user, body())
		assert.Equal(t, want, res.Status, "%s registers: %s", user, res.Body)
	}
	for field, b := range map[string]map[string]any{
		"company":     {"postal_code": "35000"},
		"postal_code": {"company": "X", "postal_code": "ABC"},
		"siret":       {"company": "X", "postal_code": "35000", "siret": "12345678901234"},
		"email":       {"company": "X", "postal_code": "35000", "email": "not an e-mail"},
		"close_date":  {"company": "X", "postal_code": "35000", "close_date": "soon"},
		"amount":      {"company": "X", "postal_code": "35000", "amount": -1},
	} {
		res := dealDo(w, http.MethodPost, "/api/prm/registrations", "partner_manager", b)
		assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
		assert.Contains(t, res.Body, `"`+field+`"`)
	}
	// the registration is the caller's company's and carries the form
	r := regSubmit(t, w, "partner_user", map[string]any{"company": "Laiterie Prigent", "siret": "81234567600017", "postal_code": "29200",
		"amount": 64000, "close_date": "2027-05-31", "email": "direction@laiterie-prigent.fr"})
	rec := dealReload(t, w, regID(r))
	assert.Equal(t, w.P1, rec.GetString("partner"))
	assert.Equal(t, w.T1, rec.GetString("territory"), "the territory comes from the postal code")
	assert.Equal(t, "812345676", rec.GetString("siren"))
	assert.Equal(t, "81234567600017", rec.GetString("siret"))
	assert.Equal(t, "prospecting", rec.GetString("stage"))
	assert.EqualValues(t, 64000, rec.GetFloat("amount"))
	assert.Equal(t, "2027-05-31", rec.GetDateTime("close_date").Time().Format("2006-01-02"))
	assert.Equal(t, "pending", rec.GetString("registration_status"))
	// the e-mail is kept only as Hidden duplicate keys, never shown
	view := dealDo(w, http.MethodGet, url("opportunities", rec.Id), "partner_user", nil)
	require.Equal(t, http.StatusOK, view.Status)
	assert.NotContains(t, view.Body, "laiterie-prigent.fr")
	assert.NotContains(t, dealDo(w, http.MethodGet, url("opportunities", rec.Id), "admin", nil).Body, "laiterie-prigent.fr")

	// approve: one row per role, each on its own registration in T1
	for user, want := range map[string]int{
		"admin": 200, "channel_manager": 200, "cm2": 404, "sales": 403, "teleoperator": 403,
		"partner_manager": 403, "partner_user": 403, "pm2": 403, "integration": 403, "": 401,
	} {
		id := regID(regSubmit(t, w, "partner_user", body()))
		res := dealDo(w, http.MethodPost, "/api/prm/registrations/"+id+"/approve", user, nil)
		assert.Equal(t, want, res.Status, "%s approves: %s", user, res.Body)
		res = dealDo(w, http.MethodPost, "/api/prm/registrations/"+id+"/reject", user, map[string]any{"reason": "hors périmètre"})
		if want == 200 {
			assert.Equal(t, http.StatusConflict, res.Status, "%s rejects a decided registration: %s", user, res.Body)
		} else {
			assert.Equal(t, want, res.Status, "%s rejects: %s", user, res.Body)
			assert.Equal(t, "pending", dealReload(t, w, id).GetString("registration_status"))
		}
	}

	// approval protects for settings_prm.protection_days and writes the keys
	before := time.Now()
	id := regID(r)
	res := dealDo(w, http.MethodPost, "/api/prm/registrations/"+id+"/approve", "channel_manager", nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	rec = dealReload(t, w, id)
	assert.Equal(t, "approved", rec.GetString("registration_status"))
	until := rec.GetDateTime("protected_until").Time()
	assert.WithinDuration(t, before.Add(90*24*time.Hour), until, time.Minute)
	assert.Equal(t, w.uid("channel_manager"), rec.GetString("registration_decided_by"))
	keys := countRows(t, w, "SELECT COUNT(*) FROM dedup_keys WHERE kind = 'registration' AND record = {:r} AND partner = {:p}", dbx.Params{"r": id, "p": w.P1})
	assert.Equal(t, 4, keys, "siren, company, e-mail and domain keys")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM dedup_keys WHERE kind = 'registration' AND record = {:r} AND key = 'siren:812345676'", dbx.Params{"r": id}))
	assert.Equal(t, 1, dealAudits(t, w, "registration.approve", id))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM notifications WHERE kind = 'registration_approved' AND user = {:u} AND title LIKE '%Laiterie Prigent%'", dbx.Params{"u": w.uid("partner_user")}))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM notifications WHERE kind = 'registration_approved' AND user = {:u} AND title LIKE '%Laiterie Prigent%'", dbx.Params{"u": w.uid("partner_manager")}))
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM notifications WHERE kind LIKE 'registration_%' AND user IN ({:a}, {:b})", dbx.Params{"a": w.uid("pm2"), "b": w.uid("pu2")}))
	// the registrant reads the decision
	approved := dealJSON(t, dealDo(w, http.MethodGet, url("opportunities", id), "partner_user", nil))
	assert.Equal(t, "approved", approved["registration_status"])
	assert.NotEmpty(t, approved["protected_until"])
	assert.Equal(t, http.StatusConflict, dealDo(w, http.MethodPost, "/api/prm/registrations/"+id+"/approve", "admin", nil).Status)

	// rejection needs a reason, which the partner sees
	id = regID(regSubmit(t, w, "partner_user", body()))
	res = dealDo(w, http.MethodPost, "/api/prm/registrations/"+id+"/reject", "channel_manager", map[string]any{"reason": " "})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.Contains(t, res.Body, "reason")
	res = dealDo(w, http.MethodPost, "/api/prm/registrations/"+id+"/reject", "channel_manager", map[string]any{"reason": "Client déjà suivi en direct"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	rec = dealReload(t, w, id)
	assert.Equal(t, "rejected", rec.GetString("registration_status"))
	assert.True(t, rec.GetDateTime("protected_until").IsZero())
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM dedup_keys WHERE record = {:r}", dbx.Params{"r": id}))
	assert.Equal(t, 1, dealAudits(t, w, "registration.reject", id))
	assert.Contains(t, dealDo(w, http.MethodGet, url("opportunities", id), "partner_user", nil).Body, "Client déjà suivi en direct")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM notifications WHERE kind = 'registration_rejected' AND user = {:u} AND body LIKE '%déjà suivi%'", dbx.Params{"u": w.uid("partner_user")}))

	// an ordinary opportunity is no registration
	plain := w.dealOpp(map[string]any{"partner": w.P1, "territory": w.T1})
	assert.Equal(t, http.StatusConflict, dealDo(w, http.MethodPost, "/api/prm/registrations/"+plain.Id+"/approve", "admin", nil).Status)

	// two partners cannot both be protected for one customer
	first := regID(regSubmit(t, w, "pm2", map[string]any{"company": "Minoterie Guillou", "postal_code": "35000"}))
	second := regID(regSubmit(t, w, "partner_manager", map[string]any{"company": "Minoterie GUILLOU SAS", "postal_code": "35000"}))
	require.Equal(t, http.StatusOK, dealDo(w, http.MethodPost, "/api/prm/registrations/"+first+"/approve", "admin", nil).Status)
	res = dealDo(w, http.MethodPost, "/api/prm/registrations/"+second+"/approve", "admin", nil)
	assert.Equal(t, http.StatusConflict, res.Status, res.Body)
	assert.Contains(t, res.Body, "already_protected")
	assert.Equal(t, "pending", dealReload(t, w, second).GetString("registration_status"))
}

// A protected registration keeps a new lead for that customer away from
// other partners: the lead is held for the channel manager, never offered.
func TestProtectedRegistrationHoldsNewLeads(t *testing.T) {
	w := regWorld(t)
	// P1 (a western partner) found a customer in the south (T2, P2's land)
	id := regID(regSubmit(t, w, "partner_manager", map[string]any{"company": "Domaine des Oliviers", "siret": "44306184100013", "postal_code": "13100"}))
	require.Equal(t, w.T2, dealReload(t, w, id).GetString("territory"))
	res := dealDo(w, http.MethodPost, "/api/prm/registrations/"+id+"/approve", "cm2", nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)

	ingest := func(company, siret string) *core.Record {
		b := map[string]any{"company": company, "postal_code": "13100", "city": "Aix-en-Provence", "source": "api", "source_ref": "PROT-" + w.next(),
			"score": 90, "interest": "Ombrières 100 kWc"}
		if siret != "" {
			b["siret"] = siret
		}
		res := dealDo(w, http.MethodPost, "/api/prm/leads/ingest", "integration", b)
		require.Equal(t, http.StatusCreated, res.Status, res.Body)
		return leadRec(t, w, dealJSON(t, res)["id"].(string))
	}
	// control: an unrelated lead in T2 is offered to P2 at once
	control := ingest("Mas de la Crau", "")
	require.Equal(t, "offered", control.GetString("status"))
	require.Equal(t, w.P2, control.GetString("partner"))

	for _, lead := range []*core.Record{
		ingest("DOMAINE DES OLIVIERS SARL", ""),             // same company, other spelling
		ingest("SCEA Les Oliviers d'Aix", "44306184100021"), // same SIREN
	} {
		assert.True(t, lead.GetBool("held"), "a lead matching a protected registration is held")
		assert.Equal(t, "registration", lead.GetString("conflict_kind"))
		assert.Equal(t, id, lead.GetString("conflict_ref"))
		assert.Equal(t, w.P1, lead.GetString("conflict_partner"))
		assert.Equal(t, "ready", lead.GetString("status"))
		assert.Empty(t, lead.GetString("partner"), "never offered to another partner")
		_, err := distribution.DistributePending(w.app, time.Now())
		require.NoError(t, err)
		assert.Empty(t, leadRec(t, w, lead.Id).GetString("partner"), "the distribution job leaves it too")
		assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM lead_offers WHERE lead = {:l}", dbx.Params{"l": lead.Id}))
		for _, user := range []string{"pm2", "pu2"} {
			res := dealDo(w, http.MethodGet, url("leads", lead.Id), user, nil)
			assert.Equal(t, http.StatusNotFound, res.Status)
		}
	}

	// once the protection has run out (and the held leads were closed by
	// the channel manager), such a lead is distributed again
	_, err := w.app.DB().NewQuery("UPDATE opportunities SET protected_until = {:t} WHERE id = {:id}").
		Bind(dbx.Params{"t": time.Now().Add(-time.Hour).UTC().Format("2006-01-02 15:04:05.000Z"), "id": id}).Execute()
	require.NoError(t, err)
	_, err = w.app.DB().NewQuery("UPDATE leads SET status = 'lost' WHERE held = 1").Execute()
	require.NoError(t, err)
	late := ingest("Domaine des Oliviers", "")
	assert.False(t, late.GetBool("held"))
	assert.Equal(t, w.P2, late.GetString("partner"))
}
