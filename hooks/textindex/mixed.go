package textindex

import (
	"encoding/json"

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
	text := textLike(word, 0, p)
	if Indexed(word) {
		p["w"] = phrase(word)
		text = "s.id IN (SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:w})"
	}
	out := []string{}
	err = db.NewQuery("SELECT s.lead FROM lead_search s WHERE s.lead IN (SELECT value FROM json_each({:ids})) AND " + text).Bind(p).Column(&out)
	return out, err
}
