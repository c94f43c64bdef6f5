package ui

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/internal/testapp"
)

// statementsLike are the statements of list that contain every part.
func statementsLike(list []string, parts ...string) []string {
	var out []string
	for _, s := range list {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(s, p)
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// A partner's search reads its contacts in one statement for every word
// and field, and takes its total from a page that is not full (no count
// statement); the admin's capped total of a common word comes from the
// index's count (no count statement either). The pages and totals
// themselves are pinned by TestLeadsSearchIsTheBruteForceSearch.
func TestLeadsSearchStatementsAtScale(t *testing.T) {
	e := newEnv(t)
	log := testapp.LogStatements(e.app)
	b := e.signedIn("installer001.sales@demo.test")
	// two words, the second a contact's e-mail of the partner's leads or
	// not: either way one contact statement (the header's unread count is
	// a count of notifications, not of leads)
	var list []string
	var total int
	list = log.Record(func() { _, total, _ = searchLeads(t, b, "rue Martin") })
	assert.Len(t, statementsLike(list, "FROM `lead_contacts`"), 1, "one contact statement for two words:\n%s", strings.Join(list, "\n"))
	assert.Less(t, total, 50, "a page that is not full")
	assert.Empty(t, statementsLike(list, "SELECT COUNT(*) FROM (SELECT DISTINCT", "FROM `leads`"), "no count statement for a page that is not full")

	old := searchCap
	t.Cleanup(func() { searchCap = old })
	searchCap = 5
	var word string
	require.NoError(t, e.app.DB().NewQuery(`SELECT city FROM leads WHERE length(city) >= 3 GROUP BY city ORDER BY COUNT(*) DESC LIMIT 1`).Row(&word))
	a := e.signedIn("admin@demo.test")
	list = log.Record(func() {
		r := a.get("/leads?q=" + url.QueryEscape(word))
		assert.Contains(t, r.Body, "5+")
	})
	assert.Empty(t, statementsLike(list, "SELECT COUNT(*) FROM (SELECT DISTINCT", "FROM `leads`"), "the admin's capped total from the index:\n%s", strings.Join(list, "\n"))
}

// Only a caller whose rule passes every record lists every record.
func TestListsEveryIsTheCallersRuleAlways(t *testing.T) {
	e := newEnv(t)
	for _, email := range srch3Users {
		user := e.user(email)
		for _, coll := range []string{"leads", "lead_contacts"} {
			every, err := access.ListsEvery(e.app, user, coll)
			require.NoError(t, err)
			var all int
			require.NoError(t, e.app.DB().NewQuery("SELECT COUNT(*) FROM "+coll).Row(&all))
			n, err := access.CountFor(e.app, user, coll, nil, 0)
			if err != nil {
				assert.False(t, every, "%s may not list %s", email, coll)
				continue
			}
			assert.Equal(t, n == all, every, "%s lists %d of %d %s", email, n, all, coll)
		}
	}
}
