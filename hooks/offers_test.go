package hooks_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/internal/testapp"
)

// Canary contact details: they must never reach a partner before it
// accepted the lead.
const (
	canaryEmail = "canary.contact@secret-client.fr"
	canaryPhone = "+33699887766"
	canaryName  = "Canaryname"
)

// distWorld adds a third partner P3 in T1 (with a salesperson) and an
// assignment rule for T1 over P1 and P3 (round robin, 2 offers at most).
func distWorld(t *testing.T) (*world, string) {
	w := newWorld(t)
	p3 := w.mk("partners", map[string]any{"name": "Armor Énergie", "kind": "installer", "tier": "standard", "status": "active", "territories": []string{w.T1}}).Id
	w.addUser("pu3", "partner_user", p3)
	w.mk("assignment_rules", map[string]any{"name": "Ouest", "priority": 1, "active": true, "territory": w.T1, "strategy": "round_robin",
		"accept_hours": 48, "max_offers": 2})
	return w, p3
}

func tokenOf(t *testing.T, w *world, u *core.Record) string {
	return testapp.Token(t, w.app, u)
}

// readyLead ingests a qualified lead in T1 with the canary contact; it is
// offered at once.
func readyLead(t *testing.T, w *world, ref string) map[string]any {
	b := ingestBody(ref)
	b["score"] = 80
	b["company"] = "Ferme du Canari " + ref
	b["contact"] = map[string]any{"first_name": "Anne", "last_name": canaryName, "email": canaryEmail, "phone": canaryPhone}
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var lead map[string]any
	res.JSON(t, &lead)
	return lead
}

func leadRec(t *testing.T, w *world, id string) *core.Record {
	r, err := w.app.FindRecordById("leads", id)
	require.NoError(t, err)
	return r
}

// tokenFor returns the token of whichever user of a partner got the offer.
func assigneeToken(t *testing.T, w *world, lead *core.Record) string {
	for key, u := range w.users {
		if u.Id == lead.GetString("assignee") {
			return w.tokens[key]
		}
	}
	t.Fatalf("no token for assignee %s", lead.GetString("assignee"))
	return ""
}

func noCanary(t *testing.T, label, body string) {
	t.Helper()
	for _, c := range []string{canaryEmail, canaryPhone, canaryName, "0699887766"} {
		assert.NotContains(t, body, c, "%s leaks %s", label, c)
	}
}

