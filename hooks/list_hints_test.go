package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
)

// Partner and territory lists use an index of the listed table, never a
// scan, and the hint never changes the result.
func TestListHintsUseIndexes(t *testing.T) {
	w := newWorld(t)
	for i := 0; i < 30; i++ {
		w.lead(ownLead("partner_user"))
		w.lead(foreignLead("partner_user"))
		w.lead(ownLead("channel_manager"))
		w.lead(ownLead("teleoperator"))
	}
	cases := map[string]string{
		"partner_user":    "idx_leads_partner",
		"partner_manager": "idx_leads_partner",
		"channel_manager": "idx_leads_territory",
	}
	for who, index := range cases {
		plan, err := access.ListPlan(w.app, w.users[who], "leads", "")
		require.NoError(t, err)
		joined := strings.Join(plan, "\n")
		assert.Contains(t, joined, "SEARCH leads USING INDEX "+index, "%s:\n%s", who, joined)
		assert.NotContains(t, joined, "SCAN leads", "%s:\n%s", who, joined)
	}
	// the hint is a superset of the rule: the REST result equals the rule alone
	for _, who := range []string{"partner_user", "partner_manager", "channel_manager", "teleoperator", "pu2"} {
		hint := access.ListHint(w.app, w.users[who], "leads", time.Now())
		require.NotEmpty(t, hint, who)
		res := w.client.Do(http.MethodGet, url("leads")+"?perPage=200&skipTotal=1&filter="+urlQuery("status != 'zzz'"), w.tokens[who], nil)
		require.Equal(t, http.StatusOK, res.Status)
		var page struct {
			Items []map[string]any `json:"items"`
		}
		res.JSON(t, &page)
		leads, err := w.app.FindCollectionByNameOrId("leads")
		require.NoError(t, err)
		all, err := w.app.FindAllRecords("leads")
		require.NoError(t, err)
		want := 0
		for _, l := range all {
			ok, err := w.app.CanAccessRecord(l, requestInfoOf(w, who), leads.ListRule)
			require.NoError(t, err)
			if ok {
				want++
			}
		}
		assert.Equal(t, want, len(page.Items), who)
	}
}
