package textindex

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
)

// LeadWords is the condition of a whole search on leads.id: every word
// of words is in the lead's company, town or postal code, or the lead is
// one of that word's contacts[i] (the leads whose contact matched the
// word, found by the caller through lead_contacts' rules; nil or empty
// for none). A non-empty partner keeps the leads of that partner only
// (a partner-role user's: the rules allow it no other lead, and its few
// leads then drive the search instead of every lead holding a common
// word). Nil for no word.
//
// It is one `leads.id IN (…)` subquery that SQLite drives the query from
// (or probes, when the user's own leads are fewer): the leads whose texts
// hold every word, found by one FTS5 MATCH of all the indexed words (the
// index intersects the words before any lead is read), united with the
// contacts' leads that hold, word by word, the text or the contact. Words
// shorter than a trigram are a LIKE on the index table's texts.
func LeadWords(words []string, contacts [][]string, partner string) (dbx.Expression, error) {
	return LeadWordsAs(words, contacts, partner, Shape{})
}

// Shape is how the condition of [LeadWordsAs] reaches the matching leads.
// The zero Shape drives the query from the matches (few matches).
type Shape struct {
	// Probe makes the listed leads drive the query: each lead is looked
	// up in the index (its row by the lead, then its rowid among the
	// words' matches, read once), so that SQLite walks the list's sort
	// index newest first and stops after a page when the matches are
	// dense, or reads a partner's own leads, instead of resolving every
	// match to its lead first.
	Probe bool
	// First, when positive, keeps only the first First matches of the
	// texts (in the index's order): the condition of a count that stops
	// at a cap (a subset of the matches: if it reaches the cap, so do
	// they). The contacts' leads are all kept.
	First int
}

// LeadWordsAs is [LeadWords] in the given shape: the same leads, reached
// another way (or, with First, a subset of them).
func LeadWordsAs(words []string, contacts [][]string, partner string, shape Shape) (dbx.Expression, error) {
	if len(words) == 0 {
		return nil, nil
	}
	p := dbx.Params{}
	all, short, conds := textConds(words, partner, shape, p)
	mixed, err := contactBranch(words, contacts, p)
	if err != nil {
		return nil, err
	}
	return leadWordsWith(all, short, conds, mixed, p, shape), nil
}

// LeadWordsResolved is [LeadWordsAs] with its contact branch resolved
// beforehand by [Mixed]: mixed are the leads one of whose words matched
// their contact and whose every word is in the texts or the contact. The
// same leads, without evaluating the words one by one in the page's and
// the count's statements.
func LeadWordsResolved(words []string, mixed []string, partner string, shape Shape) (dbx.Expression, error) {
	if len(words) == 0 {
		return nil, nil
	}
	p := dbx.Params{}
	all, short, conds := textConds(words, partner, shape, p)
	branch := ""
	if len(mixed) > 0 {
		list, err := json.Marshal(mixed)
		if err != nil {
			return nil, err
		}
		p["timixed"] = string(list)
		branch = "SELECT value FROM json_each({:timixed})"
	}
	return leadWordsWith(all, short, conds, branch, p, shape), nil
}

// textConds are the parts of the text branch: the MATCH of every indexed
// word (all, empty when none), the LIKEs of the shorter ones (short) and
// the text branch's conditions on the index row s (conds), their
// parameters bound in p.
func textConds(words []string, partner string, shape Shape, p dbx.Params) (all string, short, conds []string) {
	var phrases []string
	for i, w := range words {
		if ContactOnly(w) {
			short = append(short, "FALSE")
			continue
		}
		if Indexed(w) {
			phrases = append(phrases, phrase(w))
			continue
		}
		short = append(short, textLike(w, i, p))
	}
	conds = append([]string{}, short...)
	if partner != "" && !shape.Probe {
		p["tipartner"] = partner
		conds = append([]string{"s.lead IN (SELECT id FROM leads WHERE partner = {:tipartner})"}, conds...)
	}
	if len(phrases) > 0 {
		p["tiall"] = strings.Join(phrases, " ")
		limit := ""
		if shape.First > 0 {
			p["tifirst"] = shape.First
			limit = " LIMIT {:tifirst}"
		}
		all = "(SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:tiall}" + limit + ")"
	}
	return all, short, conds
}