func TestOfferMaskingAcceptAndLeaks(t *testing.T) {
	w, _ := distWorld(t)
	lead := readyLead(t, w, "MASK-1")
	rec := leadRec(t, w, lead["id"].(string))
	require.Equal(t, "offered", rec.GetString("status"))
	tok := assigneeToken(t, w, rec)
	id := rec.Id

	// before acceptance: every channel a partner has
	probes := []string{
		url("leads", id),
		url("leads", id) + "?expand=lead_contacts_via_lead",
		url("leads") + "?expand=lead_contacts_via_lead",
		url("leads") + "?filter=" + urlQuery("lead_contacts_via_lead.email~'canary'"),
		url("leads") + "?filter=" + urlQuery("lead_contacts_via_lead.phone='"+canaryPhone+"'"),
		url("leads") + "?sort=lead_contacts_via_lead.email",
		url("lead_contacts"),
		url("lead_contacts") + "?filter=" + urlQuery("lead='"+id+"'"),
		url("lead_offers") + "?expand=lead",
		url("notifications"),
		url("activities") + "?expand=lead",
	}
	for _, p := range probes {
		res := w.client.Do(http.MethodGet, p, tok, nil)
		noCanary(t, p, res.Body)
	}
	// the filter oracle: filtering on the contact gives the same answer as on nonsense
	a := w.client.Do(http.MethodGet, url("leads")+"?filter="+urlQuery("lead_contacts_via_lead.email~'canary'"), tok, nil)
	b := w.client.Do(http.MethodGet, url("leads")+"?filter="+urlQuery("lead_contacts_via_lead.email~'zzzz-nothing'"), tok, nil)
	assert.Equal(t, canonicalJSON(a.Body), canonicalJSON(b.Body), "filtering on the hidden contact must not narrow the result")
	// the view of the contact itself
	ct, err := w.app.FindFirstRecordByFilter("lead_contacts", "lead = {:l}", dbx.Params{"l": id})
	require.NoError(t, err)
	res := w.client.Do(http.MethodGet, url("lead_contacts", ct.Id), tok, nil)
	assert.Equal(t, http.StatusNotFound, res.Status)
	noCanary(t, "contact view", res.Body)
	// realtime uses the same ViewRule check
	contacts, err := w.app.FindCollectionByNameOrId("lead_contacts")
	require.NoError(t, err)
	assignee, err := w.app.FindRecordById("users", rec.GetString("assignee"))
	require.NoError(t, err)
	ok, err := w.app.CanAccessRecord(ct, &core.RequestInfo{Auth: assignee, Method: http.MethodGet}, contacts.ViewRule)
	require.NoError(t, err)
	assert.False(t, ok, "realtime must not deliver the contact before acceptance")
	// the offer e-mails carry no contact detail (and do carry the lead)
	flushMail(t, w)
	require.NotZero(t, w.app.TestMailer.TotalSend())
	for _, m := range w.app.TestMailer.Messages() {
		noCanary(t, "e-mail "+m.Subject, m.Subject+m.Text+m.HTML)
		assert.Contains(t, m.Text, "Ferme du Canari")
	}
	// error texts: a decline without reason, an accept by the wrong partner
	res = w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/decline", tok, map[string]any{"reason": ""})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	noCanary(t, "decline error", res.Body)
	res = w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/accept", w.tokens["pu2"], nil)
	assert.Equal(t, http.StatusNotFound, res.Status)
	noCanary(t, "foreign accept", res.Body)

	// acceptance
	res = w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/accept", tok, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = w.client.Do(http.MethodGet, url("leads", id)+"?expand=lead_contacts_via_lead", tok, nil)
	assert.Contains(t, res.Body, canaryEmail, "the accepting partner now sees the contact")
	assert.Contains(t, res.Body, canaryPhone)
	// the other partners still do not
	for _, other := range []string{"pu2", "pm2"} {
		for _, p := range probes {
			noCanary(t, other+" "+p, w.client.Do(http.MethodGet, p, w.tokens[other], nil).Body)
		}
	}
	// offer row and audit
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_offers WHERE lead = {:l} AND outcome = 'accepted'", dbx.Params{"l": id}))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'offer.accept' AND record = {:l}", dbx.Params{"l": id}))
}

func TestConcurrentAcceptsHaveOneWinner(t *testing.T) {
	w, _ := distWorld(t)
	lead := readyLead(t, w, "RACE-1")
	rec := leadRec(t, w, lead["id"].(string))
	tok := assigneeToken(t, w, rec)
	var wg sync.WaitGroup
	statuses := make([]int, 20)
	for i := range statuses {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			statuses[i] = w.client.Do(http.MethodPost, "/api/prm/leads/"+rec.Id+"/accept", tok, nil).Status
		}(i)
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			conflict++
		}
	}
	assert.Equal(t, 1, ok, "statuses: %v", statuses)
	assert.Equal(t, 19, conflict, "statuses: %v", statuses)
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_offers WHERE lead = {:l} AND outcome = 'accepted'", dbx.Params{"l": rec.Id}))
}

