package hooks_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/textindex"
)

// leadsOf are the ids of the leads meeting a condition, sorted.
func leadsOf(t *testing.T, app core.App, where dbx.Expression) []string {
	t.Helper()
	ids := []string{}
	require.NoError(t, app.DB().Select("leads.id").From("leads").AndWhere(where).OrderBy("leads.id").Column(&ids))
	return ids
}

func TestLeadWordsIsEveryWordInTheTextsOrTheContacts(t *testing.T) {
	w := newWorld(t)
	// the companies' words, and the searched ones: plus a word with an "@"
	// (contacts only)
	rng := rand.New(rand.NewPCG(5, 11))
	corpus := newSearchCorpus(w, rng, 24, nil)
	for round := 0; round < 40; round++ {
		words, contacts := corpus.query(rng, 6)
		want := []string{}
		for _, id := range corpus.ids {
			if ok, _ := corpus.matches(id, words, contacts); ok {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		x, err := textindex.LeadWords(words, contacts, "")
		require.NoError(t, err)
		assert.Equal(t, want, corpus.ours(leadsOf(t, w.app, x)), "words %q, contacts %v", words, contacts)
	}
	x, err := textindex.LeadWords(nil, nil, "")
	require.NoError(t, err)
	assert.Nil(t, x, "no word, no condition")
}

func TestContactPrefixIsTheBeginningOfAFieldThroughItsIndex(t *testing.T) {
	w := newWorld(t)
	l := w.lead(leadShape{partner: "P1", territory: "T1", status: "new"})
	c := w.contactOf(l, "Jean.Dupont@Example.org")
	c.Set("last_name", "Dupont-Kerné")
	c.Set("first_name", "Jean")
	require.NoError(t, w.app.Save(c))
	matches := func(field, word string) bool {
		found := map[bool]bool{}
		for _, seek := range []bool{true, false} {
			var n int
			require.NoError(t, w.app.DB().Select("COUNT(*)").From("lead_contacts").
				AndWhere(dbx.HashExp{"lead_contacts.id": c.Id}).AndWhere(textindex.ContactPrefix(field, word, 0, seek)).Row(&n))
			found[seek] = n == 1
		}
		assert.Equal(t, found[true], found[false], "the same with or without the index: %s %q", field, word)
		return found[true]
	}
	for _, tc := range []struct {
		field, word string
		want        bool
	}{
		{"email", "jean.dupont@example.org", true}, {"email", "JEAN.D", true}, {"email", "Jean.Dupont@Example.org", true},
		{"email", "dupont", false}, {"email", "jean_", false}, {"email", "%", false}, {"email", "jean.dupont@example.org.fr", false},
		{"last_name", "dup", true}, {"last_name", "Dupont-Kerné", true}, {"last_name", "kerné", false}, {"last_name", "DUPONT-KERNÉ", false},
		{"first_name", "j", true}, {"first_name", "jeanne", false},
	} {
		assert.Equal(t, tc.want, matches(tc.field, tc.word), "%s starts with %q", tc.field, tc.word)
	}

	// each field's condition seeks its own case-insensitive index
	for _, f := range textindex.ContactFields {
		q := w.app.DB().Select("lead").From("lead_contacts").AndWhere(textindex.ContactPrefix(f, "dupont", 0, true)).Build()
		rows := []struct {
			Detail string `db:"detail"`
		}{}
		require.NoError(t, w.app.DB().NewQuery("EXPLAIN QUERY PLAN "+q.SQL()).Bind(q.Params()).All(&rows))
		require.NotEmpty(t, rows)
		plan := ""
		for _, r := range rows {
			plan += r.Detail + "\n"
		}
		assert.Contains(t, plan, "COVERING INDEX idx_lead_contacts_"+f+"_nocase", "%s: %v", f, rows)
		assert.NotContains(t, plan, "SCAN", f)
	}
}
