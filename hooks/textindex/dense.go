package textindex

import (
	"math"
	"strings"

	"github.com/pocketbase/dbx"
)

// Dense reports whether the leads whose texts hold every indexed word of
// words are so many that a list walking its sort index newest first (and
// probing each lead in the index, [Shape].Probe) finds a page of perPage
// sooner than reading every match and sorting them: with m matches among
// n leads, the walk reads about perPage·n/m leads and the other way m, so
// dense means m > √(perPage·n). It counts the matches only up to that
// bound (the index's own count, no lead read). False when no word is
// indexed.
func Dense(db dbx.Builder, words []string, perPage int) (bool, error) {
	// the index rows' highest rowid: about the number of leads
	var n int64
	if err := db.NewQuery("SELECT COALESCE(MAX(id), 0) FROM lead_search").Row(&n); err != nil {
		return false, err
	}
	bound := int(math.Sqrt(float64(max(perPage, 1)) * float64(n)))
	m, err := Matches(db, words, bound+1)
	return m > bound, err
}

// Matches counts the index rows holding every indexed word of words (in
// the texts of any lead, whoever may see it: a plan's estimate, never
// shown), up to limit; 0 when no word is indexed.
func Matches(db dbx.Builder, words []string, limit int) (int, error) {
	var phrases []string
	for _, w := range words {
		if Indexed(w) && !ContactOnly(w) {
			phrases = append(phrases, phrase(w))
		}
	}
	if len(phrases) == 0 {
		return 0, nil
	}
	m := 0
	err := db.NewQuery("SELECT COUNT(*) FROM (SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:q} LIMIT {:limit})").
		Bind(dbx.Params{"q": strings.Join(phrases, " "), "limit": limit}).Row(&m)
	return m, err
}
