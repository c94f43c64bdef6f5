package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
)

// restTotal is what the REST API lists for a token (0 when closed).
func restTotal(t *testing.T, w *world, token, collection string) int {
	t.Helper()
	res := w.client.Do(http.MethodGet, url(collection)+"?perPage=1", token, nil)
	if res.Status == http.StatusForbidden || res.Status == http.StatusUnauthorized {
		return 0 // closed collection, or a blocked account: the API shows nothing
	}
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var p struct {
		TotalItems int `json:"totalItems"`
	}
	res.JSON(t, &p)
	return p.TotalItems
}

// The "who sees what" counts are the REST API's, for every account; flags,
// grants and superusers are reported.
func TestAccessReviewCountsMatchREST(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, role := range []string{"admin", "channel_manager", "sales", "teleoperator", "partner_manager", "partner_user", "integration"} {
		w.lead(ownLead(role))
		w.lead(foreignLead(role))
		for _, own := range []bool{true, false} {
			a := w.account(role, own)
			w.mk("contacts", map[string]any{"account": a.Id, "last_name": "C" + w.next()})
		}
	}
	// a territory grant counts, a partner ended shows
	_, err := governance.CreateGrant(w.app, audit.SystemActor("test"), governance.GrantSpec{
		User: w.uid("channel_manager"), Kind: "territory", Territory: w.T2, Expires: time.Now().Add(time.Hour),
	}, time.Now())
	require.NoError(t, err)
	govExec(t, w.app, "UPDATE partners SET status = 'ended' WHERE id = {:id}", dbx.Params{"id": w.P2})
	su := core.NewRecord(govCollection(t, w.app, core.CollectionNameSuperusers))
	su.SetEmail("root@world.test")
	su.SetPassword("root-password-1")
	require.NoError(t, w.app.Save(su))

	rows, err := governance.AccessReview(w.app, time.Now())
	require.NoError(t, err)
	byEmail := map[string]governance.ReviewRow{}
	for _, r := range rows {
		byEmail[r.Email] = r
	}
	require.Len(t, rows, len(w.users)+1)
	for key := range w.users {
		row, ok := byEmail[key+"@world.test"]
		require.True(t, ok, key)
		tok := w.tokens[key]
		assert.Equal(t, restTotal(t, w, tok, "leads"), row.Leads, "%s leads", key)
		assert.Equal(t, restTotal(t, w, tok, "accounts"), row.Accounts, "%s accounts", key)
		assert.Equal(t, restTotal(t, w, tok, "contacts"), row.Contacts, "%s contacts", key)
	}
	cm := byEmail["channel_manager@world.test"]
	assert.Greater(t, cm.Leads, 0)
	require.Len(t, cm.Grants, 1)
	assert.Equal(t, "T2", cm.Grants[0].Territory)
	assert.Equal(t, []string{"T1"}, cm.Territories)
	assert.Contains(t, byEmail["admin@world.test"].Flags, governance.FlagAdmin)
	assert.Contains(t, byEmail["pu2@world.test"].Flags, governance.FlagPartnerEnded)
	assert.Zero(t, byEmail["pu2@world.test"].Leads, "an ended partner sees nothing")
	assert.Contains(t, byEmail["sales@world.test"].Flags, governance.FlagNeverLoggedIn)

	root := byEmail["root@world.test"]
	assert.Equal(t, "superuser", root.Account)
	assert.Contains(t, root.Flags, governance.FlagSuperuser)
	var leads int
	require.NoError(t, w.app.DB().NewQuery("SELECT COUNT(*) FROM leads").Row(&leads))
	assert.Equal(t, leads, root.Leads)
	assert.Equal(t, rows[0].Email, "root@world.test", "superusers first")

	// a deactivated account sees nothing, and is flagged
	u := w.users["teleoperator"]
	u.Set("active", false)
	require.NoError(t, w.app.Save(u))
	rows, err = governance.AccessReview(w.app, time.Now())
	require.NoError(t, err)
	for _, r := range rows {
		if r.ID == u.Id {
			assert.Contains(t, r.Flags, governance.FlagDeactivated)
			assert.Zero(t, r.Leads)
		}
	}

	// the data source route: admins only; nobody else learns who exists
	for _, tc := range []struct {
		who    string
		status int
	}{
		{"", http.StatusUnauthorized}, {"partner_user", http.StatusForbidden}, {"partner_manager", http.StatusForbidden},
		{"channel_manager", http.StatusForbidden}, {"sales", http.StatusForbidden}, {"integration", http.StatusForbidden},
		{"admin", http.StatusOK},
	} {
		res := w.client.Do(http.MethodGet, "/api/prm/access-review", w.tokens[tc.who], nil)
		assert.Equal(t, tc.status, res.Status, tc.who)
		if tc.status == http.StatusOK {
			assert.Contains(t, res.Body, "root@world.test")
		} else {
			assert.NotContains(t, res.Body, "@world.test", tc.who)
		}
	}
}

