package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

// dealDo sends a request as one of the world's users ("" = guest).
func dealDo(w *world, method, u, user string, body any) testapp.Response {
	w.t.Helper()
	tok := ""
	switch user {
	case "":
	case "superuser":
		tok = w.superToken()
	default:
		tok = w.tokens[user]
	}
	return w.client.Do(method, u, tok, body)
}

// dealJSON decodes a JSON object answer.
func dealJSON(t *testing.T, res testapp.Response) map[string]any {
	t.Helper()
	var m map[string]any
	res.JSON(t, &m)
	return m
}

// dealListIDs lists a collection as a user and returns the ids (nil when
// the list is refused).
func dealListIDs(t *testing.T, w *world, user, query string) (int, []string) {
	t.Helper()
	res := dealDo(w, http.MethodGet, url("opportunities")+query, user, nil)
	if res.Status != http.StatusOK {
		return res.Status, nil
	}
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	res.JSON(t, &page)
	ids := []string{}
	for _, it := range page.Items {
		ids = append(ids, it.ID)
	}
	return res.Status, ids
}

// dealOpp stores an opportunity directly (no rules).
func (w *world) dealOpp(fields map[string]any) *core.Record {
	w.t.Helper()
	f := map[string]any{"name": "Chantier " + w.next(), "stage": "negotiation", "amount": 20000}
	for k, v := range fields {
		f[k] = v
	}
	return w.mk("opportunities", f)
}

func dealReload(t *testing.T, w *world, id string) *core.Record {
	t.Helper()
	r, err := w.app.FindRecordById("opportunities", id)
	require.NoError(t, err)
	return r
}

// dealAudits counts the audit entries of an action on a record.
func dealAudits(t *testing.T, w *world, action, record string) int {
	t.Helper()
	return countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = {:a} AND record = {:r}", dbx.Params{"a": action, "r": record})
}

// dealNotes counts the notifications of a kind for a user.
func dealNotes(t *testing.T, w *world, user, kind string) int {
	t.Helper()
	return countRows(t, w, "SELECT COUNT(*) FROM notifications WHERE user = {:u} AND kind = {:k}", dbx.Params{"u": w.uid(user), "k": kind})
}

// POST /api/prm/leads/{id}/opportunity: who may open an opportunity on a
// lead in and out of their scope (the matrix create flag, the lead's
// visibility, and a worked lead).
func TestOpportunityFromLeadAuthorization(t *testing.T) {
	w := newWorld(t)
	worked := func(s leadShape) *core.Record {
		l := w.lead(s)
		l.Set("estimated_value", 32000)
		require.NoError(t, w.app.Save(l))
		return l
	}
	p1Lead := leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted", createdBy: "teleoperator"}
	p2Lead := leadShape{partner: "P2", assignee: "pu2", territory: "T2", status: "contacted", createdBy: "teleoperator"}
	rows := []struct {
		user          string
		own, foreign  leadShape
		wantOwn, wFor int
	}{
		{"admin", p1Lead, p2Lead, 201, 201},
		{"channel_manager", p1Lead, p2Lead, 201, 404},
		{"sales", leadShape{assignee: "sales", territory: "T2", status: "contacted"}, leadShape{assignee: "sales2", territory: "T2", status: "contacted"}, 201, 404},
		{"teleoperator", p1Lead, p2Lead, 403, 403},
		{"partner_manager", p1Lead, p2Lead, 201, 404},
		{"partner_user", p1Lead, p2Lead, 403, 403}, // the default matrix gives salespeople no create on opportunities
		{"integration", p1Lead, p2Lead, 403, 403},
		{"", p1Lead, p2Lead, 401, 401},
	}
	for _, r := range rows {
		own, foreign := worked(r.own), worked(r.foreign)
		res := dealDo(w, http.MethodPost, "/api/prm/leads/"+own.Id+"/opportunity", r.user, map[string]any{"close_date": "2027-03-31"})
		assert.Equal(t, r.wantOwn, res.Status, "%s own: %s", r.user, res.Body)
		if res.Status == 201 {
			opp := dealJSON(t, res)
			assert.Equal(t, own.Id, opp["lead"])
			assert.Equal(t, own.GetString("partner"), opp["partner"], "the partner comes from the lead")
			assert.Equal(t, own.GetString("territory"), opp["territory"], "the territory comes from the lead")
			assert.Equal(t, "prospecting", opp["stage"])
			assert.EqualValues(t, 32000, opp["amount"], "the amount defaults to the lead's estimated value")
			assert.Equal(t, 1, dealAudits(t, w, "opportunity.create_from_lead", opp["id"].(string)))
			again := dealDo(w, http.MethodPost, "/api/prm/leads/"+own.Id+"/opportunity", r.user, nil)
			assert.Equal(t, http.StatusConflict, again.Status, "one opportunity per lead: %s", again.Body)
		}
		res = dealDo(w, http.MethodPost, "/api/prm/leads/"+foreign.Id+"/opportunity", r.user, nil)
		assert.Equal(t, r.wFor, res.Status, "%s foreign: %s", r.user, res.Body)
		if r.wFor == 404 {
			assert.NotContains(t, res.Body, foreign.GetString("company"))
		}
	}
	// a lead still offered (not accepted) cannot become an opportunity
	offered := worked(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "offered"})
	res := dealDo(w, http.MethodPost, "/api/prm/leads/"+offered.Id+"/opportunity", "partner_manager", nil)
	assert.Equal(t, http.StatusConflict, res.Status, res.Body)
	assert.Contains(t, res.Body, "lead_not_accepted")
	// a partner cannot bring another partner's account into its opportunity
	acc := w.mk("accounts", map[string]any{"name": "Compte P2", "partner": w.P2})
	mine := worked(p1Lead)
	res = dealDo(w, http.MethodPost, "/api/prm/leads/"+mine.Id+"/opportunity", "partner_manager", map[string]any{"account": acc.Id})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.NotContains(t, res.Body, "Compte P2")
}

