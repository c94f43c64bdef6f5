package hooks_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/textindex"
)

// indexRows are the rows of a search index table, key → texts.
func indexRows(t *testing.T, app core.App, q string) map[string]string {
	t.Helper()
	rows := []struct {
		K string `db:"k"`
		V string `db:"v"`
	}{}
	require.NoError(t, app.DB().NewQuery(q).All(&rows))
	out := map[string]string{}
	for _, r := range rows {
		out[r.K] = r.V
	}
	return out
}

// assertIndexExact compares the search index with the leads, and checks
// the FTS5 index against its table (FTS5 integrity-check).
func assertIndexExact(t *testing.T, app core.App) {
	t.Helper()
	assert.Equal(t,
		indexRows(t, app, "SELECT id AS k, company || '|' || city || '|' || postal_code AS v FROM leads"),
		indexRows(t, app, "SELECT lead AS k, company || '|' || city || '|' || postal_code AS v FROM lead_search"),
		"lead_search mirrors leads")
	_, err := app.DB().NewQuery("INSERT INTO lead_search_fts (lead_search_fts, rank) VALUES ('integrity-check', 1)").Execute()
	assert.NoError(t, err, "the FTS5 index agrees with its table")
}

// leadsMatching are the leads whose company, town or postal code contain
// word, by the index.
func leadsMatching(t *testing.T, app core.App, word string) []string {
	t.Helper()
	var ids []string
	require.NoError(t, app.DB().Select("leads.id").From("leads").AndWhere(textindex.LeadWord(word, 0)).OrderBy("leads.id").Column(&ids))
	return ids
}

func TestSearchIndexFollowsEveryWrite(t *testing.T) {
	w := newWorld(t)
	rng := rand.New(rand.NewPCG(16, 5))
	towns := []string{"Rennes", "Brest", "Saint-Étienne", "Quimper", "Lorient"}
	var leads, contacts []*core.Record
	for i := 0; i < 12; i++ {
		l := w.lead(leadShape{partner: "P1", territory: "T1", status: "new"})
		leads = append(leads, l)
		contacts = append(contacts, w.contactOf(l, fmt.Sprintf("c%d@example.org", i)))
	}
	assertIndexExact(t, w.app)

	// random changes of the indexed texts and of other fields, and deletions
	for step := 0; step < 60; step++ {
		i := rng.IntN(len(leads))
		if leads[i] == nil {
			continue
		}
		switch rng.IntN(5) {
		case 0:
			leads[i].Set("company", fmt.Sprintf("Société %d Énergie", step))
			require.NoError(t, w.app.Save(leads[i]))
		case 1:
			leads[i].Set("city", towns[rng.IntN(len(towns))])
			require.NoError(t, w.app.Save(leads[i]))
		case 2:
			leads[i].Set("score", rng.IntN(100)) // not an indexed text
			require.NoError(t, w.app.Save(leads[i]))
		case 3:
			contacts[i].Set("last_name", fmt.Sprintf("Lefèvre%d", step))
			require.NoError(t, w.app.Save(contacts[i]))
		case 4:
			require.NoError(t, w.app.Delete(leads[i])) // its contact goes with it
			leads[i], contacts[i] = nil, nil
		}
	}
	assertIndexExact(t, w.app)

	// a write that fails leaves the index as it was
	var kept *core.Record
	for _, l := range leads {
		if l != nil {
			kept = l
			break
		}
	}
	require.NotNil(t, kept)
	boom := errors.New("boom")
	err := w.app.RunInTransaction(func(tx core.App) error {
		kept.Set("company", "Rollbackville SARL")
		if err := tx.Save(kept); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	assert.Empty(t, leadsMatching(t, w.app, "rollbackville"), "the rolled-back company is not indexed")
	assertIndexExact(t, w.app)
}

func TestSearchIndexMatchesAnyPartWithoutCaseOrAccents(t *testing.T) {
	w := newWorld(t)
	a := w.mk("leads", map[string]any{"company": "Énergies du Ponant", "status": "new", "country": "FR", "postal_code": "29200", "city": "Brest", "score": 10})
	b := w.mk("leads", map[string]any{"company": "Toitures \"Kerlo\" 100%", "status": "new", "country": "FR", "postal_code": "35000", "city": "Rennes", "score": 10})
	for word, want := range map[string][]string{
		"energies": {a.Id}, "PONANT": {a.Id}, "nerg": {a.Id}, "292": {a.Id}, "brest": {a.Id},
		`"Kerlo"`: {b.Id}, "100%": {b.Id}, "ennes": {b.Id},
		"nowhere": nil, `" OR "`: nil, "kerlo*": nil, "NEAR(a b)": nil,
	} {
		var got []string
		for _, id := range leadsMatching(t, w.app, word) {
			if id == a.Id || id == b.Id {
				got = append(got, id)
			}
		}
		assert.Equal(t, want, got, "word %q", word)
	}
	assert.True(t, textindex.Indexed("abc"))
	assert.False(t, textindex.Indexed("é3"), "two characters are shorter than a trigram")
}