// A quarterly campaign holds one item per user; decisions are recorded
// once each by admins; revoke deactivates at once; the last decision
// closes the campaign; each step is audited.
func TestAccessReviewCampaign(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	now := time.Now()
	head := auditHead(t, w.app)
	review, created, err := governance.OpenReviewCampaign(w.app, now)
	require.NoError(t, err)
	require.True(t, created)
	assert.Equal(t, governance.ReviewPeriod(now), review.GetString("period"))
	onlyEntry(t, w.app, head, governance.ActionReviewOpen)
	again, created, err := governance.OpenReviewCampaign(w.app, now)
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, review.Id, again.Id)

	items, err := w.app.FindAllRecords("access_review_items", dbx.HashExp{"review": review.Id})
	require.NoError(t, err)
	require.Len(t, items, len(w.users))
	itemOf := map[string]string{}
	for _, it := range items {
		itemOf[it.GetString("user")] = it.Id
		assert.NotEmpty(t, it.GetString("effective_access"))
	}
	decide := func(who, user, decision, note string) int {
		return w.client.Do(http.MethodPost, "/api/prm/access-reviews/items/"+itemOf[w.uid(user)]+"/decide", w.tokens[who],
			map[string]any{"decision": decision, "note": note}).Status
	}
	for _, tc := range []struct {
		who    string
		status int
	}{
		{"", http.StatusUnauthorized}, {"partner_user", http.StatusForbidden}, {"partner_manager", http.StatusForbidden},
		{"channel_manager", http.StatusForbidden}, {"sales", http.StatusForbidden},
	} {
		assert.Equal(t, tc.status, decide(tc.who, "sales2", "keep", ""), tc.who)
	}
	assert.Equal(t, http.StatusForbidden, decide("admin", "admin", "keep", ""), "nobody reviews themselves")
	assert.Equal(t, http.StatusBadRequest, decide("admin", "sales2", "maybe", ""))
	assert.Equal(t, http.StatusBadRequest, decide("admin", "sales2", "change", ""), "a change says what")

	head = auditHead(t, w.app)
	require.Equal(t, http.StatusNoContent, decide("admin", "sales2", "keep", ""))
	e := onlyEntry(t, w.app, head, governance.ActionReviewDecide)
	requireEntryFields(t, e, w.uid("admin"), "admin", "", "access_review_items", itemOf[w.uid("sales2")])
	assert.Equal(t, http.StatusConflict, decide("admin", "sales2", "revoke", ""), "decided once")

	// revoke: the account stops at once, its grants end
	_, err = governance.CreateGrant(w.app, audit.SystemActor("test"), governance.GrantSpec{
		User: w.uid("partner_user"), Kind: "export", Resource: "leads", Expires: now.Add(time.Hour),
	}, now)
	require.NoError(t, err)
	puTok := w.tokens["partner_user"]
	require.Equal(t, http.StatusOK, listStatus(w, puTok))
	head = auditHead(t, w.app)
	require.Equal(t, http.StatusNoContent, decide("admin", "partner_user", "revoke", "a quitté la société"))
	c := changesOf(t, onlyEntry(t, w.app, head, governance.ActionReviewDecide))
	assert.Equal(t, true, c["deactivated"])
	assert.Len(t, c["grants_ended"], 1)
	assert.Equal(t, http.StatusUnauthorized, listStatus(w, puTok))
	pu, err := w.app.FindRecordById("users", w.uid("partner_user"))
	require.NoError(t, err)
	assert.False(t, pu.GetBool("active"))
	running, err := governance.ActiveGrants(w.app, pu, time.Now())
	require.NoError(t, err)
	assert.Empty(t, running)

	// the reviewer's own item is decided by a superuser; the last decision closes the campaign
	su := core.NewRecord(govCollection(t, w.app, core.CollectionNameSuperusers))
	su.SetEmail("root@world.test")
	su.SetPassword("root-password-1")
	require.NoError(t, w.app.Save(su))
	for user, item := range itemOf {
		it, err := w.app.FindRecordById("access_review_items", item)
		require.NoError(t, err)
		if it.GetString("decision") != "" {
			continue
		}
		require.NoError(t, governance.DecideReviewItem(w.app, su, audit.ActorOfUser(su), item, "change", "rôle à revoir", time.Now()), user)
	}
	closed, err := w.app.FindRecordById("access_reviews", review.Id)
	require.NoError(t, err)
	assert.Equal(t, "closed", closed.GetString("status"))
	err = governance.DecideReviewItem(w.app, su, audit.ActorOfUser(su), itemOf[w.uid("sales")], "keep", "", time.Now())
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "closed") || strings.Contains(err.Error(), "decided"), err.Error())

	// reviews are admin-only through the collection API too
	assert.Equal(t, 0, restTotal(t, w, w.tokens["channel_manager"], "access_review_items"))
	assert.Equal(t, len(w.users), restTotal(t, w, w.tokens["admin"], "access_review_items"))
}