// Internal sales create opportunities through the REST API on the accounts
// they own; the territory is derived, never sent.
func TestOpportunityRESTCreate(t *testing.T) {
	w := newWorld(t)
	mine := w.mk("accounts", map[string]any{"name": "Scierie Morvan", "owner": w.uid("sales"), "territory": w.T2, "postal_code": "13001"})
	theirs := w.mk("accounts", map[string]any{"name": "Scierie Autre", "owner": w.uid("sales2"), "territory": w.T2})
	res := dealDo(w, http.MethodPost, url("opportunities"), "sales", map[string]any{"account": mine.Id, "name": "Toiture scierie", "amount": 45000, "close_date": "2027-01-15"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	opp := dealJSON(t, res)
	assert.Equal(t, w.T2, opp["territory"])
	assert.Equal(t, "prospecting", opp["stage"])
	assert.Equal(t, "Scierie Morvan", opp["company"])

	res = dealDo(w, http.MethodPost, url("opportunities"), "sales", map[string]any{"account": theirs.Id, "name": "x"})
	assert.Contains(t, []int{400, 403}, res.Status, res.Body)
	res = dealDo(w, http.MethodPost, url("opportunities"), "sales", map[string]any{"account": mine.Id, "territory": w.T1})
	assert.Contains(t, []int{400, 403}, res.Status, "territory is derived: %s", res.Body)
	res = dealDo(w, http.MethodPost, url("opportunities"), "sales", map[string]any{"account": mine.Id, "stage": "won", "amount": 10})
	assert.Equal(t, http.StatusBadRequest, res.Status, "an opportunity is created open: %s", res.Body)

	// a partner manager's REST create stays in its company, and cannot
	// point at another partner's lead
	p2lead := w.lead(leadShape{partner: "P2", assignee: "pu2", territory: "T2", status: "accepted"})
	res = dealDo(w, http.MethodPost, url("opportunities"), "partner_manager", map[string]any{"partner": w.P1, "lead": p2lead.Id, "name": "vol"})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.NotContains(t, res.Body, p2lead.GetString("company"))
	res = dealDo(w, http.MethodPost, url("opportunities"), "partner_manager", map[string]any{"partner": w.P2, "name": "chez le voisin"})
	assert.Contains(t, []int{400, 403}, res.Status, res.Body)
	res = dealDo(w, http.MethodPost, url("opportunities"), "partner_manager", map[string]any{"partner": w.P1, "name": "Chez nous", "amount": 5000})
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	offered := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "offered"})
	res = dealDo(w, http.MethodPost, url("opportunities"), "partner_manager", map[string]any{"partner": w.P1, "lead": offered.Id})
	assert.Equal(t, http.StatusConflict, res.Status, "an offer is not yet a deal: %s", res.Body)
	accepted := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted"})
	res = dealDo(w, http.MethodPost, url("opportunities"), "partner_manager", map[string]any{"partner": w.P1, "lead": accepted.Id})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, w.T1, dealJSON(t, res)["territory"])
	assert.Equal(t, accepted.GetString("company"), dealJSON(t, res)["company"])
}

