package ui

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

// pageStatementCeilings are the SQL statements each page may run per role
// on the seeded demo (one request, caches warm). Before the per-page work
// of the second performance pass: dashboard 106 (admin), 109 (channel
// manager), 89 (sales), 81 (partners); lead page 20 (admin), 21 (channel
// manager), 17 and 16 (partners); board 25 and 28; inbox 9 and 8. The
// channel manager's running grants come with its users row since the
// per-caller rules name them (access/grants_spec.go): before, each list
// hint read them (dashboard 27, leads 10, board 26, accounts 9, lead 16).
// The unread count of every page's header is one COUNT (access.CountFor),
// not a page of one notification and its COUNT: one statement less a page;
// a partner manager's lead page lists the colleagues before naming the
// assignee (one read of the users less). A partner manager's dashboard
// reads its company's two acceptance windows in one statement of the
// rollups (reports.AcceptanceWindows): 7, not 8; a person's (sales, a
// partner's salesperson) in one count of the offers: 16 and 7, not 17 and 8.
var pageStatementCeilings = map[string]map[string]int{
	"admin@demo.test":              {"/dashboard": 23, "/leads": 8, "/board": 21, "/accounts": 7, "/lead": 14},
	"manager.ouest@demo.test":      {"/dashboard": 24, "/leads": 8, "/board": 20, "/accounts": 7, "/lead": 14},
	"sales@demo.test":              {"/dashboard": 16, "/leads": 5, "/accounts": 8},
	"installer001@demo.test":       {"/dashboard": 7, "/leads": 8, "/inbox": 6, "/accounts": 6, "/lead": 10},
	"installer001.sales@demo.test": {"/dashboard": 7, "/leads": 8, "/inbox": 6, "/accounts": 6, "/lead": 10},
}

// Each UI page of the mixed load runs at most its pinned number of SQL
// statements for each role (like TestSingleIngestAndAcceptStatements pins
// the writer's), the report probes of the rollups are asked once per side
// of a cut month, and a partner's pages hold no other company's name and
// no contact of a lead it has not accepted.
func TestPageStatementsPerRole(t *testing.T) {
	e := newEnv(t)
	l := testapp.LogStatements(e.app)
	leadRe := regexp.MustCompile(`href="/leads/([a-z0-9]{15})"`)
	other, err := e.app.FindRecordById("partners", e.user("installer002@demo.test").GetString("partner"))
	require.NoError(t, err)
	for email, ceilings := range pageStatementCeilings {
		b := e.signedIn(email)
		user := e.user(email)
		if user.GetString("partner") != "" {
			require.NotEmpty(t, unacceptedContactNames(t, e, user.GetString("partner")), "%s: offers to check", email)
		}
		paths := map[string]string{}
		for page := range ceilings {
			paths[page] = page
		}
		if _, ok := ceilings["/lead"]; ok {
			m := leadRe.FindStringSubmatch(b.get("/leads").Body)
			require.NotNil(t, m, "%s: a lead in the list", email)
			paths["/lead"] = "/leads/" + m[1]
		}
		for page, ceiling := range ceilings {
			b.get(paths[page]) // caches warm
			var r resp
			stmts := l.Record(func() { r = b.get(paths[page]) })
			require.Equal(t, http.StatusOK, r.Status, "%s %s", email, page)
			// the per-caller rules (access.SpecializeRule) read the caller's
			// users and partner rows once per page, instead of joining them
			// in every rule-checked statement: one read at most, not counted
			// in the ceilings pinned before they landed
			callerReads := 0
			for _, s := range stmts {
				if strings.Contains(s, "AS partner_status") && strings.Contains(s, "FROM users u LEFT JOIN partners p") {
					callerReads++
				}
			}
			assert.LessOrEqual(t, callerReads, 1, "%s %s: the caller's row read once per page", email, page)
			assert.LessOrEqual(t, len(stmts)-callerReads, ceiling, "%s %s:\n%s", email, page, strings.Join(stmts, "\n"))
			probes := 0
			for _, st := range stmts {
				if strings.Contains(st, "SELECT EXISTS (SELECT 1 FROM rollup_") {
					probes++
				}
			}
			assert.LessOrEqual(t, probes, 6, "%s %s: two probes per report period at most", email, page)
			if user.GetString("partner") != "" {
				lacks(t, r.Body, esc(other.GetString("name")), email, page)
				for _, name := range unacceptedContactNames(t, e, user.GetString("partner")) {
					lacks(t, r.Body, esc(name), email, page, "a contact of a lead not accepted")
				}
			}
		}
	}
}

// unacceptedContactNames are the contact names of a partner's leads it has
// been offered and not accepted.
func unacceptedContactNames(t *testing.T, e *env, partner string) []string {
	t.Helper()
	var names []string
	require.NoError(t, e.app.DB().NewQuery(`SELECT c.first_name || ' ' || c.last_name FROM lead_contacts c JOIN leads l ON l.id = c.lead
		WHERE l.partner = {:p} AND l.status = 'offered' AND c.first_name != '' AND c.last_name != ''`).Bind(dbx.Params{"p": partner}).Column(&names))
	return names
}
