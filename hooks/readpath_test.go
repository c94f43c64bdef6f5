package hooks_test

import (
	"net/http"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
)

// The Go read path returns exactly what the REST API lists, for every role.
func TestReadPathMatchesREST(t *testing.T) {
	w := newWorld(t)
	for _, role := range []string{"admin", "channel_manager", "sales", "teleoperator", "partner_manager", "partner_user", "integration"} {
		w.lead(ownLead(role))
		w.lead(foreignLead(role))
	}
	for _, key := range []string{"admin", "channel_manager", "sales", "teleoperator", "partner_manager", "partner_user", "integration", "pu2"} {
		for _, coll := range []string{"leads", "lead_contacts", "partners", "users", "deal_terms"} {
			res := w.client.Do(http.MethodGet, url(coll)+"?perPage=200&skipTotal=1", w.tokens[key], nil)
			var page struct {
				Items []struct {
					ID string `json:"id"`
				} `json:"items"`
			}
			var rest []string
			if res.Status == http.StatusOK {
				res.JSON(t, &page)
				for _, it := range page.Items {
					rest = append(rest, it.ID)
				}
			}
			recs, _, err := access.ListFor(w.app, w.users[key], coll, access.ListQuery{PerPage: 200})
			if res.Status == http.StatusForbidden {
				assert.ErrorIs(t, err, domain.ErrForbidden, "%s %s", key, coll)
				continue
			}
			require.NoError(t, err)
			var got []string
			for _, r := range recs {
				got = append(got, r.Id)
				_, verr := access.ViewFor(w.app, w.users[key], coll, r.Id)
				assert.NoError(t, verr)
			}
			sort.Strings(rest)
			sort.Strings(got)
			assert.Equal(t, rest, got, "%s %s", key, coll)
		}
	}
	// a foreign lead is not viewable through the Go path
	foreign := w.lead(foreignLead("partner_user"))
	_, err := access.ViewFor(w.app, w.users["partner_user"], "leads", foreign.Id)
	assert.ErrorIs(t, err, domain.ErrNotVisible)
	// and a client filter on a hidden field is refused, not an oracle
	_, _, err = access.ListFor(w.app, w.users["partner_user"], "leads", access.ListQuery{Filter: "source_ref != ''"})
	assert.Error(t, err)
}
