package textindex

import (
	"encoding/json"
	"strings"

	"github.com/pocketbase/dbx"
)

// Mixed resolves the contact branch of a search once: among the leads
// one of whose words matched their contact (contacts[i]: the leads whose
// contact matched words[i], found by the caller through lead_contacts'
// rules), those where every word is in the lead's texts or matched its
// contact, in their first order. A word is looked up in the texts only
// for the candidates whose contact it did not match (none for a single
// word), once per request instead of once per statement ([LeadWordsResolved]).
func Mixed(db dbx.Builder, words []string, contacts [][]string) ([]string, error) {
	var cand []string
	seen := map[string]bool{}
	for i := range words {
		if i >= len(contacts) {
			break
		}
		for _, id := range contacts[i] {
			if !seen[id] {
				seen[id] = true
				cand = append(cand, id)
			}
		}
	}
	keep := seen
	for i, w := range words {
		in := map[string]bool{}
		if i < len(contacts) {
			for _, id := range contacts[i] {
				in[id] = true
			}
		}
		var rest []string
		for _, id := range cand {
			if keep[id] && !in[id] {
				rest = append(rest, id)
			}
		}
		if len(rest) == 0 {
			continue
		}
		found := map[string]bool{}
		if !ContactOnly(w) {
			ids, err := textLeadsAmong(db, w, rest)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				found[id] = true
			}
		}
		for _, id := range rest {
			keep[id] = found[id]
		}
	}
	out := []string{}
	for _, id := range cand {
		if keep[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// textLeadsAmong are the leads among ids whose company, town or postal
// code holds word (the index's MATCH, or a LIKE for a word shorter than a
// trigram).
func textLeadsAmong(db dbx.Builder, word string, ids []string) ([]string, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	p := dbx.Params{"ids": string(list)}
	among := "SELECT s.id FROM lead_search s WHERE s.lead IN (SELECT value FROM json_each({:ids}))"
	if !Indexed(word) {
		out := []string{}
		err := db.NewQuery("SELECT s.lead FROM lead_search s WHERE s.id IN (" + among + ") AND " + textLike(word, 0, p)).Bind(p).Column(&out)
		return out, err
	}
	p["w"] = phrase(word)
	return matchAmong(db, "{:w}", nil, among, p)
}

// matchAmong are the leads of the index rows matching the MATCH
// expression all (a bound parameter) and the conditions short on the
// index row s, among the rows of the subquery among. The MATCH drives and
// each of its rows is looked up in among's rows, read once ("+" keeps
// SQLite from handing the rowids to the FTS table one by one, a few ms
// each): a common word's 14,000 matches are read, not stored and probed
// (about 20 ms rather than 65 at 1M).
func matchAmong(db dbx.Builder, all string, short []string, among string, p dbx.Params) ([]string, error) {
	q := "SELECT s.lead FROM lead_search_fts f JOIN lead_search s ON s.id = f.rowid WHERE lead_search_fts MATCH " + all +
		" AND +f.rowid IN (" + among + ")"
	for _, c := range short {
		q += " AND " + c
	}
	out := []string{}
	err := db.NewQuery(q).Bind(p).Column(&out)
	return out, err
}

// PartnerTexts are the leads of partner whose company, town or postal
// code hold every word: the MATCH of the indexed words read once and
// looked up among the partner's leads (its few leads stored, not the
// matches of a common word), the shorter words a LIKE on those rows. A
// partner-role user's search reads these (and its contacts' leads)
// rather than probing each of its leads in the matches in the page's and
// the count's statements.
func PartnerTexts(db dbx.Builder, words []string, partner string) ([]string, error) {
	p := dbx.Params{"tipartner": partner}
	var phrases, short []string
	for i, w := range words {
		switch {
		case ContactOnly(w):
			return []string{}, nil
		case Indexed(w):
			phrases = append(phrases, phrase(w))
		default:
			short = append(short, textLike(w, i, p))
		}
	}
	among := "SELECT s.id FROM lead_search s WHERE s.lead IN (SELECT id FROM leads WHERE partner = {:tipartner})"
	if len(phrases) > 0 {
		p["tiall"] = strings.Join(phrases, " ")
		return matchAmong(db, "{:tiall}", short, among, p)
	}
	out := []string{}
	err := db.NewQuery("SELECT s.lead FROM lead_search s WHERE s.id IN (" + among + ") AND " + strings.Join(short, " AND ")).Bind(p).Column(&out)
	return out, err
}

// LeadsIn is the condition "the lead is one of ids" (none when empty).
func LeadsIn(ids []string) (dbx.Expression, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	return dbx.NewExp("leads.id IN (SELECT value FROM json_each({:tileads}))", dbx.Params{"tileads": string(list)}), nil
}

// MatchedAmong counts the leads of ids whose texts hold every indexed
// word of words (the MATCH read once, looked up among ids' rows): with
// [Matches], the size of the union of the text matches and ids.
func MatchedAmong(db dbx.Builder, words []string, ids []string) (int, error) {
	var phrases []string
	for _, w := range words {
		if Indexed(w) && !ContactOnly(w) {
			phrases = append(phrases, phrase(w))
		}
	}
	if len(phrases) == 0 || len(ids) == 0 {
		return 0, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return 0, err
	}
	p := dbx.Params{"ids": string(list), "tiall": strings.Join(phrases, " ")}
	out, err := matchAmong(db, "{:tiall}", nil, "SELECT s.id FROM lead_search s WHERE s.lead IN (SELECT value FROM json_each({:ids}))", p)
	return len(out), err
}

// AllIndexed reports whether every word of words is answered by the
// index's MATCH alone (a trigram or more, no "@"): then [Matches] counts
// the leads whose texts hold them all.
func AllIndexed(words []string) bool {
	for _, w := range words {
		if !Indexed(w) || ContactOnly(w) {
			return false
		}
	}
	return len(words) > 0
}
