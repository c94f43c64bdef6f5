package hooks_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
)

// GDPR erasure also erases a private customer's name: the subject's leads
// keep no company, and every copy of the name in any table (texts written
// before private customers were separated, call reports, duplicate keys)
// is rewritten or dropped, accents or not; other people stay.
func TestGDPREraseRemovesAPrivateCustomersName(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	exec := func(q string, params dbx.Params) {
		t.Helper()
		_, err := w.app.DB().NewQuery(q).Bind(params).Execute()
		require.NoError(t, err, q)
	}
	const email = "helene@example.test"
	lead := w.mk("leads", map[string]any{"segment": "residential", "status": "accepted", "postal_code": "35000", "city": "Rennes",
		"territory": w.T1, "partner": w.P1, "assignee": w.uid("partner_user")})
	require.True(t, lead.GetBool("private"))
	w.mk("lead_contacts", map[string]any{"lead": lead.Id, "first_name": "Hélène", "last_name": "Lefèvre-Roux", "email": email})
	other := w.lead(leadShape{territory: "T1", status: "new"})
	// copies written before the separation, straight into the tables
	exec("UPDATE leads SET company = 'Famille Lefèvre-Roux', dedup_key = 'company:famille lefevre roux|35000' WHERE id = {:id}", dbx.Params{"id": lead.Id})
	w.mk("dedup_keys", map[string]any{"key": "company:famille lefevre roux|35000", "kind": "lead", "record": lead.Id})
	w.mk("notifications", map[string]any{"user": w.uid("partner_user"), "kind": "offer", "lead": lead.Id,
		"title": "Nouvelle offre / New offer: Famille Lefèvre-Roux (Rennes)", "body": "Famille Lefèvre-Roux — 35000 Rennes"})
	w.mk("opportunities", map[string]any{"lead": lead.Id, "name": "Famille Lefèvre-Roux", "stage": "prospecting", "partner": w.P1})
	w.mk("activities", map[string]any{"lead": lead.Id, "kind": "call", "summary": "RDV pris avec Mme Lefèvre-Roux"})
	w.mk("activities", map[string]any{"lead": other.Id, "kind": "note", "summary": "Recommandé par helene lefevre roux, voisine"})
	// other people, who stay
	keep := w.mk("activities", map[string]any{"lead": other.Id, "kind": "note", "summary": "Famille Roux et Hélène Martin rappelées"})
	w.mk("lead_contacts", map[string]any{"lead": other.Id, "first_name": "Paul", "last_name": "Roux", "email": "paul@example.test"})

	require.NotEmpty(t, dbHits(t, w.app, "lefèvre-roux"))
	require.NotEmpty(t, dbHits(t, w.app, "lefevre roux"))
	head := auditHead(t, w.app)
	rep, err := governance.GDPRErase(w.app, audit.SystemActor("test"), email, time.Now())
	require.NoError(t, err)
	assert.Empty(t, rep.Residual)
	assert.Positive(t, rep.Scrubbed["leads.company"])

	for _, word := range []string{"lefèvre", "lefevre"} {
		assert.Empty(t, dbHits(t, w.app, word), word)
	}
	fresh := storedLead(t, w, lead.Id)
	assert.Empty(t, fresh.GetString("company"), "the private lead keeps an empty company")
	assert.Empty(t, fresh.GetString("dedup_key"))
	kept, err := w.app.FindRecordById("activities", keep.Id)
	require.NoError(t, err)
	assert.Equal(t, "Famille Roux et Hélène Martin rappelées", kept.GetString("summary"), "other people stay")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_contacts WHERE last_name = 'Roux'"))

	e := onlyEntry(t, w.app, head, governance.ActionGDPRErase)
	assert.NotContains(t, strings.ToLower(e.GetString("changes")), "lef")
	check, err := audit.Verify(w.app, 0, nil)
	require.NoError(t, err)
	require.Nil(t, check.Break)
}