// leadWordsWith assembles the condition from the text branch's parts and
// the contact branch's subquery (mixed, empty for none) in shape.
func leadWordsWith(all string, short, conds []string, mixed string, p dbx.Params, shape Shape) dbx.Expression {
	if shape.Probe {
		return dbx.NewExp(probe(all, short, mixed), p)
	}
	if all != "" {
		conds = append([]string{"s.id IN " + all}, conds...)
	}
	texts := "SELECT s.lead FROM lead_search s WHERE " + strings.Join(conds, " AND ")
	if mixed != "" {
		texts += " UNION " + mixed
	}
	return dbx.NewExp("leads.id IN ("+texts+")", p)
}

// probe is the condition of the probe shape: the lead's own index row
// (holding the short words) is among the matches of all (the indexed
// words' MATCH; any row when none), or the lead is one of mixed (the
// contact branch; none when empty). It is a scalar subquery on the
// index's unique lead key, which SQLite evaluates on each lead as it
// reads it (an EXISTS is turned into a join run after the rule's joins,
// probing every match for every lead: seconds at 1M).
func probe(all string, short []string, mixed string) string {
	row := "(SELECT s.id FROM lead_search s WHERE s.lead = leads.id"
	for _, c := range short {
		row += " AND " + c
	}
	row += ")"
	cond := row + " IS NOT NULL"
	if all != "" {
		cond = row + " IN " + all
	}
	if mixed != "" {
		cond += " OR leads.id IN (" + mixed + ")"
	}
	return "(" + cond + ")"
}

// contactBranch is the subquery of the leads one of whose words matched
// their contact: among them, those where every word is in the texts or
// in the contact. Empty when no contact matched.
func contactBranch(words []string, contacts [][]string, p dbx.Params) (string, error) {
	var all []string
	per := make([]string, len(words))
	for i := range words {
		if i >= len(contacts) || len(contacts[i]) == 0 {
			continue
		}
		list, err := json.Marshal(contacts[i])
		if err != nil {
			return "", err
		}
		k := fmt.Sprintf("tic%d", i)
		p[k] = string(list)
		per[i] = " OR s.lead IN (SELECT value FROM json_each({:" + k + "}))"
		all = append(all, contacts[i]...)
	}
	if len(all) == 0 {
		return "", nil
	}
	list, err := json.Marshal(all)
	if err != nil {
		return "", err
	}
	p["ticall"] = string(list)
	conds := []string{"s.lead IN (SELECT value FROM json_each({:ticall}))"}
	for i, w := range words {
		text := textLike(w, i, p)
		switch {
		case ContactOnly(w):
			text = "FALSE"
		case Indexed(w):
			k := fmt.Sprintf("tiw%d", i)
			p[k] = phrase(w)
			text = "s.id IN (SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:" + k + "})"
		}
		conds = append(conds, "("+text+per[i]+")")
	}
	return "SELECT s.lead FROM lead_search s WHERE " + strings.Join(conds, " AND "), nil
}

// ContactOnly reports whether word is an e-mail address or a part of one
// with its "@": it matches contacts only, as no company, town or postal
// code holds an "@" (and its trigrams, "@la", "ora", "nge"…, are in the
// index's longest lists: matching them would read most of the index).
func ContactOnly(word string) bool { return strings.Contains(word, "@") }

// textLike is "the index row's company, town or postal code contains
// w" by LIKE (for words shorter than a trigram), its pattern bound in p.
func textLike(w string, i int, p dbx.Params) string {
	k := fmt.Sprintf("til%d", i)
	p[k] = "%" + EscapeLike(w) + "%"
	var ors []string
	for _, f := range sources["leads"].fields {
		ors = append(ors, "s."+f+" LIKE {:"+k+"} ESCAPE '\\'")
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// EscapeLike escapes the wildcards of a LIKE pattern (with ESCAPE '\').
func EscapeLike(w string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(w)
}
