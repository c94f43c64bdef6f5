package hooks_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/textindex"
)

// The contact branch resolved once (textindex.Mixed, LeadWordsResolved),
// a partner's text matches read among its own leads (PartnerTexts) and the
// count of the contacts' leads among the matches (MatchedAmong) against a
// brute force over the same random leads as the condition's own test.
func TestResolvedSearchIsTheBruteForceSearch(t *testing.T) {
	w := newWorld(t)
	rng := rand.New(rand.NewPCG(7, 13))
	corpus := newSearchCorpus(w, rng, 30, []string{"", w.P1, w.P2})
	ids, ours := corpus.ids, corpus.ours
	inTexts := func(id string, words []string) bool {
		for _, wd := range words {
			if strings.Contains(wd, "@") || !strings.Contains(corpus.texts[id], wd) {
				return false
			}
		}
		return true
	}
	for round := 0; round < 60; round++ {
		words, contacts := corpus.query(rng, 5)
		want, wantMixed := []string{}, []string{}
		for _, id := range ids {
			if ok, viaContact := corpus.matches(id, words, contacts); ok {
				want = append(want, id)
				if viaContact {
					wantMixed = append(wantMixed, id)
				}
			}
		}
		slices.Sort(want)
		slices.Sort(wantMixed)
		msg := fmt.Sprintf("words %q, contacts %v", words, contacts)
		mixed, err := textindex.Mixed(w.app.DB(), words, contacts)
		require.NoError(t, err)
		assert.Equal(t, wantMixed, ours(mixed), "the contact branch: "+msg)
		for _, probe := range []bool{false, true} {
			x, err := textindex.LeadWordsResolved(words, mixed, "", textindex.Shape{Probe: probe})
			require.NoError(t, err)
			assert.Equal(t, want, ours(leadsOf(t, w.app, x)), "resolved (probe %v): %s", probe, msg)
		}

		// a partner's own leads whose texts hold every word
		for _, p := range []string{w.P1, w.P2} {
			wantP := []string{}
			for _, id := range ids {
				if corpus.partnerOf[id] == p && inTexts(id, words) {
					wantP = append(wantP, id)
				}
			}
			slices.Sort(wantP)
			got, err := textindex.PartnerTexts(w.app.DB(), words, p)
			require.NoError(t, err)
			assert.Equal(t, wantP, ours(got), "the partner's text matches: %s", msg)
		}

		// the contacts' leads among the text matches
		if textindex.AllIndexed(words) {
			both := 0
			for _, id := range mixed {
				if inTexts(id, words) {
					both++
				}
			}
			got, err := textindex.MatchedAmong(w.app.DB(), words, mixed)
			require.NoError(t, err)
			assert.Equal(t, both, got, "the contacts' leads among the matches: %s", msg)
		}
	}
	x, err := textindex.LeadsIn([]string{ids[0], ids[3]})
	require.NoError(t, err)
	assert.Equal(t, ours([]string{ids[0], ids[3]}), leadsOf(t, w.app, x))
	x, err = textindex.LeadsIn(nil)
	require.NoError(t, err)
	assert.Empty(t, leadsOf(t, w.app, x), "no id, no lead")
}

// HasPrefix says what "LIKE 'word%'" says, and ContactRange finds what
// ContactPrefix finds.
func TestHasPrefixIsTheLikeOfAPrefix(t *testing.T) {
	w := newWorld(t)
	l := w.lead(leadShape{partner: "P1", territory: "T1", status: "new"})
	c := w.contactOf(l, "Jean.Dupont@Example.org")
	c.Set("last_name", "Dupont-Kerné")
	c.Set("first_name", "Élodie")
	require.NoError(t, w.app.Save(c))
	for _, f := range textindex.ContactFields {
		v := c.GetString(f)
		for _, word := range []string{"", "j", "J", "jean.DUPONT@", "dupont-kern", "DUPONT-KERNÉ", "Dupont-Kerné", "élodie", "Élo", "ÉLO", "e", "x", v, v + "x", "_", "%", "Jean_Dupont"} {
			var n int
			require.NoError(t, w.app.DB().Select("COUNT(*)").From("lead_contacts").AndWhere(dbx.HashExp{"id": c.Id}).
				AndWhere(dbx.NewExp("lead_contacts."+f+" LIKE {:p} ESCAPE '\\'", dbx.Params{"p": textindex.EscapeLike(word) + "%"})).Row(&n))
			assert.Equal(t, n == 1, textindex.HasPrefix(v, word), "%s %q starts with %q", f, v, word)
			if word == "" {
				continue
			}
			var r int
			require.NoError(t, w.app.DB().Select("COUNT(*)").From("lead_contacts").AndWhere(dbx.HashExp{"lead_contacts.id": c.Id}).
				AndWhere(textindex.ContactRange(f, word, 0)).Row(&r))
			assert.Equal(t, n, r, "the range finds what the LIKE finds: %s %q", f, word)
		}
	}
}