func TestDeclineAndExpiryMoveToTheNextCandidate(t *testing.T) {
	w, p3 := distWorld(t)
	lead := readyLead(t, w, "NEXT-1")
	rec := leadRec(t, w, lead["id"].(string))
	first := rec.GetString("partner")
	require.Contains(t, []string{w.P1, p3}, first)

	// the first partner lets the offer expire
	_, err := w.app.DB().NewQuery("UPDATE leads SET accept_by = {:t} WHERE id = {:id}").
		Bind(dbx.Params{"t": time.Now().Add(-time.Minute).UTC().Format("2006-01-02 15:04:05.000Z"), "id": rec.Id}).Execute()
	require.NoError(t, err)
	// an accept after the deadline is refused
	res := w.client.Do(http.MethodPost, "/api/prm/leads/"+rec.Id+"/accept", assigneeToken(t, w, rec), nil)
	assert.Equal(t, http.StatusConflict, res.Status, res.Body)
	n, err := distribution.ExpireOffers(w.app, time.Now())
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	rec = leadRec(t, w, rec.Id)
	second := rec.GetString("partner")
	assert.Equal(t, "offered", rec.GetString("status"))
	assert.NotEqual(t, first, second, "never back to the partner that let it expire")
	assert.Contains(t, []string{w.P1, p3}, second)

	// the second declines (with a reason given as free text: "other" with
	// it as note): max offers (2) reached → back to the pool
	res = w.client.Do(http.MethodPost, "/api/prm/leads/"+rec.Id+"/decline", assigneeToken(t, w, rec), map[string]any{"reason": "Capacité atteinte"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	rec = leadRec(t, w, rec.Id)
	assert.Equal(t, "recycled", rec.GetString("status"))
	assert.Empty(t, rec.GetString("partner"))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_offers WHERE lead = {:l} AND outcome = 'expired'", dbx.Params{"l": rec.Id}))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_offers WHERE lead = {:l} AND outcome = 'declined' AND reason_code = 'other' AND reason_note = 'Capacité atteinte'", dbx.Params{"l": rec.Id}))
	// the channel manager of T1 is alerted
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM notifications WHERE user = {:u} AND kind = 'lead_back_to_pool'", dbx.Params{"u": w.uid("channel_manager")}))
	for _, a := range []string{"offer.expire", "offer.decline", "lead.back_to_pool"} {
		assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = {:a} AND record = {:l}", dbx.Params{"a": a, "l": rec.Id}), a)
	}
	// a re-distribution never offers it again to either
	require.NoError(t, w.app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById("leads", rec.Id)
		if err != nil {
			return err
		}
		r.Set("offers_count", 0) // even with the counter reset
		if err := tx.Save(r); err != nil {
			return err
		}
		res, err := distribution.Distribute(tx, rec.Id, audit.SystemActor("test"), time.Now())
		assert.False(t, res.Offered, "%+v", res)
		return err
	}))
}

func TestDuplicateOfAPartnersLeadIsHeld(t *testing.T) {
	w, _ := distWorld(t)
	// P2 already works this customer
	own := w.lead(leadShape{partner: "P2", assignee: "pu2", territory: "T2", status: "accepted", createdBy: "teleoperator"})
	w.contactOf(own, "jeanne@fournil.fr")
	_, err := w.app.DB().NewQuery("INSERT INTO dedup_keys (id, key, kind, record, partner, created, updated) VALUES ('dk1', 'email:jeanne@fournil.fr', 'lead', {:l}, {:p}, '', '')").
		Bind(dbx.Params{"l": own.Id, "p": w.P2}).Execute()
	require.NoError(t, err)

	b := ingestBody("DUP-1")
	b["score"] = 95 // would be distributed at once
	b["contact"] = map[string]any{"email": "Jeanne@Fournil.fr"}
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var lead map[string]any
	res.JSON(t, &lead)
	rec := leadRec(t, w, lead["id"].(string))
	assert.True(t, rec.GetBool("held"))
	assert.Equal(t, own.Id, rec.GetString("duplicate_of"))
	assert.Equal(t, "ready", rec.GetString("status"))
	assert.Empty(t, rec.GetString("partner"), "a held lead is offered to nobody")
	// the jobs do not distribute it either
	_, err = distribution.DistributePending(w.app, time.Now())
	require.NoError(t, err)
	rec = leadRec(t, w, rec.Id)
	assert.Empty(t, rec.GetString("partner"))
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM lead_offers WHERE lead = {:l}", dbx.Params{"l": rec.Id}))
	// the channel manager arbitrates: hands it to P2 (its own customer)
	cm := w.users["channel_manager"]
	cm.Set("territories", []string{w.T1, w.T2})
	require.NoError(t, w.app.Save(cm))
	res = w.client.Do(http.MethodPost, "/api/prm/leads/"+rec.Id+"/assign", tokenOf(t, w, cm), map[string]any{"partner": w.P2})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, w.P2, leadRec(t, w, rec.Id).GetString("partner"))
}

