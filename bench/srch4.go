package bench

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/textindex"
)

// searchRawBest is the raw SQL of a search, the best single statement for
// the web UI's result (same contacts' cap, order and capped total): scope
// (empty: every lead) and the words of q. A word matches the leads whose
// company, town or postal code hold it (one FTS5 MATCH of the indexed
// words, a LIKE for shorter ones) or whose contact's e-mail, last or first
// name starts with it: for the whole network the first 200 contacts' leads
// per field in each field's NOCASE index order, at most 200 per word (the
// web UI's cap, read the same way); for a salesperson (partner) the
// contacts of its accepted leads. The contacts' leads hold every word in
// the texts or a contact, each word's MATCH read once and looked up among
// them. The page walks the leads newest first and probes each in the
// matches when they are dense (textindex.Dense) and the salesperson's
// leads when partner; the matches drive it otherwise. The total stops at
// SearchCap+1: for the network with every word indexed and that many text
// matches, the index's own count; among the index's first 2·(cap+1)
// matches when more; otherwise a count of the leads.
func (e *Env) searchRawBest(scope string, p dbx.Params, q string, partner bool) (string, dbx.Params) {
	words := strings.Fields(q)
	all, texts, short, caps := e.rawWords(words, scope, p, partner)
	// the contacts' leads, each word in the texts (its MATCH read once,
	// looked up among them) or among its own contacts' leads
	var with []string
	for i := range words {
		with = append(with, fmt.Sprintf("cw%d AS (%s)", i, caps[i]))
	}
	var union []string
	for i := range words {
		union = append(union, fmt.Sprintf("SELECT lead FROM cw%d", i))
	}
	byContact := "SELECT s.lead FROM lead_search s WHERE s.lead IN (" + strings.Join(union, " UNION ") + ")"
	for i := range words {
		text := texts[i]
		if text == "" {
			text = fmt.Sprintf("s.id IN (SELECT f.rowid FROM lead_search_fts f WHERE lead_search_fts MATCH {:w%d} AND +f.rowid IN (SELECT id FROM lead_search WHERE lead IN (%s)))",
				i, strings.Join(union, " UNION "))
		}
		byContact += fmt.Sprintf(" AND (s.lead IN (SELECT lead FROM cw%d) OR %s)", i, text)
	}
	// the texts: every indexed word in one MATCH, the short ones a LIKE
	byText := "SELECT s.lead FROM lead_search s WHERE " + strings.Join(slices.DeleteFunc(slices.Clone(short), func(s string) bool { return s == "" }), " AND ")
	probe := "(SELECT s.id FROM lead_search s WHERE s.lead = l.id" + strings.Join(prefixAll(" AND ", short), "") + ") IS NOT NULL"
	if len(all) > 0 {
		p["wall"] = strings.Join(all, " ")
		byText = "SELECT s.lead FROM lead_search s WHERE s.id IN (SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:wall})" + strings.Join(prefixAll(" AND ", short), "")
		probe = "(SELECT s.id FROM lead_search s WHERE s.lead = l.id" + strings.Join(prefixAll(" AND ", short), "") + ") IN (SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:wall})"
		if partner {
			// the MATCH read once, looked up among the salesperson's leads
			byText = "SELECT s.lead FROM lead_search_fts f JOIN lead_search s ON s.id = f.rowid WHERE lead_search_fts MATCH {:wall} AND +f.rowid IN (SELECT id FROM lead_search WHERE lead IN (SELECT id FROM leads WHERE " +
				scope + "))" + strings.Join(prefixAll(" AND ", short), "")
		}
	}
	where := "id IN (" + byText + " UNION " + byContact + ")"
	page, count := "l."+where, where
	dense, err := textindex.Dense(e.App.DB(), words, PageSize)
	if !partner && err == nil && dense {
		page = "(" + probe + " OR l.id IN (" + byContact + "))"
	}
	m, err := textindex.Matches(e.App.DB(), words, 2*(SearchCap+1)+1)
	total := ""
	switch {
	case err == nil && scope == "" && textindex.AllIndexed(words) && m > SearchCap:
		total = "(SELECT COUNT(*) FROM (SELECT rowid FROM lead_search_fts WHERE lead_search_fts MATCH {:wall} LIMIT " + fmt.Sprint(SearchCap+1) + "))"
	case err == nil && !partner && m > 2*(SearchCap+1):
		first := strings.Replace(byText, "MATCH {:wall})", fmt.Sprintf("MATCH {:wall} LIMIT %d)", 2*(SearchCap+1)), 1)
		count = "id IN (" + first + " UNION " + byContact + ")"
	}
	if scope != "" {
		page, count = scope+" AND "+page, scope+" AND "+count
	}
	if total == "" {
		total = "(SELECT COUNT(*) FROM (SELECT 1 FROM leads WHERE " + count + " LIMIT " + fmt.Sprint(SearchCap+1) + "))"
	}
	return "WITH " + strings.Join(with, ", ") + " SELECT l.*, " + total + " AS total FROM leads l WHERE " + page +
		" ORDER BY l.updated DESC, l.created DESC LIMIT 50", p
}

// prefixAll prefixes each non-empty string of ss with pre.
func prefixAll(pre string, ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, pre+s)
		}
	}
	return out
}

// rawWords are the parts of searchRawBest's statement for each word: the
// FTS5 strings of the indexed words (all), each word's text condition on
// the index row s (texts: "" for an indexed word, its MATCH; short: the
// others'), and the subquery of the leads whose contact starts with it
// (caps).
func (e *Env) rawWords(words []string, scope string, p dbx.Params, partner bool) (all, texts, short, caps []string) {
	caps = make([]string, len(words))
	for i, w := range words {
		k := fmt.Sprintf("w%d", i)
		p[k+"lo"], p[k+"hi"], p[k+"pre"] = w, w+"\U0010FFFF", textindex.EscapeLike(w)+"%"
		var per []string
		for _, f := range textindex.ContactFields {
			rng := fmt.Sprintf(`c.%[1]s >= {:%[2]slo} COLLATE NOCASE AND c.%[1]s < {:%[2]shi} COLLATE NOCASE AND c.%[1]s LIKE {:%[2]spre} ESCAPE '\'`, f, k)
			if partner {
				per = append(per, "("+strings.ReplaceAll(rng, " COLLATE NOCASE", "")+")")
				continue
			}
			per = append(per, "SELECT * FROM (SELECT c.lead FROM lead_contacts c WHERE "+rng+" LIMIT 200)")
		}
		if partner {
			caps[i] = "SELECT c.lead FROM lead_contacts c WHERE c.lead IN (SELECT id FROM leads WHERE " + scope + " AND status IN ('" +
				strings.Join(lifecycle.AcceptedOrLaterStatuses(), "','") + "')) AND (" + strings.Join(per, " OR ") + ")"
		} else {
			caps[i] = "SELECT DISTINCT lead FROM (" + strings.Join(per, " UNION ALL ") + ") LIMIT 200"
		}
		switch {
		case textindex.ContactOnly(w):
			texts = append(texts, "FALSE")
			short = append(short, "FALSE")
		case e.indexed && textindex.Indexed(w):
			p[k] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
			all = append(all, p[k].(string))
			texts = append(texts, "")
		default:
			p[k] = "%" + textindex.EscapeLike(w) + "%"
			c := fmt.Sprintf(`(s.company LIKE {:%[1]s} ESCAPE '\' OR s.city LIKE {:%[1]s} ESCAPE '\' OR s.postal_code LIKE {:%[1]s} ESCAPE '\')`, k)
			texts = append(texts, c)
			short = append(short, c)
		}
	}
	return all, texts, short, caps
}