// Accounts entrusted to a partner have duplicate keys, kept up to date, so
// that a new lead for that customer is held (SPEC §4.2).
func TestLeadMatchingAPartnersAccountIsHeld(t *testing.T) {
	w := newWorld(t)
	acc := w.mk("accounts", map[string]any{"name": "Boulangerie Le Fournil SARL", "postal_code": "35000", "siren": "443061841", "partner": w.P2})
	keys := func() []string {
		var ks []string
		require.NoError(t, w.app.DB().NewQuery("SELECT key || '@' || partner FROM dedup_keys WHERE kind = 'account' AND record = {:r} ORDER BY key").
			Bind(dbx.Params{"r": acc.Id}).Column(&ks))
		return ks
	}
	assert.Equal(t, []string{"company:boulangerie le fournil|35000@" + w.P2, "siren:443061841@" + w.P2}, keys())

	b := ingestBody("ACC-1")
	b["score"] = 90
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	lead := leadRec(t, w, dealJSON(t, res)["id"].(string))
	assert.True(t, lead.GetBool("held"))
	assert.Equal(t, "account", lead.GetString("conflict_kind"))
	assert.Equal(t, acc.Id, lead.GetString("conflict_ref"))

	// the keys follow the account
	acc.Set("partner", w.P1)
	acc.Set("name", "Le Fournil")
	require.NoError(t, w.app.Save(acc))
	assert.Equal(t, []string{"company:le fournil|35000@" + w.P1, "siren:443061841@" + w.P1}, keys())
	require.NoError(t, w.app.Delete(acc))
	assert.Empty(t, keys())
}

