package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/internal/testapp"
)

// A channel manager's rules name the territories of its running grants
// (access.SpecializeRule, rulespec/grants.go), and the caller's values are
// remembered for its auth record (rulespec_memo.go). A grant revoked,
// deleted or expired must stop applying at the very next read, the
// remembered values notwithstanding, and every read must answer as the
// stored rule does.

// grantCase is a world with a channel manager without territories of
// its own ("cm_g") and a lead and its contact in each territory.
type grantCase struct {
	w             *world
	auth          *core.Record // one auth record for every read: the memo's key
	lead1, lead2  string
	contact2, tok string
}

func newGrantCase(t *testing.T) *grantCase {
	w := newWorld(t)
	u := w.addUser("cm_g", "channel_manager", "")
	u.Set("territories", []string{})
	require.NoError(t, w.app.Save(u))
	l1 := w.lead(leadShape{territory: "T1", status: "new", createdBy: "teleoperator"})
	l2 := w.lead(leadShape{territory: "T2", status: "new", createdBy: "teleoperator"})
	w.contactOf(l1, "un@example.test")
	c2 := w.contactOf(l2, "deux@example.test")
	auth, err := w.app.FindRecordById("users", u.Id)
	require.NoError(t, err)
	return &grantCase{w: w, auth: auth, lead1: l1.Id, lead2: l2.Id, contact2: c2.Id, tok: testapp.Token(t, w.app, auth)}
}

func (g *grantCase) grant(territory string, starts, expires time.Time) *core.Record {
	s, _ := types.ParseDateTime(starts)
	e, _ := types.ParseDateTime(expires)
	return g.w.grantOf(g.auth.Id, "territory", territory, s, e, "Renfort")
}

// visible lists leads and lead contacts through the read path (with the
// specialization on and, as the reference, off: both must agree) and the
// REST list, and views each lead; it returns the ids seen.
func (g *grantCase) visible(t *testing.T) []string {
	t.Helper()
	read := func(on bool) []string {
		access.SetRuleSpecialization(g.w.app, on)
		defer access.SetRuleSpecialization(g.w.app, true)
		var ids []string
		for _, coll := range []string{"leads", "lead_contacts"} {
			recs, res, err := access.ListFor(g.w.app, g.auth, coll, access.ListQuery{Sort: "id", PerPage: 100, Count: true})
			require.NoError(t, err)
			require.Equal(t, len(recs), res.TotalItems, coll)
			n, err := access.CountFor(g.w.app, g.auth, coll, nil, 100)
			require.NoError(t, err)
			require.Equal(t, len(recs), n, coll)
			for _, r := range recs {
				ids = append(ids, r.Id)
			}
		}
		for _, id := range []string{g.lead1, g.lead2} {
			if _, err := access.ViewFor(g.w.app, g.auth, "leads", id); err == nil {
				ids = append(ids, "view:"+id)
			}
		}
		slices.Sort(ids)
		return ids
	}
	got := read(true)
	require.Equal(t, read(false), got, "the specialized rules answer as the stored ones")
	rest := func(on bool) []string {
		access.SetRuleSpecialization(g.w.app, on)
		defer access.SetRuleSpecialization(g.w.app, true)
		var ids []string
		for _, coll := range []string{"leads", "lead_contacts"} {
			r := g.w.client.Do(http.MethodGet, "/api/collections/"+coll+"/records?sort=id&perPage=100", g.tok, nil)
			require.Equal(t, http.StatusOK, r.Status, r.Body)
			var page struct {
				TotalItems int
				Items      []struct{ ID string }
			}
			require.NoError(t, json.Unmarshal([]byte(r.Body), &page))
			require.Equal(t, len(page.Items), page.TotalItems)
			for _, it := range page.Items {
				ids = append(ids, it.ID)
			}
		}
		slices.Sort(ids)
		return ids
	}
	restGot := rest(true)
	require.Equal(t, rest(false), restGot, "REST: the specialized rules answer as the stored ones")
	listed := slices.DeleteFunc(slices.Clone(got), func(s string) bool { return strings.HasPrefix(s, "view:") })
	require.Equal(t, listed, restGot, "REST list = read path")
	return got
}

