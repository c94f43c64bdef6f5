package hooks_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
)

// TestRuleViewVerdictIsTheRules compares the in-memory ViewRule check of
// the accept path with the rule query (ViewFor) for every user of the
// world, plus inactive, expired and suspended partner accounts, on leads
// of every shape: whenever it answers, it answers like SQL; for partner
// roles it always answers.
func TestRuleViewVerdictIsTheRules(t *testing.T) {
	w := newWorld(t)
	p3 := w.mk("partners", map[string]any{"name": "Suspendu", "kind": "installer", "tier": "standard", "status": "suspended", "territories": []string{w.T1}}).Id
	extra := map[string]func(u *core.Record){
		"pu_inactive": func(u *core.Record) { u.Set("active", false) },
		"pu_expired":  func(u *core.Record) { u.Set("access_expires", time.Now().Add(-time.Hour)) },
		"pu_later":    func(u *core.Record) { u.Set("access_expires", time.Now().Add(time.Hour)) },
		"pu_suspended": func(u *core.Record) {
			u.Set("partner", p3)
		},
		"pm_nopartner": func(u *core.Record) { u.Set("partner", "") },
	}
	for key, f := range extra {
		role := "partner_user"
		if key == "pm_nopartner" {
			role = "partner_manager"
		}
		u := w.addUser(key, role, "P1")
		f(u)
		save := w.app.Save
		if key == "pm_nopartner" {
			// an account saved before partners were validated (user_partner.go)
			save = w.app.SaveNoValidate
		}
		require.NoError(t, save(u), key)
	}
	var leads []*core.Record
	for _, s := range []leadShape{
		{partner: "P1", assignee: "partner_user", territory: "T1", status: "offered"},
		{partner: "P1", assignee: "partner_user_b", territory: "T1", status: "offered"},
		{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted"},
		{partner: "P1", territory: "T1", status: "offered", createdBy: "partner_user"},
		{partner: "P2", assignee: "pu2", territory: "T2", status: "offered"},
		{territory: "T1", status: "ready"},
		{territory: "T2", status: "new", createdBy: "sales"},
		{status: "new"},
		{partner: "P1", assignee: "pu_expired", territory: "T1", status: "offered"},
		{partner: "P1", assignee: "pu_later", territory: "T1", status: "offered"},
		{partner: "P1", assignee: "pu_inactive", territory: "T1", status: "offered"},
	} {
		leads = append(leads, w.lead(s))
	}
	leads = append(leads, w.mk("leads", map[string]any{"company": "Suspendu client", "status": "offered", "country": "FR", "postal_code": "35000",
		"territory": w.T1, "partner": p3, "assignee": w.uid("pu_suspended"), "score": 70}))
	partnerKinds := map[string]bool{"partner_user": true, "partner_manager": true}
	for key, u := range w.users {
		u, err := w.app.FindRecordById("users", u.Id) // as the request loads it
		require.NoError(t, err)
		for _, l := range leads {
			l, err := w.app.FindRecordById("leads", l.Id)
			require.NoError(t, err)
			_, verr := access.ViewFor(w.app, u, "leads", l.Id)
			got := access.RuleView(w.app, u, l).String()
			if partnerKinds[u.GetString("role")] {
				assert.NotEqual(t, "unknown", got, "%s on %s", key, l.GetString("company"))
			}
			if got != "unknown" {
				assert.Equal(t, verr == nil, got == "true", "%s on %s: in memory %s, SQL %v", key, l.GetString("company"), got, verr)
			}
		}
	}
}

// hiddenLeadFields must never reach a partner, in any response.
var hiddenLeadFields = []string{"source", "source_ref", "campaign", "created_by", "qualification_notes", "siret", "consent", "dedup_key",
	"duplicate_of", "forced", "offers_count", "held", "conflict_kind", "conflict_ref", "conflict_partner"}

// offeredLead makes a lead offered to P1 (assignee: the given user) with
// its pending offer, every internal field filled and the canary contact.
func offeredLead(t *testing.T, w *world, assignee string, acceptBy time.Time) *core.Record {
	t.Helper()
	now := time.Now()
	l := w.mk("leads", map[string]any{"company": "Offre " + w.next(), "status": "offered", "country": "FR", "postal_code": "35000", "city": "Rennes",
		"territory": w.T1, "partner": w.P1, "assignee": w.uid(assignee), "score": 80, "offered_at": now, "accept_by": acceptBy, "offers_count": 1,
		"source": "api", "source_ref": "SECRET-REF-" + w.next(), "created_by": w.uid("integration"), "campaign": "", "dedup_key": "k" + w.next(),
		"qualification_notes": "internal note", "consent": true})
	w.mk("lead_offers", map[string]any{"lead": l.Id, "partner": w.P1, "assignee": w.uid(assignee), "offered_at": now, "accept_by": acceptBy, "outcome": "pending"})
	w.contactOf(l, canaryEmail)
	return l
}

// TestAcceptResponseIsTheRuleView: the accept response, rendered from the
// saved record without a second rule query, is the JSON the REST view of
// the lead gives the same user (same fields, same values, no hidden
// field), for a salesperson and for a manager dispatching to a colleague;
// the error answers are those of the rules: a colleague the lead is not
// visible to and a foreign partner get the answer of a missing lead.
func TestAcceptResponseIsTheRuleView(t *testing.T) {
	w := newWorld(t)
	later := time.Now().Add(48 * time.Hour)
	accept := func(who, id string, body any) (int, string) {
		res := w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/accept", w.tokens[who], body)
		return res.Status, res.Body
	}
	sameAsView := func(who, id, body, assignee string) {
		t.Helper()
		var got, view map[string]any
		require.NoError(t, json.Unmarshal([]byte(body), &got))
		v := w.client.Do(http.MethodGet, url("leads", id), w.tokens[who], nil)
		require.Equal(t, http.StatusOK, v.Status, v.Body)
		require.NoError(t, json.Unmarshal([]byte(v.Body), &view))
		assert.Equal(t, view, got, "%s: accept response vs REST view", who)
		for _, f := range hiddenLeadFields {
			assert.NotContains(t, got, f, who)
		}
		assert.Equal(t, "accepted", got["status"])
		assert.Equal(t, w.uid(assignee), got["assignee"])
		assert.NotEmpty(t, got["accepted_at"])
		noCanary(t, who+" accept response", body)
		assert.NotContains(t, body, "SECRET-REF")
	}

	// not visible: the same answer as a lead that does not exist
	l := offeredLead(t, w, "partner_user", later)
	stMissing, bodyMissing := accept("partner_user_b", "nosuchlead00000", nil)
	require.Equal(t, http.StatusNotFound, stMissing)
	for _, who := range []string{"partner_user_b", "pu2", "pm2"} {
		st, body := accept(who, l.Id, nil)
		assert.Equal(t, stMissing, st, who)
		assert.Equal(t, bodyMissing, body, who)
	}
	st, _ := accept("sales", l.Id, nil)
	assert.Equal(t, http.StatusForbidden, st, "internal roles do not accept")
	st, body := accept("partner_user", l.Id, map[string]any{"assignee": w.uid("partner_user_b")})
	assert.Equal(t, http.StatusForbidden, st, body)
	assert.Contains(t, body, "dispatch_not_allowed")

	// a salesperson accepts their offer; then it is no longer open
	st, body = accept("partner_user", l.Id, nil)
	require.Equal(t, http.StatusOK, st, body)
	sameAsView("partner_user", l.Id, body, "partner_user")
	st, body = accept("partner_user", l.Id, nil)
	assert.Equal(t, http.StatusConflict, st)
	assert.Contains(t, body, "offer_not_pending")

	// a manager dispatches to a colleague
	l = offeredLead(t, w, "partner_user", later)
	st, body = accept("partner_manager", l.Id, map[string]any{"assignee": w.uid("partner_user_b")})
	require.Equal(t, http.StatusOK, st, body)
	sameAsView("partner_manager", l.Id, body, "partner_user_b")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'offer.accept' AND record = {:l}", dbx.Params{"l": l.Id}))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_offers WHERE lead = {:l} AND outcome = 'accepted' AND assignee = {:a}",
		dbx.Params{"l": l.Id, "a": w.uid("partner_user_b")}))

	// an expired offer
	l = offeredLead(t, w, "partner_user", time.Now().Add(-time.Minute))
	st, body = accept("partner_user", l.Id, nil)
	assert.Equal(t, http.StatusConflict, st)
	assert.Contains(t, body, "offer_expired")
}
