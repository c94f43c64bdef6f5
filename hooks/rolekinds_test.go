package hooks_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
)

// kindProbe is a custom role whose kind the tests change, with a matrix
// valid for every kind (own leads and opportunities), a user of it in P1,
// an own lead carrying internal-only fields and an opportunity on it
// carrying a conflict.
type kindProbe struct {
	w          *world
	role       string
	lead, opp  string
	token      string
	partnerCap int
}

func newKindProbe(t *testing.T) *kindProbe {
	w := newWorld(t)
	role := w.mk("roles", map[string]any{"name": "probe", "kind": "internal"}).Id
	for _, res := range []string{"leads", "opportunities"} {
		w.mk("permissions", map[string]any{"role": role, "resource": res, "read": "own", "update": "none", "delete": "none"})
	}
	// internal now, partner once the test changes the role's kind
	u := w.addLegacyUser("prober", role, "P1")
	lead := w.mk("leads", map[string]any{"company": "Sonde", "status": "accepted", "country": "FR", "postal_code": "35000",
		"territory": w.T1, "partner": w.P1, "assignee": u.Id, "score": 70, "qualification_notes": "INTERNAL-NOTE", "source": "api", "source_ref": "REF-PROBE"})
	for range 55 {
		w.mk("leads", map[string]any{"company": "Sonde " + w.next(), "status": "accepted", "country": "FR", "postal_code": "35000",
			"territory": w.T1, "partner": w.P1, "assignee": u.Id, "score": 70})
	}
	opp := w.mk("opportunities", map[string]any{"name": "Affaire sonde", "lead": lead.Id, "partner": w.P1, "territory": w.T1,
		"stage": "qualified", "conflict_kind": "lead", "conflict_details": "CONFLICT-DETAILS"})
	return &kindProbe{w: w, role: role, lead: lead.Id, opp: opp.Id, token: w.tokens["prober"], partnerCap: access.DefaultPartnerPageCap}
}

// seen reports what the prober's requests show right now: internal lead
// fields (visibility enrich), the opportunity's conflict (deals enrich)
// and the page size of a large list (governance page cap).
func (p *kindProbe) seen(t *testing.T) (internalFields, conflict bool, perPage int) {
	t.Helper()
	res := p.w.client.Do(http.MethodGet, url("leads", p.lead), p.token, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var lead map[string]any
	res.JSON(t, &lead)
	_, internalFields = lead["qualification_notes"]
	res = p.w.client.Do(http.MethodGet, url("opportunities", p.opp), p.token, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var opp map[string]any
	res.JSON(t, &opp)
	_, conflict = opp["conflict_details"]
	res = p.w.client.Do(http.MethodGet, url("leads")+"?perPage=500&skipTotal=1", p.token, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var list struct {
		PerPage int              `json:"perPage"`
		Items   []map[string]any `json:"items"`
	}
	res.JSON(t, &list)
	return internalFields, conflict, len(list.Items)
}

// A kind changed with raw SQL is seen by every user of role kinds as soon
// as ResetCaches is called (visibility enrich, opportunity enrich, the
// partner page cap). Before, RoleKinds kept its own unguarded copy that
// ResetCaches did not clear.
func TestRoleKindChangedBySQLIsSeenAfterResetCaches(t *testing.T) {
	p := newKindProbe(t)
	internal, conflict, n := p.seen(t)
	require.True(t, internal, "internal kind: internal lead fields")
	require.True(t, conflict, "internal kind: conflicts")
	require.Equal(t, 56, n, "internal kind: no partner cap")

	execSQL(t, p.w, "UPDATE roles SET kind = 'partner' WHERE id = '"+p.role+"'")
	access.ResetCaches(p.w.app)
	internal, conflict, n = p.seen(t)
	assert.False(t, internal, "partner kind: no internal lead fields")
	assert.False(t, conflict, "partner kind: no conflicts")
	assert.Equal(t, p.partnerCap, n, "partner kind: the partner page cap")

	execSQL(t, p.w, "UPDATE roles SET kind = 'internal' WHERE id = '"+p.role+"'")
	access.ResetCaches(p.w.app)
	internal, conflict, n = p.seen(t)
	assert.True(t, internal)
	assert.True(t, conflict)
	assert.Equal(t, 56, n)
}

// A kind changed through the app (the REST API, as an admin would in /_/
// or the UI) is seen by the next request of every user of role kinds.
func TestRoleKindChangedThroughTheAppIsSeenAtOnce(t *testing.T) {
	p := newKindProbe(t)
	internal, _, _ := p.seen(t)
	require.True(t, internal)

	res := p.w.client.Do(http.MethodPatch, url("roles", p.role), p.w.tokens["admin"], map[string]any{"kind": "partner"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	internal, conflict, n := p.seen(t)
	assert.False(t, internal, "partner kind: no internal lead fields")
	assert.False(t, conflict, "partner kind: no conflicts")
	assert.Equal(t, p.partnerCap, n, "partner kind: the partner page cap")
	assert.Equal(t, p.partnerCap, pageCap(t, p.w.app, p.w.users["prober"]), "PageCapFor")

	res = p.w.client.Do(http.MethodPatch, url("roles", p.role), p.w.tokens["admin"], map[string]any{"kind": "integration"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = p.w.client.Do(http.MethodGet, url("leads", p.lead), p.token, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, "REF-PROBE", "integration kind: source_ref of its records")
	assert.NotContains(t, res.Body, "INTERNAL-NOTE", "integration kind: no internal notes")
	internal, conflict, n = p.seen(t)
	assert.False(t, internal)
	assert.False(t, conflict)
	assert.Equal(t, 56, n, "integration kind: no partner cap")
}

// An unreadable matrix is an error for the users of role kinds, never "no
// kind": the partner page cap is not dropped, the enrich hooks do not
// answer.
func TestRoleKindReadErrorFailsClosed(t *testing.T) {
	p := newKindProbe(t)
	execSQL(t, p.w, "UPDATE roles SET kind = 'partner' WHERE id = '"+p.role+"'")
	execSQL(t, p.w, "ALTER TABLE roles RENAME TO roles_unreachable")
	access.ResetCaches(p.w.app)
	res := p.w.client.Do(http.MethodGet, url("leads")+"?perPage=500", p.token, nil)
	assert.Equal(t, http.StatusInternalServerError, res.Status, "a partner list without its cap: %.200s", res.Body)
	_, err := access.PageCapFor(p.w.app, p.w.users["prober"])
	assert.Error(t, err)
}