// Partners see and update only their company's opportunities; a
// salesperson only its own (registered by or assigned to it).
func TestPartnersSeeOnlyTheirCompanysOpportunities(t *testing.T) {
	w := newWorld(t)
	mine := w.dealOpp(map[string]any{"name": "Chantier Ouest Alpha", "partner": w.P1, "territory": w.T1, "registered_by": w.uid("partner_user")})
	colleague := w.dealOpp(map[string]any{"name": "Chantier Ouest Beta", "partner": w.P1, "territory": w.T1, "registered_by": w.uid("partner_user_b")})
	theirs := w.dealOpp(map[string]any{"name": "Chantier Sud Secret", "partner": w.P2, "territory": w.T2, "registered_by": w.uid("pu2")})

	_, ids := dealListIDs(t, w, "partner_manager", "?perPage=200")
	assert.ElementsMatch(t, []string{mine.Id, colleague.Id}, ids)
	_, ids = dealListIDs(t, w, "partner_user", "?perPage=200")
	assert.Equal(t, []string{mine.Id}, ids)
	_, ids = dealListIDs(t, w, "pm2", "?perPage=200")
	assert.Equal(t, []string{theirs.Id}, ids)
	// asking for the other company by filter finds nothing
	_, ids = dealListIDs(t, w, "partner_manager", "?filter="+urlQuery("partner = '"+w.P2+"'"))
	assert.Empty(t, ids)

	for _, user := range []string{"partner_manager", "partner_user"} {
		res := dealDo(w, http.MethodGet, url("opportunities")+"?perPage=200", user, nil)
		assert.NotContains(t, res.Body, "Chantier Sud Secret")
		res = dealDo(w, http.MethodGet, url("opportunities", theirs.Id), user, nil)
		assert.Equal(t, http.StatusNotFound, res.Status)
		assert.NotContains(t, res.Body, "Secret")
		res = dealDo(w, http.MethodPatch, url("opportunities", theirs.Id), user, map[string]any{"amount": 1})
		assert.Equal(t, http.StatusNotFound, res.Status)
		res = dealDo(w, http.MethodPost, "/api/prm/opportunities/"+theirs.Id+"/stage", user, map[string]any{"stage": "proposal"})
		assert.Equal(t, http.StatusNotFound, res.Status)
	}
	assert.EqualValues(t, 20000, dealReload(t, w, theirs.Id).GetFloat("amount"))
	assert.Equal(t, "negotiation", dealReload(t, w, theirs.Id).GetString("stage"))

	// the salesperson cannot touch its colleague's deal; the manager can
	assert.Equal(t, http.StatusNotFound, dealDo(w, http.MethodPatch, url("opportunities", colleague.Id), "partner_user", map[string]any{"amount": 1}).Status)
	res := dealDo(w, http.MethodPatch, url("opportunities", colleague.Id), "partner_manager", map[string]any{"amount": 21000, "close_date": "2027-02-01"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = dealDo(w, http.MethodPatch, url("opportunities", mine.Id), "partner_user", map[string]any{"amount": 22000})
	require.Equal(t, http.StatusOK, res.Status, res.Body)

	// nobody in the company moves the deal to another partner or fakes a
	// registration
	for _, body := range []map[string]any{{"partner": w.P2}, {"registration_status": "approved"}, {"protected_until": "2099-01-01"}, {"territory": w.T2}} {
		res := dealDo(w, http.MethodPatch, url("opportunities", mine.Id), "partner_manager", body)
		assert.NotEqual(t, http.StatusOK, res.Status, "%v: %s", body, res.Body)
	}
	got := dealReload(t, w, mine.Id)
	assert.Equal(t, w.P1, got.GetString("partner"))
	assert.Equal(t, "", got.GetString("registration_status"))
}

// Stage changes through the REST API follow the table of hooks/deals: a
// partner's win above settings_prm.won_validation_amount waits for the
// channel manager.
func TestOpportunityStagesThroughREST(t *testing.T) {
	w := newWorld(t)
	opp := w.dealOpp(map[string]any{"partner": w.P1, "territory": w.T1})

	// a partner's big win becomes a pending validation
	res := dealDo(w, http.MethodPatch, url("opportunities", opp.Id), "partner_manager", map[string]any{"stage": "won", "amount": 80000})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	body := dealJSON(t, res)
	assert.Equal(t, "negotiation", body["stage"], "the stage waits for the validation")
	assert.Equal(t, true, body["won_pending"])
	got := dealReload(t, w, opp.Id)
	assert.Equal(t, "negotiation", got.GetString("stage"))
	assert.True(t, got.GetBool("won_pending"))
	assert.EqualValues(t, 80000, got.GetFloat("amount"))
	assert.Equal(t, w.uid("partner_manager"), got.GetString("won_requested_by"))
	assert.Equal(t, 1, dealNotes(t, w, "channel_manager", "win_validation"), "the channel manager of T1 is asked")

	// the partner cannot validate it, nor set the pending flag itself
	res = dealDo(w, http.MethodPost, "/api/prm/opportunities/"+opp.Id+"/validate", "partner_manager", map[string]any{"approve": true})
	assert.Equal(t, http.StatusForbidden, res.Status)
	// the channel manager validates
	res = dealDo(w, http.MethodPost, "/api/prm/opportunities/"+opp.Id+"/validate", "channel_manager", map[string]any{"approve": true, "note": "ok"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	got = dealReload(t, w, opp.Id)
	assert.Equal(t, "won", got.GetString("stage"))
	assert.False(t, got.GetBool("won_pending"))
	assert.Equal(t, w.uid("channel_manager"), got.GetString("won_validated_by"))
	assert.Equal(t, 1, dealAudits(t, w, "opportunity.win_validate", opp.Id))
	assert.Equal(t, 1, dealNotes(t, w, "partner_manager", "win_decision"))

	// a closed deal is frozen for the partner
	res = dealDo(w, http.MethodPatch, url("opportunities", opp.Id), "partner_manager", map[string]any{"stage": "negotiation"})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.Contains(t, res.Body, "opportunity_closed")
	res = dealDo(w, http.MethodPatch, url("opportunities", opp.Id), "partner_manager", map[string]any{"amount": 900000})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.EqualValues(t, 80000, dealReload(t, w, opp.Id).GetFloat("amount"))
	// the channel manager reopens it
	res = dealDo(w, http.MethodPatch, url("opportunities", opp.Id), "channel_manager", map[string]any{"stage": "negotiation"})
	assert.Equal(t, http.StatusOK, res.Status, res.Body)

	// small wins need nobody; a win needs an amount
	small := w.dealOpp(map[string]any{"partner": w.P1, "territory": w.T1, "amount": 0})
	res = dealDo(w, http.MethodPatch, url("opportunities", small.Id), "partner_manager", map[string]any{"stage": "won"})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	res = dealDo(w, http.MethodPatch, url("opportunities", small.Id), "partner_manager", map[string]any{"stage": "won", "amount": 12000})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, "won", dealReload(t, w, small.Id).GetString("stage"))
	assert.False(t, dealReload(t, w, small.Id).GetDateTime("close_date").IsZero(), "a win gets a close date")

	// internal sales are not validators either; channel managers are
	acc := w.mk("accounts", map[string]any{"name": "Direct", "owner": w.uid("sales"), "territory": w.T1})
	direct := w.dealOpp(map[string]any{"account": acc.Id, "territory": w.T1})
	res = dealDo(w, http.MethodPatch, url("opportunities", direct.Id), "sales", map[string]any{"stage": "won", "amount": 90000})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.True(t, dealReload(t, w, direct.Id).GetBool("won_pending"))
	big := w.dealOpp(map[string]any{"partner": w.P1, "territory": w.T1})
	res = dealDo(w, http.MethodPatch, url("opportunities", big.Id), "channel_manager", map[string]any{"stage": "won", "amount": 90000})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, "won", dealReload(t, w, big.Id).GetString("stage"))
	assert.Equal(t, w.uid("channel_manager"), dealReload(t, w, big.Id).GetString("won_validated_by"))

	// a partner's REST loss needs the lost reason, which only the stage
	// route takes from a partner
	lost := w.dealOpp(map[string]any{"partner": w.P1, "territory": w.T1})
	res = dealDo(w, http.MethodPatch, url("opportunities", lost.Id), "partner_manager", map[string]any{"stage": "lost"})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	res = dealDo(w, http.MethodPost, "/api/prm/opportunities/"+lost.Id+"/stage", "partner_manager", map[string]any{"stage": "lost"})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.Contains(t, res.Body, "lost_reason")
	res = dealDo(w, http.MethodPost, "/api/prm/opportunities/"+lost.Id+"/stage", "partner_manager", map[string]any{"stage": "lost", "lost_reason": "Budget reporté"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, "Budget reporté", dealReload(t, w, lost.Id).GetString("lost_reason"))
	assert.Equal(t, 1, dealAudits(t, w, "opportunity.stage", lost.Id))
}

// POST /api/prm/opportunities/{id}/stage and .../validate: authorization
// rows on a record in and out of each role's scope.
func TestStageAndValidateRoutesAuthorization(t *testing.T) {
	w := newWorld(t)
	w.addUser("cm2", "channel_manager", "")
	cm2 := w.users["cm2"]
	cm2.Set("territories", []string{w.T2})
	require.NoError(t, w.app.Save(cm2))
	w.tokens["cm2"] = tokenOf(t, w, cm2)
	acc := w.mk("accounts", map[string]any{"name": "Compte sales", "owner": w.uid("sales"), "territory": w.T1})
	ownOf := map[string]map[string]any{
		"admin":           {"partner": w.P1, "territory": w.T1},
		"channel_manager": {"partner": w.P1, "territory": w.T1},
		"cm2":             {"partner": w.P1, "territory": w.T1}, // T1 is not cm2's
		"sales":           {"account": acc.Id, "territory": w.T1},
		"teleoperator":    {"partner": w.P1, "territory": w.T1},
		"partner_manager": {"partner": w.P1, "territory": w.T1},
		"partner_user":    {"partner": w.P1, "territory": w.T1, "registered_by": w.uid("partner_user")},
		"pm2":             {"partner": w.P1, "territory": w.T1},
		"integration":     {"partner": w.P1, "territory": w.T1},
		"":                {"partner": w.P1, "territory": w.T1},
	}
	// stage: small move (200), big win (202 for non-validators)
	stage := map[string][2]int{
		"admin": {200, 200}, "channel_manager": {200, 200}, "cm2": {404, 404}, "sales": {200, 202}, "teleoperator": {404, 404},
		"partner_manager": {200, 202}, "partner_user": {200, 202}, "pm2": {404, 404}, "integration": {404, 404}, "": {401, 401},
	}
	// validate a pending win: approve, then a second call (nothing pending)
	validate := map[string][2]int{
		"admin": {200, 409}, "channel_manager": {200, 409}, "cm2": {404, 404}, "sales": {403, 403}, "teleoperator": {403, 403},
		"partner_manager": {403, 403}, "partner_user": {403, 403}, "pm2": {403, 403}, "integration": {403, 403}, "": {401, 401},
	}
	for user, want := range stage {
		opp := w.dealOpp(ownOf[user])
		res := dealDo(w, http.MethodPost, "/api/prm/opportunities/"+opp.Id+"/stage", user, map[string]any{"stage": "proposal"})
		assert.Equal(t, want[0], res.Status, "%s stage: %s", user, res.Body)
		res = dealDo(w, http.MethodPost, "/api/prm/opportunities/"+opp.Id+"/stage", user, map[string]any{"stage": "won", "amount": 75000})
		assert.Equal(t, want[1], res.Status, "%s big win: %s", user, res.Body)
		if want[1] == 202 {
			assert.Equal(t, true, dealJSON(t, res)["won_pending"])
			assert.NotEqual(t, "won", dealReload(t, w, opp.Id).GetString("stage"))
		}
	}
	for user, want := range validate {
		opp := w.dealOpp(ownOf[user])
		opp.Set("won_pending", true)
		opp.Set("amount", 75000)
		require.NoError(t, w.app.Save(opp))
		res := dealDo(w, http.MethodPost, "/api/prm/opportunities/"+opp.Id+"/validate", user, map[string]any{"approve": true})
		assert.Equal(t, want[0], res.Status, "%s validate: %s", user, res.Body)
		res = dealDo(w, http.MethodPost, "/api/prm/opportunities/"+opp.Id+"/validate", user, map[string]any{"approve": true})
		assert.Equal(t, want[1], res.Status, "%s validate again: %s", user, res.Body)
	}
	// refusing a win needs a reason and leaves the stage
	opp := w.dealOpp(map[string]any{"partner": w.P1, "territory": w.T1, "won_pending": true, "amount": 75000, "won_requested_by": w.uid("partner_manager")})
	res := dealDo(w, http.MethodPost, "/api/prm/opportunities/"+opp.Id+"/validate", "channel_manager", map[string]any{"approve": false})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	res = dealDo(w, http.MethodPost, "/api/prm/opportunities/"+opp.Id+"/validate", "channel_manager", map[string]any{"approve": false, "note": "Bon de commande manquant"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	got := dealReload(t, w, opp.Id)
	assert.Equal(t, "negotiation", got.GetString("stage"))
	assert.False(t, got.GetBool("won_pending"))
	assert.Equal(t, 1, dealAudits(t, w, "opportunity.win_reject", opp.Id))
	// the partner reads the decision on its record
	res = dealDo(w, http.MethodGet, url("opportunities", opp.Id), "partner_manager", nil)
	assert.Contains(t, res.Body, "Bon de commande manquant")
}

// Deal terms are never reachable by a partner: not by list, view, expand,
// filter or sort on the opportunity or the lead. The filters are compared
// with a never-matching control: equal answers, so no oracle.
func TestDealTermsUnreachableForPartners(t *testing.T) {
	const canary = "37.77"
	w := newWorld(t)
	lead := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted"})
	opp := w.dealOpp(map[string]any{"partner": w.P1, "territory": w.T1, "lead": lead.Id, "registered_by": w.uid("partner_user")})
	other := w.dealOpp(map[string]any{"partner": w.P1, "territory": w.T1, "registered_by": w.uid("partner_user")})
	terms := w.mk("deal_terms", map[string]any{"opportunity": opp.Id, "margin_pct": 37.77, "discount_pct": 12.5, "purchase_price": 4242.42, "conditions": "Conditions canari"})
	w.mk("deal_terms", map[string]any{"lead": lead.Id, "margin_pct": 37.77})
	w.mk("deal_terms", map[string]any{"opportunity": other.Id, "margin_pct": 5})
	secrets := []string{canary, "4242.42", "Conditions canari", terms.Id, "margin_pct", "purchase_price"}
	noSecret := func(label, body string) {
		t.Helper()
		for _, s := range secrets {
			assert.NotContains(t, body, s, "%s leaks %q", label, s)
		}
	}
	oppList := url("opportunities") + "?perPage=200&skipTotal=1"
	q := func(k, v string) string { return "&" + k + "=" + urlQuery(v) }

	// control: the admin reaches the terms by expand and a superuser by
	// filter, so the probes below would see a leak if there were one
	res := dealDo(w, http.MethodGet, url("opportunities", opp.Id)+"?expand=deal_terms_via_opportunity", "admin", nil)
	require.Contains(t, res.Body, canary)
	_, hit := dealListIDs(t, w, "superuser", "?filter="+urlQuery("deal_terms_via_opportunity.margin_pct > 30"))
	_, miss := dealListIDs(t, w, "superuser", "?filter="+urlQuery("deal_terms_via_opportunity.margin_pct > 90"))
	require.Contains(t, hit, opp.Id)
	require.NotContains(t, miss, opp.Id)
	// client filters through back-relations are refused to every role
	// (filter guard), the admin included
	status, _ := dealListIDs(t, w, "admin", "?filter="+urlQuery("deal_terms_via_opportunity.margin_pct > 30"))
	require.Equal(t, http.StatusBadRequest, status)

	for _, user := range []string{"partner_manager", "partner_user"} {
		res := dealDo(w, http.MethodGet, url("deal_terms")+"?perPage=200", user, nil)
		assert.Contains(t, []int{200, 403}, res.Status)
		if res.Status == 200 {
			assert.Contains(t, res.Body, `"items":[]`)
		}
		noSecret(user+" list", res.Body)
		res = dealDo(w, http.MethodGet, url("deal_terms", terms.Id), user, nil)
		assert.Equal(t, http.StatusNotFound, res.Status)
		noSecret(user+" view", res.Body)

		for _, probe := range []string{
			url("opportunities", opp.Id) + "?expand=deal_terms_via_opportunity",
			url("opportunities", opp.Id) + "?expand=lead.deal_terms_via_lead",
			url("opportunities", opp.Id) + "?fields=" + urlQuery("*,expand.deal_terms_via_opportunity.margin_pct") + "&expand=deal_terms_via_opportunity",
			url("leads", lead.Id) + "?expand=deal_terms_via_lead",
			oppList + q("expand", "deal_terms_via_opportunity"),
		} {
			res := dealDo(w, http.MethodGet, probe, user, nil)
			assert.Contains(t, []int{200, 400, 404}, res.Status, probe)
			noSecret(user+" "+probe, res.Body)
			assert.NotContains(t, res.Body, "deal_terms_via", probe)
		}
		// filter oracle: a matching and a never-matching condition answer alike
		for _, pair := range [][2]string{
			{"deal_terms_via_opportunity.margin_pct > 30", "deal_terms_via_opportunity.margin_pct > 1000"},
			{"deal_terms_via_opportunity.margin_pct = 37.77", "deal_terms_via_opportunity.margin_pct = 1.23"},
			{"deal_terms_via_opportunity.purchase_price > 4000", "deal_terms_via_opportunity.purchase_price < 0"},
			{"lead.deal_terms_via_lead.margin_pct > 30", "lead.deal_terms_via_lead.margin_pct > 1000"},
			{"@collection.deal_terms.margin_pct > 30", "@collection.deal_terms.margin_pct > 1000"},
		} {
			a := dealDo(w, http.MethodGet, oppList+q("filter", pair[0]), user, nil)
			b := dealDo(w, http.MethodGet, oppList+q("filter", pair[1]), user, nil)
			assert.Equal(t, b.Status, a.Status, "%s: %s", user, pair[0])
			assert.Equal(t, canonicalJSON(b.Body), canonicalJSON(a.Body), "%s: the answer must not depend on %s", user, pair[0])
			noSecret(user+" filter", a.Body)
		}
		// sort oracle: ascending and descending by margin give the same order
		asc := dealDo(w, http.MethodGet, oppList+q("sort", "deal_terms_via_opportunity.margin_pct"), user, nil)
		desc := dealDo(w, http.MethodGet, oppList+q("sort", "-deal_terms_via_opportunity.margin_pct"), user, nil)
		assert.Equal(t, asc.Status, desc.Status)
		assert.Equal(t, canonicalJSON(asc.Body), canonicalJSON(desc.Body), "%s: sorting by margin must not order the deals", user)
		noSecret(user+" sort", asc.Body)
		// the deal terms collection cannot be written either
		res = dealDo(w, http.MethodPost, url("deal_terms"), user, map[string]any{"opportunity": opp.Id, "margin_pct": 1})
		assert.Contains(t, []int{400, 403}, res.Status)
		res = dealDo(w, http.MethodPatch, url("deal_terms", terms.Id), user, map[string]any{"margin_pct": 1})
		assert.Equal(t, http.StatusNotFound, res.Status)
	}
	assert.EqualValues(t, 37.77, func() float64 {
		r, err := w.app.FindRecordById("deal_terms", terms.Id)
		require.NoError(t, err)
		return r.GetFloat("margin_pct")
	}())
	// a superuser sorts by margin for real (the control of the sort probe)
	res = dealDo(w, http.MethodGet, oppList+q("sort", "-deal_terms_via_opportunity.margin_pct")+q("filter", "partner = '"+w.P1+"'"), "superuser", nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	res.JSON(t, &page)
	require.NotEmpty(t, page.Items)
	assert.Equal(t, opp.Id, page.Items[0].ID)
}

// Campaigns and tickets are internal modules: partner roles cannot list,
// view, expand or create them, and the matrix refuses to open them.
func TestCampaignsAndTicketsInvisibleToPartners(t *testing.T) {
	w := newWorld(t)
	camp := w.mk("campaigns", map[string]any{"name": "Campagne Canari", "channel": "event", "starts": "2026-03-01 00:00:00.000Z", "ends": "2026-04-01 00:00:00.000Z"})
	lead := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted"})
	lead.Set("campaign", camp.Id)
	require.NoError(t, w.app.Save(lead))
	acc := w.mk("accounts", map[string]any{"name": "Compte P1", "partner": w.P1, "owner": w.uid("sales")})
	ticket := w.mk("tickets", map[string]any{"subject": "Ticket Canari", "account": acc.Id, "status": "open", "description": "Onduleur en panne"})

	for _, user := range []string{"partner_manager", "partner_user", "pm2", "pu2"} {
		for _, c := range []struct{ coll, id, canary string }{{"campaigns", camp.Id, "Campagne Canari"}, {"tickets", ticket.Id, "Ticket Canari"}} {
			res := dealDo(w, http.MethodGet, url(c.coll)+"?perPage=200", user, nil)
			assert.Contains(t, []int{200, 403}, res.Status, res.Body)
			if res.Status == 200 {
				assert.Contains(t, res.Body, `"items":[]`, "%s lists %s", user, c.coll)
			}
			assert.NotContains(t, res.Body, c.canary)
			res = dealDo(w, http.MethodGet, url(c.coll, c.id), user, nil)
			assert.Equal(t, http.StatusNotFound, res.Status, "%s views %s", user, c.coll)
			assert.NotContains(t, res.Body, c.canary)
			before := countRows(t, w, "SELECT COUNT(*) FROM "+c.coll)
			res = dealDo(w, http.MethodPost, url(c.coll), user, map[string]any{"name": "x", "subject": "x", "account": acc.Id})
			assert.Contains(t, []int{400, 403}, res.Status, "%s creates %s: %s", user, c.coll, res.Body)
			assert.Equal(t, before, countRows(t, w, "SELECT COUNT(*) FROM "+c.coll))
			res = dealDo(w, http.MethodPatch, url(c.coll, c.id), user, map[string]any{"name": "x", "subject": "x"})
			assert.Equal(t, http.StatusNotFound, res.Status)
		}
		// nor through a relation
		for _, probe := range []string{
			url("leads", lead.Id) + "?expand=campaign",
			url("accounts", acc.Id) + "?expand=tickets_via_account",
			url("accounts") + "?filter=" + urlQuery("tickets_via_account.subject ~ 'Canari'"),
		} {
			res := dealDo(w, http.MethodGet, probe, user, nil)
			assert.NotContains(t, res.Body, "Canari", "%s %s", user, probe)
			assert.NotContains(t, res.Body, camp.Id, "%s %s", user, probe)
		}
	}
	// control: internal roles see them
	res := dealDo(w, http.MethodGet, url("campaigns"), "sales", nil)
	assert.Contains(t, res.Body, "Campagne Canari")
	res = dealDo(w, http.MethodGet, url("tickets", ticket.Id), "sales", nil)
	assert.Equal(t, http.StatusOK, res.Status, "sales owns the ticket's account")
	res = dealDo(w, http.MethodGet, url("accounts", acc.Id)+"?expand=tickets_via_account", "admin", nil)
	assert.Contains(t, res.Body, "Ticket Canari")

	// and no matrix can open them to a partner role
	var permID string
	require.NoError(t, w.app.DB().NewQuery("SELECT id FROM permissions WHERE role = 'partner_manager' AND resource = 'campaigns'").Row(&permID))
	for _, coll := range []string{"campaigns", "tickets"} {
		require.NoError(t, w.app.DB().NewQuery("SELECT id FROM permissions WHERE role = 'partner_manager' AND resource = {:r}").Bind(dbx.Params{"r": coll}).Row(&permID))
		res := dealDo(w, http.MethodPatch, url("permissions", permID), "admin", map[string]any{"read": "all"})
		assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
		assert.Contains(t, res.Body, coll)
	}
	res = dealDo(w, http.MethodGet, url("campaigns", camp.Id), "partner_manager", nil)
	assert.Equal(t, http.StatusNotFound, res.Status)
}
