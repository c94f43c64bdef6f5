package hooks_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/governance"
)

func govFuture(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }

// listIDs lists a collection through the REST API as a user.
func govListIDs(t testing.TB, w *world, token, collection string) []string {
	t.Helper()
	res := w.client.Do(http.MethodGet, url(collection)+"?perPage=200&skipTotal=1", token, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
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
	return ids
}

// Grants: a territory grant widens a channel manager's territory while it
// runs and stops at `expires` with no job running (the rules compare with
// @now); the grant routes are for admins only and refuse invalid grants.
func TestGrants(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	t.Run("territory grant stops at expiry", func(t *testing.T) { territoryGrantStopsAtExpiry(t, w) })
	t.Run("grant routes", func(t *testing.T) { grantRoutes(t, w) })
}

func territoryGrantStopsAtExpiry(t *testing.T, w *world) {
	cm, cmTok := w.users["channel_manager"], w.tokens["channel_manager"] // manages T1 only
	south := w.lead(leadShape{territory: "T2", status: "ready", createdBy: "teleoperator"})
	sees := func() bool {
		t.Helper()
		inList := slices.Contains(govListIDs(t, w, cmTok, "leads"), south.Id)
		view := w.client.Do(http.MethodGet, url("leads", south.Id), cmTok, nil).Status == http.StatusOK
		_, err := access.ViewFor(w.app, cm, "leads", south.Id)
		require.Equal(t, inList, view, "list and view agree")
		require.Equal(t, view, err == nil, "the Go read path agrees")
		return view
	}
	require.False(t, sees(), "no grant yet")

	head := auditHead(t, w.app)
	res := w.client.Do(http.MethodPost, "/api/prm/grants", w.tokens["admin"], map[string]any{
		"user": cm.Id, "kind": "territory", "territory": w.T2, "expires": govFuture(time.Hour), "reason": "remplacement congés",
	})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var grant struct {
		ID string `json:"id"`
	}
	res.JSON(t, &grant)
	e := onlyEntry(t, w.app, head, governance.ActionGrantCreate)
	requireEntryFields(t, e, w.uid("admin"), "admin", "", "grants", grant.ID)
	assert.Equal(t, w.T2, changesOf(t, e)["territory"])
	require.True(t, sees(), "the grant runs")

	// the clock passes expiry; no cron, no hook
	govExec(t, w.app, "UPDATE grants SET expires = {:t} WHERE id = {:id}",
		dbx.Params{"t": time.Now().Add(-time.Second).UTC().Format("2006-01-02 15:04:05.000Z"), "id": grant.ID})
	require.False(t, sees(), "an expired grant stops working by itself")

	// the suspension job then records the expiry, once
	head = auditHead(t, w.app)
	rep, err := governance.RunSuspensions(w.app, time.Now())
	require.NoError(t, err)
	assert.Equal(t, []string{grant.ID}, rep.GrantsExpired)
	onlyEntry(t, w.app, head, governance.ActionGrantExpire)
	head = auditHead(t, w.app)
	rep, err = governance.RunSuspensions(w.app, time.Now())
	require.NoError(t, err)
	assert.True(t, rep.Empty())
	assert.Empty(t, auditSince(t, w.app, head))
}

// grantRoutes: POST /api/prm/grants and /grants/{id}/revoke are for admins
// only; invalid grants are refused.
func grantRoutes(t *testing.T, w *world) {
	body := func(user, kind string) map[string]any {
		return map[string]any{"user": w.uid(user), "kind": kind, "territory": w.T2, "resource": "leads", "expires": govFuture(24 * time.Hour)}
	}
	for _, tc := range []struct {
		who    string
		status int
	}{
		{"", http.StatusUnauthorized}, {"partner_user", http.StatusForbidden}, {"partner_manager", http.StatusForbidden},
		{"channel_manager", http.StatusForbidden}, {"sales", http.StatusForbidden}, {"teleoperator", http.StatusForbidden},
		{"integration", http.StatusForbidden}, {"admin", http.StatusOK},
	} {
		head := auditHead(t, w.app)
		res := w.client.Do(http.MethodPost, "/api/prm/grants", w.tokens[tc.who], body("channel_manager", "territory"))
		assert.Equal(t, tc.status, res.Status, "%s: %s", tc.who, res.Body)
		if tc.status != http.StatusOK {
			assert.Empty(t, auditSince(t, w.app, head), tc.who)
		}
	}
	admin := w.tokens["admin"]
	for name, b := range map[string]map[string]any{
		"territory for a partner role": body("partner_user", "territory"),
		"temporary role":               body("sales", "role"),
		"export of an unknown resource": func() map[string]any {
			b := body("sales", "export")
			b["resource"] = "reports"
			return b
		}(),
		"export of what the role cannot read": func() map[string]any {
			b := body("partner_user", "export")
			b["resource"] = "deal_terms"
			return b
		}(),
		"expiry in the past": func() map[string]any {
			b := body("channel_manager", "territory")
			b["expires"] = govFuture(-time.Hour)
			return b
		}(),
		"more than a year": func() map[string]any {
			b := body("channel_manager", "territory")
			b["expires"] = govFuture(400 * 24 * time.Hour)
			return b
		}(),
		"unknown user": func() map[string]any {
			b := body("channel_manager", "territory")
			b["user"] = "nobody000000000"
			return b
		}(),
	} {
		res := w.client.Do(http.MethodPost, "/api/prm/grants", admin, b)
		assert.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", name, res.Body)
	}

	g, err := w.app.FindFirstRecordByFilter("grants", "user = {:u} && ended_at = ''", dbx.Params{"u": w.uid("channel_manager")})
	require.NoError(t, err)
	for _, who := range []string{"partner_user", "channel_manager", "sales"} {
		assert.Equal(t, http.StatusForbidden, w.client.Do(http.MethodPost, "/api/prm/grants/"+g.Id+"/revoke", w.tokens[who], nil).Status)
	}
	head := auditHead(t, w.app)
	res := w.client.Do(http.MethodPost, "/api/prm/grants/"+g.Id+"/revoke", admin, nil)
	require.Equal(t, http.StatusNoContent, res.Status, res.Body)
	onlyEntry(t, w.app, head, governance.ActionGrantRevoke)
	assert.Equal(t, http.StatusConflict, w.client.Do(http.MethodPost, "/api/prm/grants/"+g.Id+"/revoke", admin, nil).Status)
	assert.Equal(t, http.StatusNotFound, w.client.Do(http.MethodPost, "/api/prm/grants/nope/revoke", admin, nil).Status)
	running, err := governance.ActiveGrants(w.app, w.users["channel_manager"], time.Now())
	require.NoError(t, err)
	assert.Empty(t, running)

	// grants are read-only through the collection API, even for admins
	res = w.client.Do(http.MethodPost, url("grants"), admin, body("channel_manager", "territory"))
	assert.Equal(t, http.StatusForbidden, res.Status, res.Body)
	res = w.client.Do(http.MethodPatch, url("grants", g.Id), admin, map[string]any{"expires": govFuture(time.Hour)})
	assert.Contains(t, []int{http.StatusForbidden, http.StatusNotFound}, res.Status, res.Body)
}