func TestManualAssignAuthorization(t *testing.T) {
	w, p3 := distWorld(t)
	inT1 := w.lead(leadShape{territory: "T1", status: "ready", createdBy: "teleoperator"})
	inT2 := w.lead(leadShape{territory: "T2", status: "ready", createdBy: "teleoperator"})
	cases := []struct {
		who, lead, partner string
		want               int
	}{
		{"channel_manager", inT2.Id, w.P2, http.StatusNotFound}, // not his territory
		{"partner_manager", inT1.Id, w.P1, http.StatusForbidden},
		{"teleoperator", inT1.Id, w.P1, http.StatusForbidden},
		{"sales", inT1.Id, w.P1, http.StatusForbidden},
		{"integration", inT1.Id, w.P1, http.StatusForbidden},
		{"channel_manager", inT1.Id, p3, http.StatusOK},
		{"channel_manager", inT1.Id, w.P1, http.StatusOK}, // reassign: withdraws p3's offer
		{"admin", inT2.Id, w.P2, http.StatusOK},
	}
	for _, c := range cases {
		res := w.client.Do(http.MethodPost, "/api/prm/leads/"+c.lead+"/assign", w.tokens[c.who], map[string]any{"partner": c.partner})
		assert.Equal(t, c.want, res.Status, "%s → %s: %s", c.who, c.partner, res.Body)
	}
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_offers WHERE lead = {:l} AND outcome = 'withdrawn' AND partner = {:p}", dbx.Params{"l": inT1.Id, "p": p3}))
	assert.Equal(t, w.P1, leadRec(t, w, inT1.Id).GetString("partner"))
}

func TestStatusTransitionsAndActivities(t *testing.T) {
	w, _ := distWorld(t)
	lead := w.lead(ownLead("partner_user"))
	pu := w.tokens["partner_user"]
	patch := func(body map[string]any) (int, string) {
		res := w.client.Do(http.MethodPatch, url("leads", lead.Id), pu, body)
		return res.Status, res.Body
	}
	s, body := patch(map[string]any{"status": "contacted"})
	require.Equal(t, http.StatusOK, s, body)
	s, body = patch(map[string]any{"status": "won"})
	assert.Equal(t, http.StatusBadRequest, s)
	assert.Contains(t, body, "won_amount")
	s, body = patch(map[string]any{"status": "new"})
	assert.Equal(t, http.StatusBadRequest, s, body)
	s, body = patch(map[string]any{"status": "won", "won_amount": 18500})
	require.Equal(t, http.StatusOK, s, body)
	assert.NotEmpty(t, leadRec(t, w, lead.Id).GetString("closed_at"))

	// an offered lead is accepted through the route, not by PATCH
	offered := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "offered"})
	res := w.client.Do(http.MethodPatch, url("leads", offered.Id), pu, map[string]any{"status": "accepted"})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assert.Contains(t, res.Body, "accept")

	// teleoperators qualify pool leads, and lose them once they leave the pool
	pool := w.lead(leadShape{territory: "T2", status: "qualifying"})
	tel := w.tokens["teleoperator"]
	res = w.client.Do(http.MethodPatch, url("leads", pool.Id), tel, map[string]any{"status": "ready", "score": 30})
	assert.Equal(t, http.StatusBadRequest, res.Status, "below the threshold")
	res = w.client.Do(http.MethodPatch, url("leads", pool.Id), tel, map[string]any{"status": "ready", "score": 75, "qualification_notes": "x"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = w.client.Do(http.MethodPatch, url("leads", offered.Id), tel, map[string]any{"score": 10})
	assert.Equal(t, http.StatusNotFound, res.Status)

	// activities: the author is the caller; partners cannot log internal ones
	res = w.client.Do(http.MethodPost, url("activities"), pu, map[string]any{"lead": lead.Id, "kind": "meeting", "summary": "Visite", "author": w.uid("pu2")})
	assert.Equal(t, http.StatusBadRequest, res.Status, "a forged author is refused")
	res = w.client.Do(http.MethodPost, url("activities"), pu, map[string]any{"lead": lead.Id, "kind": "meeting", "summary": "Visite"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var act map[string]any
	res.JSON(t, &act)
	assert.Equal(t, w.uid("partner_user"), act["author"])
	res = w.client.Do(http.MethodPost, url("activities"), pu, map[string]any{"lead": lead.Id, "kind": "note", "summary": "x", "internal": true})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	internal := w.mk("activities", map[string]any{"lead": lead.Id, "kind": "call", "summary": "CANARY-INTERNAL", "internal": true, "author": w.uid("teleoperator")})
	res = w.client.Do(http.MethodGet, url("activities")+"?perPage=200", pu, nil)
	assert.NotContains(t, res.Body, "CANARY-INTERNAL")
	assert.Equal(t, http.StatusNotFound, w.client.Do(http.MethodGet, url("activities", internal.Id), pu, nil).Status)
	assert.False(t, strings.Contains(w.client.Do(http.MethodGet, url("activities")+"?perPage=200", pu, nil).Body, "recording"), "recordings are hidden from partners")
}
