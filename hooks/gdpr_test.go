package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
)

// dbHits scans every column of every table of the main database (the
// table list comes from sqlite_master) and returns "table.column" for each
// value holding the e-mail (any case) or one of the phone numbers (any
// notation: digits compared after stripping everything else).
func dbHits(t *testing.T, app core.App, email string, phoneDigits ...string) []string {
	t.Helper()
	var tables []string
	require.NoError(t, app.DB().NewQuery("SELECT name FROM sqlite_master WHERE type = 'table'").Column(&tables))
	require.Contains(t, tables, "lead_contacts")
	var hits []string
	for _, table := range tables {
		var cols []string
		require.NoError(t, app.DB().NewQuery("SELECT name FROM pragma_table_info('"+table+"')").Column(&cols))
		for _, c := range cols {
			var vals []string
			require.NoError(t, app.DB().NewQuery(fmt.Sprintf(`SELECT COALESCE(CAST("%s" AS TEXT), '') FROM "%s"`, c, table)).Column(&vals))
			for _, v := range vals {
				digits := strings.Map(func(r rune) rune {
					if r >= '0' && r <= '9' {
						return r
					}
					return -1
				}, v)
				hit := strings.Contains(strings.ToLower(v), strings.ToLower(email))
				for _, p := range phoneDigits {
					hit = hit || strings.Contains(digits, p)
				}
				if hit {
					hits = append(hits, table+"."+c)
				}
			}
		}
	}
	return hits
}

// GDPR export gathers the subject; erase leaves no trace of its e-mail or
// phones in any table, keeps other people's data, and the audit chain
// still verifies.
func TestGDPRExportAndErase(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.tokens["admin"]
	const email = "anne.canary@example.test"
	lead := w.lead(ownLead("partner_user"))
	lead.Set("interest", "Rappel demandé par ANNE.CANARY@example.test")
	lead.Set("dedup_key", "email:"+email)
	require.NoError(t, w.app.Save(lead))
	twin := w.lead(ownLead("partner_user"))
	twin.Set("dedup_key", "phone:+33699887766")
	require.NoError(t, w.app.Save(twin))

	for _, k := range []string{"email:" + email, "phone:+33699887766", "phone:+33611223344"} {
		w.mk("dedup_keys", map[string]any{"key": k, "kind": "lead", "record": lead.Id})
	}
	keep := w.mk("dedup_keys", map[string]any{"key": "email:bob@example.test", "kind": "lead", "record": twin.Id})

	// through the API, so that the audit log sees these writes
	res := w.client.Do(http.MethodPost, url("lead_contacts"), admin, map[string]any{"lead": lead.Id, "first_name": "Anne", "last_name": "Canary",
		"email": "Anne.Canary@Example.test", "phone": "+33 6 99 88 77 66", "mobile": "06 11 22 33 44"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = w.client.Do(http.MethodPost, url("activities"), admin, map[string]any{"lead": lead.Id, "kind": "call",
		"summary": "Rappeler Anne au 06.99.88.77.66 ou " + email, "outcome": "rappel au (0)6 11 22 33 44"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	acc := w.mk("accounts", map[string]any{"name": "Ferme Canary"})
	w.mk("contacts", map[string]any{"account": acc.Id, "first_name": "Anne", "last_name": "Canary", "email": email, "phone": "0699887766"})
	w.mk("notifications", map[string]any{"user": w.uid("partner_user"), "kind": "note", "title": "Rappeler", "body": "Anne: +33699887766"})
	// someone else, who stays
	bobAcc := w.mk("accounts", map[string]any{"name": "Bob SARL"})
	bob := w.mk("contacts", map[string]any{"account": bobAcc.Id, "first_name": "Bob", "email": "bob@example.test", "phone": "+33712345678"})
	unrelated := w.mk("activities", map[string]any{"lead": twin.Id, "kind": "note", "summary": "devis envoyé à bob@example.test"})

	require.NotEmpty(t, dbHits(t, w.app, email, "699887766", "611223344"), "the scan finds the subject before the erasure")

	data, err := governance.GDPRExport(w.app, audit.SystemActor("test"), "  Anne.Canary@example.TEST ", time.Now())
	require.NoError(t, err)
	assert.Len(t, data.LeadContacts, 1)
	assert.Len(t, data.Contacts, 1)
	assert.Len(t, data.Leads, 1)
	assert.Len(t, data.Accounts, 1)
	assert.Len(t, data.Activities, 1)
	raw, err := json.Marshal(data)
	require.NoError(t, err)
	assert.Contains(t, string(raw), "Canary")
	assert.NotContains(t, string(raw), "bob@example.test")

	head := auditHead(t, w.app)
	rep, err := governance.GDPRErase(w.app, audit.SystemActor("test"), email, time.Now())
	require.NoError(t, err)
	assert.Len(t, rep.LeadContacts, 1)
	assert.Len(t, rep.Contacts, 1)
	assert.Empty(t, rep.Residual)

	assert.Empty(t, dbHits(t, w.app, email, "699887766", "611223344"), "no trace of the e-mail or phones in any table")
	for _, table := range []string{"lead_contacts", "contacts"} {
		var n int
		require.NoError(t, w.app.DB().NewQuery("SELECT COUNT(*) FROM "+table+" WHERE first_name = 'Anne' OR last_name = 'Canary'").Row(&n))
		assert.Zero(t, n, table)
	}
	// the leads and the account stay, without the person; keys derived from it are gone
	fresh, err := w.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Empty(t, fresh.GetString("dedup_key"))
	assert.Contains(t, fresh.GetString("interest"), governance.ErasedMark)
	// other people stay
	bobNow, err := w.app.FindRecordById("contacts", bob.Id)
	require.NoError(t, err)
	assert.Equal(t, "bob@example.test", bobNow.GetString("email"))
	assert.Equal(t, "+33712345678", bobNow.GetString("phone"))
	_, err = w.app.FindRecordById("dedup_keys", keep.Id)
	require.NoError(t, err, "other people's keys stay")
	var keys int
	require.NoError(t, w.app.DB().NewQuery("SELECT COUNT(*) FROM dedup_keys WHERE key = '' OR key LIKE '%erased%'").Row(&keys))
	assert.Zero(t, keys, "the subject's keys are deleted, not left blank")
	unrelatedNow, err := w.app.FindRecordById("activities", unrelated.Id)
	require.NoError(t, err)
	assert.Equal(t, "devis envoyé à bob@example.test", unrelatedNow.GetString("summary"))

	// one audit entry, without the erased values; the chain verifies
	e := onlyEntry(t, w.app, head, governance.ActionGDPRErase)
	assert.NotContains(t, strings.ToLower(e.GetString("changes")), "canary")
	assert.NotContains(t, e.GetString("changes"), "699887766")
	check, err := audit.Verify(w.app, 0, nil)
	require.NoError(t, err)
	require.Nil(t, check.Break)
	assert.Equal(t, auditHead(t, w.app), check.Count)

	// nothing left to export; a second erasure finds nothing
	data, err = governance.GDPRExport(w.app, audit.SystemActor("test"), email, time.Now())
	require.NoError(t, err)
	assert.Empty(t, data.LeadContacts)
	assert.Empty(t, data.Contacts)
	_, err = governance.GDPRErase(w.app, audit.SystemActor("test"), "not an email", time.Now())
	assert.Error(t, err)
}
