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
