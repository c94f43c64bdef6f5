package hooks_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heldConflict makes a lead held as a channel conflict: P1's salesperson
// works a customer (accepted lead, contact, duplicate key) and the same
// customer comes in again through the API. It returns the held lead's id
// and the id of the lead it matched.
func heldConflict(t *testing.T, w *world, ref string) (held, own string) {
	t.Helper()
	email := "client-" + ref + "@armor-serres.fr"
	o := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted", createdBy: "teleoperator"})
	w.contactOf(o, email)
	_, err := w.app.DB().NewQuery("INSERT INTO dedup_keys (id, key, kind, record, partner, created, updated) VALUES ({:id}, {:k}, 'lead', {:l}, {:p}, '', '')").
		Bind(dbx.Params{"id": "dk" + ref, "k": "email:" + email, "l": o.Id, "p": w.P1}).Execute()
	require.NoError(t, err)
	b := ingestBody("ARB-" + ref)
	b["company"] = "Serres d'Armor " + ref
	b["score"] = 95
	b["contact"] = map[string]any{"first_name": "Loïc", "last_name": "Canary", "email": email}
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var lead map[string]any
	res.JSON(t, &lead)
	rec := leadRec(t, w, lead["id"].(string))
	require.True(t, rec.GetBool("held"))
	return rec.Id, o.Id
}

var arbitrationRoutes = []struct{ method, path string }{
	{http.MethodGet, "/conflict"},
	{http.MethodPost, "/conflict/assign-holder"},
	{http.MethodPost, "/conflict/assign"},
	{http.MethodPost, "/conflict/merge"},
	{http.MethodPost, "/conflict/return"},
	{http.MethodPost, "/conflict/dismiss"},
}

