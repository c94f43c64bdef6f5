package textindex

import (
	"math"
	"strings"

	"github.com/pocketbase/dbx"
)

// Dense reports whether the leads whose texts hold every indexed word of
// words are so many that a list walking its sort index newest first (and
// probing each lead in the index, [Shape].Probe) finds a page of perPage
// sooner than reading every match and sorting them: more than
// [DenseBound] of them, counted by the index alone up to that bound (no
// lead read). False when no word is indexed.
func Dense(db dbx.Builder, words []string, perPage int) (bool, error) {
	bound, err := DenseBound(db, perPage)
	if err != nil {
		return false, err
	}
	m, err := Matches(db, words, bound+1)
	return m > bound, err
}

// walkCost is how many leads a walk of the sort index probes for the cost
// of one match read and sorted: reading a matching lead's row by its id
// and sorting it costs about 20 µs at 1M, probing a lead of the walk in
// the index's covering key about 2.5 µs (a postal code of 3,381 matches:
// 72 ms read and sorted, 38 ms walked).
const walkCost = 8

// DenseBound is the number of text matches above which a page of perPage
// is found sooner by the walk: with m matches among n leads, the walk
// probes about perPage·n/m leads and the other way reads m, each 8 times
// the cost of a probe ([walkCost]), so dense means m > √(perPage·n/8).
func DenseBound(db dbx.Builder, perPage int) (int, error) {
	// the index rows' highest rowid: about the number of leads
	var n int64
	if err := db.NewQuery("SELECT COALESCE(MAX(id), 0) FROM lead_search").Row(&n); err != nil {
		return 0, err
	}
	return int(math.Sqrt(float64(max(perPage, 1)) * float64(n) / walkCost)), nil
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