func (g *grantCase) seesLead2(t *testing.T) bool {
	ids := g.visible(t)
	has := slices.Contains(ids, g.lead2)
	require.Equal(t, has, slices.Contains(ids, g.contact2), "the contact follows its lead: %v", ids)
	require.Equal(t, has, slices.Contains(ids, "view:"+g.lead2), "ViewFor follows ListFor: %v", ids)
	require.False(t, slices.Contains(ids, g.lead1), "no grant on T1: %v", ids)
	return has
}

// TestChannelManagerGrantRevokedStopsAtNextRead: a grant deleted, or
// revoked (governance.RevokeGrant), no longer shows its territory's rows
// at the very next read, with the same auth record (whose caller values
// were just remembered) as with a new request.
func TestChannelManagerGrantRevokedStopsAtNextRead(t *testing.T) {
	for _, how := range []string{"delete", "revoke"} {
		t.Run(how, func(t *testing.T) {
			g := newGrantCase(t)
			require.False(t, g.seesLead2(t), "no grant yet")
			gr := g.grant(g.w.T2, time.Now().Add(-time.Hour), time.Now().Add(48*time.Hour))
			require.True(t, g.seesLead2(t), "a running grant on T2")
			// within the memo's lifetime: read, change, read again
			_, _, err := access.ListFor(g.w.app, g.auth, "leads", access.ListQuery{})
			require.NoError(t, err)
			if how == "delete" {
				require.NoError(t, g.w.app.Delete(gr))
			} else {
				require.NoError(t, governance.RevokeGrant(g.w.app, g.w.actor(), gr.Id, time.Now()))
			}
			recs, _, err := access.ListFor(g.w.app, g.auth, "leads", access.ListQuery{})
			require.NoError(t, err)
			require.Empty(t, recs, "the next read after the grant's end")
			require.False(t, g.seesLead2(t))
		})
	}
}

// TestChannelManagerGrantExpiryAndStartAtNextRead: a grant that expires,
// and one that starts, between two reads with the same auth record (the
// remembered grants are checked against each read's now).
func TestChannelManagerGrantExpiryAndStartAtNextRead(t *testing.T) {
	g := newGrantCase(t)
	edge := time.Now().Add(400 * time.Millisecond)
	g.grant(g.w.T2, time.Now().Add(-time.Hour), edge)
	other := g.w.addUser("cm_other", "channel_manager", "")
	// another user's grant on T1 starting at the same time: never the
	// caller's
	s, _ := types.ParseDateTime(edge)
	e, _ := types.ParseDateTime(edge.Add(time.Hour))
	g.w.grantOf(other.Id, "territory", g.w.T1, s, e, "Autre")
	recs, _, err := access.ListFor(g.w.app, g.auth, "leads", access.ListQuery{})
	require.NoError(t, err)
	require.Len(t, recs, 1, "the T2 grant runs")
	require.Equal(t, g.lead2, recs[0].Id)
	time.Sleep(time.Until(edge) + 50*time.Millisecond)
	recs, _, err = access.ListFor(g.w.app, g.auth, "leads", access.ListQuery{})
	require.NoError(t, err)
	require.Empty(t, recs, "the T2 grant expired before this read: %v", recs)
	require.False(t, g.seesLead2(t))

	// a grant starting later on T2
	g2 := newGrantCase(t)
	start := time.Now().Add(400 * time.Millisecond)
	g2.grant(g2.w.T2, start, start.Add(time.Hour))
	recs, _, err = access.ListFor(g2.w.app, g2.auth, "leads", access.ListQuery{})
	require.NoError(t, err)
	require.Empty(t, recs, "not started yet")
	time.Sleep(time.Until(start) + 50*time.Millisecond)
	recs, _, err = access.ListFor(g2.w.app, g2.auth, "leads", access.ListQuery{})
	require.NoError(t, err)
	require.Len(t, recs, 1, "started before this read")
	require.True(t, g2.seesLead2(t), fmt.Sprint(recs))
}
