package hooks_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/internal/testapp"
)

// createRequest files an access request through the REST API.
func createRequest(t *testing.T, w *world, who string, body map[string]any) string {
	t.Helper()
	body["requester"] = w.uid(who)
	if _, ok := body["justification"]; !ok {
		body["justification"] = "besoin pour le salon régional"
	}
	res := w.client.Do(http.MethodPost, url("access_requests"), w.tokens[who], body)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var r struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	res.JSON(t, &r)
	require.Equal(t, "pending", r.Status)
	return r.ID
}

func notificationsOf(t *testing.T, w *world, user string) []*core.Record {
	t.Helper()
	recs, err := w.app.FindRecordsByFilter("notifications", "user = {:u} && kind = 'access_request'", "created", 0, 0, dbx.Params{"u": w.uid(user)})
	require.NoError(t, err)
	return recs
}

// A user files an access request through the REST API (for themselves,
// pending, no decision fields); admins — or the channel manager of the
// territory — approve it with an expiry (creating the grant) or reject it
// with a reason; the requester is notified; every step is audited once.
func TestAccessRequests(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cm2 := w.addUser("cm2", "channel_manager", "")
	cm2.Set("territories", []string{})
	require.NoError(t, w.app.Save(cm2))
	w.tokens["cm2"] = govToken(t, w, "cm2")

	t.Run("REST create rule", func(t *testing.T) {
		head := auditHead(t, w.app)
		id := createRequest(t, w, "partner_user", map[string]any{"kind": "export", "resource": "leads"})
		e := onlyEntry(t, w.app, head, "access_requests.create")
		requireEntryFields(t, e, w.uid("partner_user"), "partner_user", w.P1, "access_requests", id)
		assert.NotEmpty(t, notificationsOf(t, w, "admin"), "admins are told")

		refused := map[string]map[string]any{
			"for someone else":          {"requester": w.uid("sales"), "kind": "export", "resource": "leads", "justification": "x"},
			"already approved":          {"requester": w.uid("partner_user"), "kind": "export", "resource": "leads", "justification": "x", "status": "approved"},
			"with a grant":              {"requester": w.uid("partner_user"), "kind": "export", "resource": "leads", "justification": "x", "grant": "x"},
			"decided by themselves":     {"requester": w.uid("partner_user"), "kind": "export", "resource": "leads", "justification": "x", "decided_by": w.uid("partner_user")},
			"temporary role":            {"requester": w.uid("partner_user"), "kind": "role", "justification": "x"},
			"territory without one":     {"requester": w.uid("partner_user"), "kind": "territory", "justification": "x"},
			"export of no resource":     {"requester": w.uid("partner_user"), "kind": "export", "resource": "reports", "justification": "x"},
			"without any justification": {"requester": w.uid("partner_user"), "kind": "export", "resource": "leads"},
		}
		for name, body := range refused {
			head := auditHead(t, w.app)
			res := w.client.Do(http.MethodPost, url("access_requests"), w.tokens["partner_user"], body)
			assert.Contains(t, []int{http.StatusBadRequest, http.StatusForbidden}, res.Status, "%s: %s", name, res.Body)
			assert.Empty(t, auditSince(t, w.app, head), name)
		}
		res := w.client.Do(http.MethodPost, url("access_requests"), "", map[string]any{"kind": "export", "resource": "leads", "justification": "x"})
		assert.Contains(t, []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden}, res.Status, "guests cannot file requests")
		// a requester sees its own requests only
		assert.Contains(t, govListIDs(t, w, w.tokens["partner_user"], "access_requests"), id)
		assert.NotContains(t, govListIDs(t, w, w.tokens["pu2"], "access_requests"), id)
	})

	t.Run("who may decide", func(t *testing.T) {
		t1 := createRequest(t, w, "cm2", map[string]any{"kind": "territory", "territory": w.T1})
		t2 := createRequest(t, w, "cm2", map[string]any{"kind": "territory", "territory": w.T2})
		exp := createRequest(t, w, "cm2", map[string]any{"kind": "export", "resource": "accounts"})
		approve := func(who, id string) int {
			return w.client.Do(http.MethodPost, "/api/prm/access-requests/"+id+"/approve", w.tokens[who],
				map[string]any{"expires": govFuture(48 * time.Hour), "reason": "ok"}).Status
		}
		for _, tc := range []struct {
			who, id string
			status  int
		}{
			{"", t1, http.StatusUnauthorized},
			{"partner_user", t1, http.StatusForbidden},
			{"partner_manager", t1, http.StatusForbidden},
			{"sales", t1, http.StatusForbidden},
			{"teleoperator", t1, http.StatusForbidden},
			{"integration", t1, http.StatusForbidden},
			{"cm2", t1, http.StatusForbidden},             // their own request
			{"channel_manager", t2, http.StatusNotFound},  // not their territory
			{"channel_manager", exp, http.StatusNotFound}, // exports are for admins
			{"channel_manager", "nope00000000000", http.StatusNotFound},
		} {
			head := auditHead(t, w.app)
			assert.Equal(t, tc.status, approve(tc.who, tc.id), "%s on %s", tc.who, tc.id)
			assert.Empty(t, auditSince(t, w.app, head))
		}
		// the pending list shows each approver what they may decide
		res := w.client.Do(http.MethodGet, "/api/prm/access-requests/pending", w.tokens["channel_manager"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		assert.Contains(t, res.Body, t1)
		assert.NotContains(t, res.Body, t2)
		assert.NotContains(t, res.Body, exp)
		for _, who := range []string{"partner_manager", "partner_user", "sales", "integration"} {
			res := w.client.Do(http.MethodGet, "/api/prm/access-requests/pending", w.tokens[who], nil)
			assert.Equal(t, http.StatusForbidden, res.Status, who)
			assert.NotContains(t, res.Body, t1)
			assert.NotContains(t, res.Body, "justification")
		}
		assert.Equal(t, http.StatusUnauthorized, w.client.Do(http.MethodGet, "/api/prm/access-requests/pending", "", nil).Status)

		// the channel manager of T1 approves the T1 request
		head := auditHead(t, w.app)
		before := len(notificationsOf(t, w, "cm2"))
		require.Equal(t, http.StatusOK, approve("channel_manager", t1))
		e := onlyEntry(t, w.app, head, governance.ActionRequestApprove)
		requireEntryFields(t, e, w.uid("channel_manager"), "channel_manager", "", "access_requests", t1)
		req, err := w.app.FindRecordById("access_requests", t1)
		require.NoError(t, err)
		assert.Equal(t, "approved", req.GetString("status"))
		assert.Equal(t, w.uid("channel_manager"), req.GetString("decided_by"))
		g, err := w.app.FindRecordById("grants", req.GetString("grant"))
		require.NoError(t, err)
		assert.Equal(t, cm2.Id, g.GetString("user"))
		assert.Equal(t, w.T1, g.GetString("territory"))
		assert.WithinDuration(t, time.Now().Add(48*time.Hour), g.GetDateTime("expires").Time(), time.Minute)
		assert.Equal(t, g.Id, changesOf(t, e)["grant"])
		assert.Len(t, notificationsOf(t, w, "cm2"), before+1, "the requester is notified")
		assert.Equal(t, http.StatusConflict, approve("admin", t1), "decided once")

		// the admin approves the T2 request: cm2 now sees T2 leads
		south := w.lead(leadShape{territory: "T2", status: "ready"})
		assert.NotContains(t, govListIDs(t, w, w.tokens["cm2"], "leads"), south.Id)
		require.Equal(t, http.StatusOK, approve("admin", t2))
		assert.Contains(t, govListIDs(t, w, w.tokens["cm2"], "leads"), south.Id)

		// an expiry is required and bounded
		for _, body := range []map[string]any{{"reason": "x"}, {"expires": govFuture(-time.Hour)}, {"expires": "demain"}} {
			res := w.client.Do(http.MethodPost, "/api/prm/access-requests/"+exp+"/approve", w.tokens["admin"], body)
			assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
		}
	})

	t.Run("reject", func(t *testing.T) {
		id := createRequest(t, w, "sales", map[string]any{"kind": "export", "resource": "accounts"})
		reject := func(who string, reason string) int {
			return w.client.Do(http.MethodPost, "/api/prm/access-requests/"+id+"/reject", w.tokens[who], map[string]any{"reason": reason}).Status
		}
		assert.Equal(t, http.StatusForbidden, reject("partner_manager", "non"))
		assert.Equal(t, http.StatusNotFound, reject("channel_manager", "non"))
		assert.Equal(t, http.StatusBadRequest, reject("admin", " "), "a reason is required")
		head := auditHead(t, w.app)
		require.Equal(t, http.StatusNoContent, reject("admin", "pas de besoin démontré"))
		e := onlyEntry(t, w.app, head, governance.ActionRequestReject)
		assert.Equal(t, "pas de besoin démontré", changesOf(t, e)["reason"])
		req, err := w.app.FindRecordById("access_requests", id)
		require.NoError(t, err)
		assert.Equal(t, "rejected", req.GetString("status"))
		assert.Empty(t, req.GetString("grant"))
		notes := notificationsOf(t, w, "sales")
		require.NotEmpty(t, notes)
		assert.Equal(t, "pas de besoin démontré", notes[len(notes)-1].GetString("body"))
		assert.Equal(t, http.StatusConflict, reject("admin", "encore"))
	})

	t.Run("a territory grant for a partner role is refused at approval", func(t *testing.T) {
		id := createRequest(t, w, "partner_manager", map[string]any{"kind": "territory", "territory": w.T2})
		res := w.client.Do(http.MethodPost, "/api/prm/access-requests/"+id+"/approve", w.tokens["admin"], map[string]any{"expires": govFuture(time.Hour)})
		assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
		req, err := w.app.FindRecordById("access_requests", id)
		require.NoError(t, err)
		assert.Equal(t, "pending", req.GetString("status"), "nothing was stored")
		grants, err := w.app.FindAllRecords("grants", dbx.HashExp{"user": w.uid("partner_manager")})
		require.NoError(t, err)
		assert.Empty(t, grants)
	})

	// partners never see other people's requests in the list answer
	res := w.client.Do(http.MethodGet, url("access_requests"), w.tokens["pu2"], nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.NotContains(t, res.Body, w.uid("cm2"))
	cmGrants, err := w.app.FindAllRecords("grants", dbx.HashExp{"user": w.uid("cm2")})
	require.NoError(t, err)
	require.NotEmpty(t, cmGrants)
	for _, g := range cmGrants {
		assert.False(t, slices.Contains(govListIDs(t, w, w.tokens["pu2"], "grants"), g.Id))
		assert.True(t, slices.Contains(govListIDs(t, w, w.tokens["cm2"], "grants"), g.Id), "a user sees their own grants")
	}
}

func govToken(t *testing.T, w *world, key string) string {
	t.Helper()
	u, err := w.app.FindRecordById("users", w.uid(key))
	require.NoError(t, err)
	w.users[key] = u
	return testapp.Token(t, w.app, u)
}
