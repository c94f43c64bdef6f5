package hooks_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
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
	names := []string{"alpha", "bravo", "charlie", "de", "xy", "delta"}
	vocab := append(slices.Clone(names), "al@b")
	rng := rand.New(rand.NewPCG(5, 11))
	texts := map[string]string{}
	var ids []string
	for i := 0; i < 24; i++ {
		company := names[rng.IntN(len(names))] + " " + names[rng.IntN(len(names))] + "@x"
		l := w.mk("leads", map[string]any{"company": company, "status": "new", "country": "FR", "postal_code": fmt.Sprintf("%05d", 29000+i), "city": "Brest", "score": 1})
		texts[l.Id] = strings.ToLower(company + "|brest|" + l.GetString("postal_code"))
		ids = append(ids, l.Id)
	}
	for round := 0; round < 40; round++ {
		n := 1 + rng.IntN(3)
		words := make([]string, n)
		contacts := make([][]string, n)
		for i := range words {
			words[i] = vocab[rng.IntN(len(vocab))]
			if rng.IntN(2) == 0 {
				for _, id := range ids {
					if rng.IntN(6) == 0 {
						contacts[i] = append(contacts[i], id)
					}
				}
			}
		}
		want := []string{}
		for _, id := range ids {
			ok := true
			for i, wd := range words {
				ok = ok && (strings.Contains(texts[id], wd) || slices.Contains(contacts[i], id))
			}
			if ok {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		x, err := textindex.LeadWords(words, contacts, "")
		require.NoError(t, err)
		got := []string{}
		for _, id := range leadsOf(t, w.app, x) {
			if slices.Contains(ids, id) {
				got = append(got, id)
			}
		}
		assert.Equal(t, want, got, "words %q, contacts %v", words, contacts)
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
