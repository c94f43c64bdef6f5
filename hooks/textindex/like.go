package textindex

import (
	"fmt"
	"sync/atomic"

	"github.com/pocketbase/dbx"
)

// likeSeq tells apart the parameters of the LIKE conditions of one query.
var likeSeq atomic.Uint64

// Contains is "col contains word" (ASCII case ignored), with the word's
// own % and _ matched literally. dbx.Like escapes them with a backslash
// but writes no ESCAPE clause, and SQLite's LIKE has no escape character
// by default, so a search for "50%" or "a_b" found nothing; this writes
// the clause. col is a [[table.column]]-quotable name.
func Contains(col, word string) dbx.Expression {
	return likeExp(col, "%"+EscapeLike(word)+"%")
}

// Prefix is "col starts with word" (ASCII case ignored), wildcards in the
// word matched literally (see Contains).
func Prefix(col, word string) dbx.Expression {
	return likeExp(col, EscapeLike(word)+"%")
}

func likeExp(col, pattern string) dbx.Expression {
	k := fmt.Sprintf("lk%d", likeSeq.Add(1))
	return dbx.NewExp("[["+col+"]] LIKE {:"+k+"} ESCAPE '\\'", dbx.Params{k: pattern})
}
