// Package textindex is the full-text index of the leads search box: the
// leads' searched texts (company, town, postal code) in an SQLite FTS5
// table with the trigram tokenizer (migration 1763801050_search_index),
// kept in step with every write of leads in the write's transaction.
// Contact details are not indexed: they stay in lead_contacts alone,
// behind that collection's rules (SPEC §3.3.3).
//
// The index holds no rule. Its conditions ([LeadWord], [LeadWords])
// only narrow the rule-aware read path (access.ListFor's trusted Where):
// a search can never return a record the user may not list.
package textindex

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
)

// MinWord is the shortest word the index answers (a trigram); shorter
// words need a LIKE on the texts ([Indexed] tells them apart).
const MinWord = 3

// phrase is word as an FTS5 string: with the trigram tokenizer it matches
// every text containing word, whatever its case and accents.
func phrase(word string) string {
	return `"` + strings.ReplaceAll(word, `"`, `""`) + `"`
}

// Indexed reports whether the index answers word (at least MinWord
// characters).
func Indexed(word string) bool { return utf8.RuneCountInString(word) >= MinWord }

// match is `col IN (the keys whose texts contain word)`, for an indexed
// word; the parameter name is unique per call site through n.
func match(col, key, table string, word string, n int) dbx.Expression {
	p := fmt.Sprintf("ti%s%d", table, n)
	return dbx.NewExp(col+" IN (SELECT "+key+" FROM "+table+" WHERE id IN (SELECT rowid FROM "+table+"_fts WHERE "+table+"_fts MATCH {:"+p+"}))",
		dbx.Params{p: phrase(word)})
}

// LeadWord is the condition "the lead's company, town or postal code
// contains word" on leads.id, for an indexed word (see [Indexed]); n tells
// apart the parameters of several words in one query.
func LeadWord(word string, n int) dbx.Expression {
	return match("leads.id", "lead", "lead_search", word, n)
}
