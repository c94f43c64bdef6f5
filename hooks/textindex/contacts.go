package textindex

import (
	"fmt"

	"github.com/pocketbase/dbx"
)

// ContactFields are the contact fields the search box matches by prefix
// (the beginning of the e-mail, of the last or first name), each through
// its own case-insensitive index on lead_contacts (migration
// 1763801110_srch_contact_search): no text leaves lead_contacts, and the
// conditions below are only ever used inside access.ListFor on
// lead_contacts, behind that collection's rules.
var ContactFields = []string{"email", "last_name", "first_name"}

// maxRune closes a prefix range: every text starting with the prefix sorts
// below prefix + maxRune.
const maxRune = "\U0010FFFF"

// ContactPrefix is the condition "the contact's field starts with word"
// (ASCII case ignored, like LIKE): the LIKE that says it exactly and, when
// seek is set, the range of the field's NOCASE index that finds the
// candidates without reading the contacts (a rowid subquery: the DISTINCT
// that PocketBase puts on rule-checked lists makes SQLite scan another
// index otherwise); n tells apart the parameters of several conditions in
// one query. Without seek, the caller's other conditions drive the query.
func ContactPrefix(field, word string, n int, seek bool) dbx.Expression {
	col := "lead_contacts." + field
	lo, hi, like := fmt.Sprintf("tcl%d", n), fmt.Sprintf("tch%d", n), fmt.Sprintf("tck%d", n)
	p := dbx.Params{like: EscapeLike(word) + "%"}
	cond := col + " LIKE {:" + like + "} ESCAPE '\\'"
	if seek {
		p[lo], p[hi] = word, word+maxRune
		cond = "lead_contacts._rowid_ IN (SELECT _rowid_ FROM lead_contacts WHERE " + field + " >= {:" + lo + "} COLLATE NOCASE AND " +
			field + " < {:" + hi + "} COLLATE NOCASE) AND " + cond
	}
	return dbx.NewExp(cond, p)
}

// ContactRange is [ContactPrefix] as the plain range of the field's NOCASE
// index, for a list with no rule's join (a caller who may list every
// contact): SQLite walks the range in the index's order and stops at the
// page's end, where the rowid subquery of [ContactPrefix] reads every
// contact of the range first (35,000 for a common surname at 1M).
func ContactRange(field, word string, n int) dbx.Expression {
	col := "lead_contacts." + field
	lo, hi, like := fmt.Sprintf("tcl%d", n), fmt.Sprintf("tch%d", n), fmt.Sprintf("tck%d", n)
	return dbx.NewExp(col+" >= {:"+lo+"} COLLATE NOCASE AND "+col+" < {:"+hi+"} COLLATE NOCASE AND "+col+" LIKE {:"+like+"} ESCAPE '\\'",
		dbx.Params{lo: word, hi: word + maxRune, like: EscapeLike(word) + "%"})
}

// HasPrefix reports whether s starts with word as "LIKE 'word%'" says
// it: ASCII letters without case, every other character as it is.
func HasPrefix(s, word string) bool {
	if len(s) < len(word) {
		return false
	}
	for i := 0; i < len(word); i++ {
		a, b := s[i], word[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
