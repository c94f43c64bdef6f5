package ui

import (
	"net/url"
	"strconv"
	"strings"
)

// Helpers shared by the searchable lists (leads, partners): the words of
// a search box, the numbered pager and the list state kept in the URL.

// maxSearchWords caps the words of a search (each one must match).
const maxSearchWords = 5

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

// listState is the state of a list kept in its URL: the search, a status
// filter and a sort, on the list's path.
type listState struct {
	Path, Q, Status, Sort string
	Partner               string // a partner filter (the leads of one partner)
	// Filters are the list's other filters (name → value; empty values
	// are left out of the URL).
	Filters map[string]string
}

// link is the URL of the state at a page.
func (s listState) link(page int) string {
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
	if s.Partner != "" {
		v.Set("partner", s.Partner)
	}
	for k, val := range s.Filters {
		if val != "" {
			v.Set(k, val)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return s.Path
	}
	return s.Path + "?" + v.Encode()
}

// sortLink is the URL sorting by a column: ascending first, descending
// when already ascending.
func (s listState) sortLink(col string) string {
	if s.Sort == col {
		col = "-" + col
	}
	s.Sort = col
	return s.link(1)
}

// listNav is what a searchable list shows around its rows: the search
// text, the sort and its column links, the total and the numbered pager.
// The list pages embed it and fill it once with fill.
type listNav struct {
	Q, Sort string
	// SortBy are the header links, by column.
	SortBy map[string]string
	Total  int
	// Capped: the total stopped at searchCap (shown "1 000+").
	Capped     bool
	PageNo     int
	Prev, Next string
	Pages      []pageLink
}

// fill sets the sort links of cols, the total and the pager of a list of
// total rows shown perPage at a time, in state (its page is n.PageNo).
func (n *listNav) fill(state listState, cols []string, total, perPage int) {
	n.SortBy = map[string]string{}
	for _, col := range cols {
		n.SortBy[col] = state.sortLink(col)
	}
	n.Total = total
	if total > searchCap {
		// a search's count stops past searchCap: its pages up to the cap,
		// and a next page as long as this one is full
		n.Total, n.Capped = searchCap, true
	}
	pages := 0
	if perPage > 0 {
		pages = (total + perPage - 1) / perPage
	}
	if n.Capped {
		pages = max(pages, n.PageNo+1)
	}
	n.Pages = pageLinks(n.PageNo, pages, state.link)
	if n.PageNo > 1 {
		n.Prev = state.link(n.PageNo - 1)
	}
	if n.PageNo < pages {
		n.Next = state.link(n.PageNo + 1)
	}
}

// sortHead is a sortable column header: its link, its key and the
// aria-sort of the current sort ("" when the list is not sorted by it).
type sortHead struct {
	Key, URL, Aria string
}

// SortHead is the header of col (the template "sort_th" draws it).
func (n *listNav) SortHead(col string) sortHead {
	h := sortHead{Key: col, URL: n.SortBy[col]}
	switch n.Sort {
	case col:
		h.Aria = "ascending"
	case "-" + col:
		h.Aria = "descending"
	}
	return h
}

// statusLinks are the status chips of a list in state: the link without a
// status filter (all) and one per status, each keeping the search and
// sort, at page 1.
func statusLinks(state listState, statuses []string) (string, []statusLink) {
	state.Status = ""
	all := state.link(1)
	links := make([]statusLink, 0, len(statuses))
	for _, st := range statuses {
		state.Status = st
		links = append(links, statusLink{Status: st, URL: state.link(1)})
	}
	return all, links
}
