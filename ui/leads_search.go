package ui

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
)

// Search of the leads list. The words of the search box are matched by a
// server-built condition (access.ListQuery.Where, bound parameters) on the
// lead's own visible fields — company, town, postal code — and, through
// the rule-aware read path on lead_contacts, on the contact's e-mail and
// name: a user matches a contact only when lead_contacts' rules let them
// read it, so a partner never matches the contact of a lead it has not
// accepted, nor a private customer's name (SPEC §3.3.3: a private lead's
// company is empty, its name lives in the contact).

// maxSearchWords caps the words of a search (each one must match).
const maxSearchWords = 5

// maxContactPages caps the pages of contacts read to match a word (at
// most MaxPerPage each).
const maxContactPages = 5

// searchWords splits a search text into at most maxSearchWords words of at
// most 100 runes.
func searchWords(q string) []string {
	words := strings.Fields(q)
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	for i, w := range words {
		words[i] = cut(w, 100)
	}
	return words
}

// cut shortens s to n runes.
func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// leadSearchWhere is the condition of a search for auth: every word
// matches the company, the town or the postal code of the lead, or the
// e-mail or name of a contact auth may read. Nil for an empty search.
func leadSearchWhere(app core.App, auth *core.Record, q string) (dbx.Expression, error) {
	words := searchWords(q)
	if len(words) == 0 {
		return nil, nil
	}
	all := make([]dbx.Expression, 0, len(words))
	for _, w := range words {
		or := []dbx.Expression{
			dbx.Like("leads.company", w),
			dbx.Like("leads.city", w),
			dbx.Like("leads.postal_code", w),
		}
		ids, err := contactLeadIDs(app, auth, w)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			or = append(or, dbx.In("leads.id", ids...))
		}
		all = append(all, dbx.Or(or...))
	}
	return dbx.And(all...), nil
}

// contactLeadIDs returns the leads whose contact auth may read (access.ListFor
// on lead_contacts) and whose e-mail or name contains w; none when the
// role may not list contacts at all.
func contactLeadIDs(app core.App, auth *core.Record, w string) ([]any, error) {
	where := dbx.Or(
		dbx.Like("lead_contacts.email", w),
		dbx.Like("lead_contacts.last_name", w),
		dbx.Like("lead_contacts.first_name", w),
	)
	var ids []any
	for page := 1; page <= maxContactPages; page++ {
		recs, res, err := access.ListFor(app, auth, "lead_contacts", access.ListQuery{Where: where, Page: page, PerPage: access.MaxPerPage})
		if errors.Is(err, domain.ErrForbidden) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			ids = append(ids, r.GetString("lead"))
		}
		if len(recs) < res.PerPage {
			break
		}
	}
	return ids, nil
}

// pageLink is one link of the numbered pager (Gap: an ellipsis).
type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// pageLinks numbers the pages around cur (first, last, two either side),
// with gaps between.
func pageLinks(cur, total int, link func(int) string) []pageLink {
	if total <= 1 {
		return nil
	}
	// the window around cur; a gap of a single page shows that page
	lo, hi := cur-2, cur+2
	if lo == 3 {
		lo = 2
	}
	if hi == total-2 {
		hi = total - 1
	}
	var out []pageLink
	last := 0
	for n := 1; n <= total; n++ {
		if n != 1 && n != total && (n < lo || n > hi) {
			continue
		}
		if last != 0 && n > last+1 {
			out = append(out, pageLink{Gap: true})
		}
		out = append(out, pageLink{N: n, URL: link(n), Current: n == cur})
		last = n
	}
	return out
}

// leadSorts are the sorts of the leads list (the lead's own visible
// fields; a private customer's company is empty, so a sort on it says
// nothing about a name); "" is the default, latest change first.
var leadSorts = map[string]string{
	"":         "-updated,-created",
	"company":  "company,-created",
	"-company": "-company,-created",
	"city":     "city,-created",
	"-city":    "-city,-created",
	"score":    "score,-created",
	"-score":   "-score,-created",
}

// leadsState is the state of the leads list kept in its URL.
type leadsState struct {
	Q, Status, Sort string
}

// link is the URL of the state at a page.
func (s leadsState) link(page int) string {
	v := url.Values{}
	if s.Q != "" {
		v.Set("q", s.Q)
	}
	if s.Status != "" {
		v.Set("status", s.Status)
	}
	if s.Sort != "" {
		v.Set("sort", s.Sort)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/leads"
	}
	return "/leads?" + v.Encode()
}

// sortLink is the URL sorting by a column: ascending first, descending
// when already ascending.
func (s leadsState) sortLink(col string) string {
	if s.Sort == col {
		col = "-" + col
	}
	s.Sort = col
	return s.link(1)
}
