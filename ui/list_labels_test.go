package ui

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	listBodyRe = regexp.MustCompile(`(?s)<table class="list"[^>]*id="([^"]+)".*?<tbody>(.*?)</tbody>`)
	tdRe       = regexp.MustCompile(`<td[^>]*>`)
	labelRe    = regexp.MustCompile(`data-label="[^"]+"`)
)

// TestListCellsHaveCardLabels: on a phone the lists become cards whose
// cells show their column's name (data-label); every cell of the leads,
// pool, partners and users lists has one (the users' action cell aside).
func TestListCellsHaveCardLabels(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	for _, path := range []string{"/leads", "/pool", "/partners", "/users"} {
		r := b.get(path)
		require.Equal(t, http.StatusOK, r.Status, path)
		tables := listBodyRe.FindAllStringSubmatch(r.Body, -1)
		require.NotEmpty(t, tables, "%s has a list", path)
		for _, tb := range tables {
			cells := tdRe.FindAllString(tb[2], -1)
			require.NotEmpty(t, cells, "%s #%s has rows", path, tb[1])
			for _, td := range cells {
				if td == `<td class="actions">` {
					continue
				}
				assert.Regexp(t, labelRe, td, "%s #%s: a cell without its label", path, tb[1])
			}
		}
	}
}