// Only channel managers (in their territories) and admins see the two
// sides of a held lead and arbitrate it; every other role gets 403, and
// nothing of either side (the holder's name, the matched lead, the
// customer's e-mail) is in the answer.
func TestArbitrationAuthorization(t *testing.T) {
	w, p3 := distWorld(t)
	held, own := heldConflict(t, w, "auth")
	cases := []struct {
		role   string
		status int
	}{
		{"sales", http.StatusForbidden}, {"teleoperator", http.StatusForbidden}, {"partner_manager", http.StatusForbidden},
		{"partner_user", http.StatusForbidden}, {"pm2", http.StatusForbidden}, {"pu2", http.StatusForbidden},
		{"integration", http.StatusForbidden},
	}
	for _, c := range cases {
		for _, r := range arbitrationRoutes {
			res := w.client.Do(r.method, "/api/prm/leads/"+held+r.path, w.tokens[c.role], map[string]any{"reason": "Même client", "partner": p3})
			assert.Equal(t, c.status, res.Status, "%s %s %s: %s", c.role, r.method, r.path, res.Body)
			for _, leak := range []string{own, "Soleil Ouest", "client-auth@armor-serres.fr", w.P1} {
				assert.NotContains(t, res.Body, leak, "%s %s", c.role, r.path)
			}
		}
	}
	assert.True(t, leadRec(t, w, held).GetBool("held"), "nobody but a manager changed it")

	// the channel manager of T1 sees both sides and which key matched
	res := w.client.Do(http.MethodGet, "/api/prm/leads/"+held+"/conflict", w.tokens["channel_manager"], nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var sides struct {
		Kind    string         `json:"kind"`
		Record  string         `json:"record"`
		Matched map[string]any `json:"matched"`
		Holder  map[string]any `json:"holder"`
		Keys    []struct{ Kind, Value string }
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &sides))
	assert.Equal(t, "lead", sides.Kind)
	assert.Equal(t, own, sides.Record)
	assert.Equal(t, own, sides.Matched["id"])
	assert.Equal(t, "Soleil Ouest", sides.Holder["name"])
	require.Len(t, sides.Keys, 1)
	assert.Equal(t, "email", sides.Keys[0].Kind)
	assert.Equal(t, "client-auth@armor-serres.fr", sides.Keys[0].Value)

	// a held lead outside the manager's territories is not there for them
	t2 := w.lead(leadShape{territory: "T2", status: "ready", createdBy: "teleoperator"})
	_, err := w.app.DB().NewQuery("UPDATE leads SET held = 1, conflict_kind = 'lead', conflict_ref = {:o}, conflict_partner = {:p} WHERE id = {:id}").
		Bind(dbx.Params{"o": own, "p": w.P1, "id": t2.Id}).Execute()
	require.NoError(t, err)
	for _, r := range arbitrationRoutes {
		res := w.client.Do(r.method, "/api/prm/leads/"+t2.Id+r.path, w.tokens["channel_manager"], map[string]any{"reason": "Même client", "partner": w.P2})
		assert.Equal(t, http.StatusNotFound, res.Status, "%s %s", r.path, res.Body)
		assert.NotContains(t, res.Body, "Soleil Ouest")
	}
	// the admin may
	res = w.client.Do(http.MethodGet, "/api/prm/leads/"+t2.Id+"/conflict", w.tokens["admin"], nil)
	assert.Equal(t, http.StatusOK, res.Status, res.Body)

	// a manager whose role may not read contacts gets the key's kind, not
	// the customer's e-mail
	res = w.client.Do(http.MethodPatch, url("permissions", permissionID(t, w, "channel_manager", "lead_contacts")), w.tokens["admin"], map[string]any{"read": "none", "update": "none", "create": false, "export": false})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = w.client.Do(http.MethodGet, "/api/prm/leads/"+held+"/conflict", w.tokens["channel_manager"], nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	require.NoError(t, json.Unmarshal([]byte(res.Body), &sides))
	require.Len(t, sides.Keys, 1)
	assert.Equal(t, "email", sides.Keys[0].Kind)
	assert.Empty(t, sides.Keys[0].Value)
	keys, err := json.Marshal(sides.Keys)
	require.NoError(t, err)
	assert.NotContains(t, string(keys), "client-auth")
}

// Each decision, through the REST API: what it does to the lead, the
// matched lead and the audit log.
func TestArbitrationActions(t *testing.T) {
	w, p3 := distWorld(t)
	cm := w.tokens["channel_manager"]
	arbitrate := func(id, path string, body map[string]any) (int, string) {
		res := w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/conflict/"+path, cm, body)
		return res.Status, res.Body
	}
	audited := func(id, action string) int {
		return countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE record = {:l} AND action = 'lead.arbitrate' AND json_extract(changes, '$.action') = {:a} AND json_extract(changes, '$.reason') != ''",
			dbx.Params{"l": id, "a": action})
	}

	t.Run("a reason is required", func(t *testing.T) {
		held, _ := heldConflict(t, w, "noreason")
		status, body := arbitrate(held, "dismiss", map[string]any{"reason": " "})
		assert.Equal(t, http.StatusBadRequest, status, body)
		assert.True(t, leadRec(t, w, held).GetBool("held"))
	})
	t.Run("assign to the holder", func(t *testing.T) {
		held, _ := heldConflict(t, w, "holder")
		status, body := arbitrate(held, "assign-holder", map[string]any{"reason": "Client suivi par Soleil Ouest"})
		require.Equal(t, http.StatusOK, status, body)
		rec := leadRec(t, w, held)
		assert.False(t, rec.GetBool("held"))
		assert.Equal(t, "offered", rec.GetString("status"))
		assert.Equal(t, w.P1, rec.GetString("partner"))
		assert.Equal(t, 1, audited(held, "assign_holder"))
		// decided once: a second decision finds nothing held
		status, _ = arbitrate(held, "dismiss", map[string]any{"reason": "encore"})
		assert.Equal(t, http.StatusConflict, status)
	})
	t.Run("assign elsewhere", func(t *testing.T) {
		held, own := heldConflict(t, w, "other")
		status, body := arbitrate(held, "assign", map[string]any{"reason": "Le client a demandé un autre installateur", "partner": p3})
		require.Equal(t, http.StatusOK, status, body)
		rec := leadRec(t, w, held)
		assert.Equal(t, p3, rec.GetString("partner"))
		assert.Equal(t, "offered", rec.GetString("status"))
		assert.Equal(t, 1, audited(held, "assign_other"))
		// the new partner reads its offer, never the other side
		res := w.client.Do(http.MethodGet, "/api/collections/leads/records/"+held, w.tokens["pu3"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		for _, leak := range []string{own, w.P1, "conflict"} {
			assert.NotContains(t, res.Body, leak)
		}
	})
	t.Run("merge into the existing lead", func(t *testing.T) {
		held, own := heldConflict(t, w, "merge")
		note := w.mk("activities", map[string]any{"lead": held, "kind": "call", "summary": "Rappel du client: même projet", "author": w.uid("teleoperator"), "internal": false})
		status, body := arbitrate(held, "merge", map[string]any{"reason": "Même projet, déjà suivi"})
		require.Equal(t, http.StatusOK, status, body)
		rec := leadRec(t, w, held)
		assert.False(t, rec.GetBool("held"))
		assert.Equal(t, "lost", rec.GetString("status"))
		assert.Equal(t, "merged", rec.GetString("lost_reason"))
		assert.Equal(t, own, rec.GetString("duplicate_of"))
		moved, err := w.app.FindRecordById("activities", note.Id)
		require.NoError(t, err)
		assert.Equal(t, own, moved.GetString("lead"), "the activity is kept on the existing lead")
		assert.True(t, moved.GetBool("internal"), "and stays internal: the holder never reads the duplicate's notes")
		assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM activities WHERE lead = {:l} AND kind = 'note' AND internal = 1 AND summary LIKE '%Même projet%'", dbx.Params{"l": own}))
		assert.Equal(t, 1, audited(held, "merge"))
		// the holder's salesperson sees neither the note nor the moved call
		res := w.client.Do(http.MethodGet, "/api/collections/activities/records?perPage=100", w.tokens["partner_user"], nil)
		require.Equal(t, http.StatusOK, res.Status)
		assert.NotContains(t, res.Body, "Même projet")
		assert.NotContains(t, res.Body, held)
	})
	t.Run("merge needs a matched lead", func(t *testing.T) {
		held, _ := heldConflict(t, w, "acct")
		_, err := w.app.DB().NewQuery("UPDATE leads SET conflict_kind = 'account', duplicate_of = '' WHERE id = {:id}").Bind(dbx.Params{"id": held}).Execute()
		require.NoError(t, err)
		status, body := arbitrate(held, "merge", map[string]any{"reason": "Même client"})
		assert.Equal(t, http.StatusConflict, status, body)
		assert.Contains(t, body, "not_mergeable")
	})
	t.Run("return to pool", func(t *testing.T) {
		held, _ := heldConflict(t, w, "pool")
		status, body := arbitrate(held, "return", map[string]any{"reason": "À requalifier par téléphone"})
		require.Equal(t, http.StatusOK, status, body)
		rec := leadRec(t, w, held)
		assert.False(t, rec.GetBool("held"))
		assert.Equal(t, "qualifying", rec.GetString("status"))
		assert.Empty(t, rec.GetString("partner"))
		assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM lead_offers WHERE lead = {:l}", dbx.Params{"l": held}))
		assert.Equal(t, 1, audited(held, "return_pool"))
	})
	t.Run("dismiss: not a duplicate, offered at once", func(t *testing.T) {
		held, _ := heldConflict(t, w, "dismiss")
		status, body := arbitrate(held, "dismiss", map[string]any{"reason": "Homonyme, autre site"})
		require.Equal(t, http.StatusOK, status, body)
		rec := leadRec(t, w, held)
		assert.False(t, rec.GetBool("held"))
		assert.Empty(t, rec.GetString("duplicate_of"))
		assert.Empty(t, rec.GetString("conflict_ref"))
		assert.Equal(t, "offered", rec.GetString("status"))
		assert.NotEmpty(t, rec.GetString("partner"))
		assert.Equal(t, 1, audited(held, "dismiss"))
	})
}
