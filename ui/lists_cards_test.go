package ui

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	anyListRe = regexp.MustCompile(`(?s)<table class="list[^"]*"[^>]*>(.*?)</table>`)
	tbodyRe   = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
)

// cardPages are, per demo role, the pages whose tables become cards on a
// phone: every body cell (an action cell aside) carries its column's
// label.
var cardPages = map[string][]string{
	"admin@demo.test": {"/audit", "/board", "/dashboard", "/reports", "/reports/map", "/access-review", "/conflicts",
		"/integrations", "/integrations/deliveries", "/grants", "/approvals", "/registrations", "/opportunities"},
	"installer001@demo.test":       {"/figures", "/team", "/certificates", "/reports"},
	"installer001.sales@demo.test": {"/figures"},
	"manager.ouest@demo.test":      {"/board", "/dashboard", "/reports"},
}

// TestEveryListCellHasACardLabel: the tables of the audit log, the board,
// the dashboard, the figures and reports, the access review and the
// other list pages show, on a phone, labelled cards: every cell of their
// bodies has a data-label (the action cells aside).
func TestEveryListCellHasACardLabel(t *testing.T) {
	e := newEnv(t)
	for email, paths := range cardPages {
		b := e.signedIn(email)
		for _, path := range paths {
			r := b.get(path)
			if r.Status == http.StatusNotFound {
				continue // not this role's page
			}
			require.Equal(t, http.StatusOK, r.Status, "%s %s", email, path)
			for _, tb := range anyListRe.FindAllStringSubmatch(r.Body, -1) {
				for _, body := range tbodyRe.FindAllStringSubmatch(tb[1], -1) {
					for _, td := range tdRe.FindAllString(body[1], -1) {
						if td == `<td class="actions">` {
							continue
						}
						assert.Regexp(t, labelRe, td, "%s %s: a cell without its label", email, path)
					}
				}
			}
		}
	}
}
