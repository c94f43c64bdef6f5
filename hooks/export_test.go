package hooks_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/filterguard"
	"github.com/relais/relais/hooks/governance"
)

func exportURL(resource string, query ...string) string {
	u := "/api/prm/export/" + resource
	if len(query) > 0 {
		u += "?" + query[0]
	}
	return u
}

// parseCSV returns the header and the rows of an export.
func parseCSV(t *testing.T, body string) ([]string, []map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	require.NoError(t, err, body)
	require.NotEmpty(t, recs, "a header")
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		rows = append(rows, m)
	}
	return recs[0], rows
}

// The export route: who gets a CSV (the matrix `export` flag), 403 and an
// audit entry for the others, the same rows and hidden-field rules as the
// API, formulas neutralised, the row cap, one audit entry per export.
func TestExport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	t1 := w.lead(leadShape{territory: "T1", status: "ready", createdBy: "teleoperator"})
	t2 := w.lead(leadShape{territory: "T2", status: "ready", createdBy: "teleoperator"})
	mine := w.lead(ownLead("partner_user"))
	theirs := w.lead(foreignLead("partner_user"))
	mine.Set("source_ref", "CANARY-SRC-77")
	mine.Set("qualification_notes", "CANARY-NOTE-77")
	mine.Set("interest", "=cmd|' /C calc'!A0")
	mine.Set("city", "+33 Brest")
	mine.Set("lost_reason", "@SUM(A1)")
	mine.Set("company", "-Société\tRisquée")
	require.NoError(t, w.app.Save(mine))

	t.Run("authorization", func(t *testing.T) {
		for _, tc := range []struct {
			who      string
			resource string
			status   int
		}{
			{"", "leads", http.StatusUnauthorized},
			{"admin", "leads", http.StatusOK},
			{"admin", "audit_log", http.StatusOK},
			{"channel_manager", "leads", http.StatusOK},
			{"channel_manager", "lead_contacts", http.StatusForbidden}, // no export flag
			{"sales", "leads", http.StatusForbidden},
			{"teleoperator", "leads", http.StatusForbidden},
			{"integration", "leads", http.StatusForbidden},
			{"partner_manager", "leads", http.StatusForbidden},
			{"partner_user", "leads", http.StatusForbidden},
			{"partner_user", "deal_terms", http.StatusForbidden},
			{"partner_manager", "audit_log", http.StatusForbidden},
			{"admin", "reports", http.StatusNotFound},
			{"admin", "nope", http.StatusNotFound},
		} {
			head := auditHead(t, w.app)
			res := w.client.Do(http.MethodGet, exportURL(tc.resource), w.tokens[tc.who], nil)
			require.Equal(t, tc.status, res.Status, "%s %s: %s", tc.who, tc.resource, res.Body)
			switch tc.status {
			case http.StatusOK:
				e := onlyEntry(t, w.app, head, governance.ActionExport)
				assert.Equal(t, tc.resource, e.GetString("resource"))
				assert.Equal(t, w.uid(tc.who), e.GetString("actor"))
			case http.StatusForbidden:
				e := onlyEntry(t, w.app, head, governance.ActionExportDenied)
				requireEntryFields(t, e, w.uid(tc.who), w.users[tc.who].GetString("role"), w.users[tc.who].GetString("partner"), tc.resource, "")
				assert.NotContains(t, res.Body, mine.GetString("company"))
				assert.NotContains(t, res.Body, "CANARY")
			default:
				assert.Empty(t, auditSince(t, w.app, head))
			}
		}
	})

	t.Run("same rows as the API", func(t *testing.T) {
		res := w.client.Do(http.MethodGet, exportURL("leads"), w.tokens["channel_manager"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		assert.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
		_, rows := parseCSV(t, res.Body)
		var got []string
		for _, r := range rows {
			got = append(got, r["id"])
		}
		assert.ElementsMatch(t, govListIDs(t, w, w.tokens["channel_manager"], "leads"), got)
		assert.Contains(t, got, t1.Id)
		assert.NotContains(t, got, t2.Id)
		assert.NotContains(t, res.Body, t2.GetString("company"))
	})

	t.Run("filter is applied and audited", func(t *testing.T) {
		head := auditHead(t, w.app)
		res := w.client.Do(http.MethodGet, exportURL("leads", "filter="+urlQuery("status='accepted'")), w.tokens["admin"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		_, rows := parseCSV(t, res.Body)
		for _, r := range rows {
			assert.Equal(t, "accepted", r["status"])
		}
		e := onlyEntry(t, w.app, head, governance.ActionExport)
		c := changesOf(t, e)
		// the filter's shape, values masked, and its fingerprint
		assert.Equal(t, "status='…'", c["filter"])
		assert.Equal(t, filterguard.Fingerprint("status='accepted'"), c["filter_sha256"])
		assert.NotContains(t, e.GetString("changes"), "accepted")
		assert.EqualValues(t, len(rows), c["rows"])
		// the filter obeys the REST API's rules: hidden fields are not filterable
		f := "filter=" + urlQuery("source_ref='CANARY-SRC-77'")
		rest := w.client.Do(http.MethodGet, url("leads")+"?"+f, w.tokens["channel_manager"], nil)
		res = w.client.Do(http.MethodGet, exportURL("leads", f), w.tokens["channel_manager"], nil)
		assert.Equal(t, http.StatusBadRequest, rest.Status)
		assert.Equal(t, rest.Status, res.Status)
	})

	t.Run("partner with the export right: own company, no hidden fields, formulas neutralised", func(t *testing.T) {
		res := w.client.Do(http.MethodPatch, url("permissions", permissionID(t, w, "partner_manager", "leads")), w.tokens["admin"], map[string]any{"export": true})
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		res = w.client.Do(http.MethodGet, exportURL("leads"), w.tokens["partner_manager"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		header, rows := parseCSV(t, res.Body)
		for _, hidden := range []string{"source", "source_ref", "qualification_notes", "created_by", "dedup_key", "campaign", "duplicate_of"} {
			assert.NotContains(t, header, hidden)
		}
		assert.NotContains(t, res.Body, "CANARY")
		assert.NotContains(t, res.Body, theirs.Id)
		assert.NotContains(t, res.Body, w.P2)
		var row map[string]string
		for _, r := range rows {
			if r["id"] == mine.Id {
				row = r
			}
		}
		require.NotNil(t, row, "own lead exported")
		assert.Equal(t, "'=cmd|' /C calc'!A0", row["interest"])
		assert.Equal(t, "'+33 Brest", row["city"])
		assert.Equal(t, "'@SUM(A1)", row["lost_reason"])
		assert.Equal(t, "'-Société\tRisquée", row["company"])
		assert.Equal(t, "70", row["score"], "numbers are not touched")
		// a filter on a hidden field is refused, not an oracle
		res = w.client.Do(http.MethodGet, exportURL("leads", "filter="+urlQuery("source_ref='CANARY-SRC-77'")), w.tokens["partner_manager"], nil)
		assert.Equal(t, http.StatusBadRequest, res.Status)
		assert.NotContains(t, res.Body, mine.Id)
	})

	t.Run("row cap", func(t *testing.T) {
		govExec(t, w.app, "UPDATE settings_prm SET export_row_cap = 2 WHERE id = {:id}", dbx.Params{"id": access.SettingsID})
		defer govExec(t, w.app, "UPDATE settings_prm SET export_row_cap = 10000 WHERE id = {:id}", dbx.Params{"id": access.SettingsID})
		head := auditHead(t, w.app)
		res := w.client.Do(http.MethodGet, exportURL("leads"), w.tokens["admin"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		_, rows := parseCSV(t, res.Body)
		assert.Len(t, rows, 2)
		assert.Equal(t, "true", res.Header.Get("X-Export-Capped"))
		c := changesOf(t, onlyEntry(t, w.app, head, governance.ActionExport))
		assert.EqualValues(t, 2, c["rows"])
		assert.Equal(t, true, c["capped"])
	})

	t.Run("export grant", func(t *testing.T) { exportGrant(t, w) })

	t.Run("an empty export still has its header", func(t *testing.T) {
		res := w.client.Do(http.MethodGet, exportURL("tickets"), w.tokens["admin"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		header, rows := parseCSV(t, res.Body)
		assert.Contains(t, header, "subject")
		assert.Empty(t, rows)
	})
}

// exportGrant: an export grant lets a user without the matrix right export
// once, while it runs; the use is audited with the grant.
func exportGrant(t *testing.T, w *world) {
	own := w.lead(ownLead("sales"))
	foreign := w.lead(foreignLead("sales"))
	sales := w.tokens["sales"]
	require.Equal(t, http.StatusForbidden, w.client.Do(http.MethodGet, exportURL("leads"), sales, nil).Status)

	g, err := governance.CreateGrant(w.app, audit.ActorOfUser(w.users["admin"]), governance.GrantSpec{
		User: w.uid("sales"), Kind: "export", Resource: "leads", Expires: time.Now().Add(time.Hour), GrantedBy: w.uid("admin"),
	}, time.Now())
	require.NoError(t, err)

	// a grant on leads does not open accounts
	assert.Equal(t, http.StatusForbidden, w.client.Do(http.MethodGet, exportURL("accounts"), sales, nil).Status)

	head := auditHead(t, w.app)
	res := w.client.Do(http.MethodGet, exportURL("leads"), sales, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, own.Id)
	assert.NotContains(t, res.Body, foreign.Id, "the grant gives the export, not more rows")
	e := onlyEntry(t, w.app, head, governance.ActionExport)
	assert.Equal(t, g.Id, changesOf(t, e)["grant"])
	used, err := w.app.FindRecordById("grants", g.Id)
	require.NoError(t, err)
	assert.False(t, used.GetDateTime("used_at").IsZero())

	// one-off
	head = auditHead(t, w.app)
	assert.Equal(t, http.StatusForbidden, w.client.Do(http.MethodGet, exportURL("leads"), sales, nil).Status)
	onlyEntry(t, w.app, head, governance.ActionExportDenied)

	// an expired grant does not work, no job needed
	g2, err := governance.CreateGrant(w.app, audit.SystemActor("test"), governance.GrantSpec{
		User: w.uid("sales"), Kind: "export", Resource: "leads", Expires: time.Now().Add(time.Hour),
	}, time.Now())
	require.NoError(t, err)
	govExec(t, w.app, "UPDATE grants SET expires = {:t} WHERE id = {:id}", dbx.Params{"t": dbDate(time.Now().Add(-time.Second)), "id": g2.Id})
	assert.Equal(t, http.StatusForbidden, w.client.Do(http.MethodGet, exportURL("leads"), sales, nil).Status)
}

// Partner roles page through lists: perPage is capped at
// settings_prm.partner_page_cap (50); internal roles are not.
func TestPartnerListPageCap(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for range 60 {
		w.lead(ownLead("partner_user"))
	}
	page := func(who, query string) (int, int, int) {
		res := w.client.Do(http.MethodGet, url("leads")+"?"+query, w.tokens[who], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		var p struct {
			PerPage    int `json:"perPage"`
			TotalItems int `json:"totalItems"`
			Items      []struct {
				Partner string `json:"partner"`
			} `json:"items"`
		}
		res.JSON(t, &p)
		for _, it := range p.Items {
			require.Equal(t, w.P1, it.Partner)
		}
		return len(p.Items), p.PerPage, p.TotalItems
	}
	n, per, total := page("partner_user", "perPage=500")
	assert.Equal(t, 50, n)
	assert.Equal(t, 50, per)
	assert.Equal(t, 60, total)
	n, _, _ = page("partner_manager", "perPage=500&page=2")
	assert.Equal(t, 10, n, "the second page holds the rest")
	n, _, _ = page("partner_user", "perPage=20")
	assert.Equal(t, 20, n, "smaller pages are untouched")
	n, _, _ = page("partner_user", "")
	assert.Equal(t, 30, n)
	n, _, _ = page("admin", "perPage=500")
	assert.Equal(t, 60, n, "internal roles are not capped")
	assert.Equal(t, 50, pageCap(t, w.app, w.users["partner_user"]))
	assert.Equal(t, access.MaxPerPage, pageCap(t, w.app, w.users["admin"]))

	govExec(t, w.app, "UPDATE settings_prm SET partner_page_cap = 10 WHERE id = {:id}", dbx.Params{"id": access.SettingsID})
	n, per, _ = page("partner_user", "")
	assert.Equal(t, 10, n)
	assert.Equal(t, 10, per)
}
