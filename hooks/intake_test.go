package hooks_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func countRows(t *testing.T, w *world, q string, params ...dbx.Params) int {
	t.Helper()
	var n int
	query := w.app.DB().NewQuery(q)
	if len(params) > 0 {
		query.Bind(params[0])
	}
	require.NoError(t, query.Row(&n))
	return n
}

func ingestBody(ref string) map[string]any {
	return map[string]any{
		"company": "Boulangerie Le Fournil", "segment": "business", "postal_code": "35000", "city": "Rennes",
		"source": "api", "source_ref": ref, "interest": "Toiture 36 kWc", "score": 40, "consent": true,
		"contact": map[string]any{"first_name": "Jeanne", "last_name": "Fournier", "email": "jeanne@fournil.fr", "phone": "02 99 12 34 56"},
	}
}

func TestIngestIsIdempotent(t *testing.T) {
	w := newWorld(t)
	tok := w.tokens["integration"]
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, ingestBody("CRM-1"))
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var first map[string]any
	res.JSON(t, &first)
	// the territory and département come from the postal code
	assert.Equal(t, w.T1, first["territory"])
	assert.Equal(t, "35", first["department"])
	assert.Equal(t, "new", first["status"], "score below the threshold stays in the pool")

	for i := 0; i < 3; i++ {
		again := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, ingestBody("CRM-1"))
		require.Equal(t, http.StatusOK, again.Status, again.Body)
		var replay map[string]any
		again.JSON(t, &replay)
		assert.Equal(t, first["id"], replay["id"])
		// the creation's answer (the saved record, rule decided in memory)
		// is the replay's (read again through the rule): same fields
		assert.Equal(t, first, replay)
	}
	assert.NotContains(t, first, "created_by", "hidden from integrations")
	assert.Contains(t, first, "source_ref", "unhidden for the integration's own lead")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref = 'CRM-1'"))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_contacts WHERE lead = {:l}", dbx.Params{"l": first["id"]}))
	// the phone is stored in E.164
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM lead_contacts WHERE phone = '+33299123456'"))
	// one audit entry for the creation
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'lead.ingest' AND record = {:l}", dbx.Params{"l": first["id"]}))

	// another integration sending someone else's reference learns nothing:
	// references are per sender, so it is not a replay but a lead of its
	// own (TestIngestReplayIsNoOracle compares it with a fresh reference)
	w.addUser("integration2", "integration", "")
	res = w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration2"], ingestBody("CRM-1"))
	assert.Equal(t, http.StatusCreated, res.Status, res.Body)
	assert.NotContains(t, res.Body, first["id"])

	// an internal role sees the internal fields in both answers too
	adminBody := ingestBody("CRM-ADMIN")
	created := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["admin"], adminBody)
	require.Equal(t, http.StatusCreated, created.Status, created.Body)
	replayed := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["admin"], ingestBody("CRM-ADMIN"))
	require.Equal(t, http.StatusOK, replayed.Status, replayed.Body)
	var a, b map[string]any
	created.JSON(t, &a)
	replayed.JSON(t, &b)
	assert.Equal(t, a, b)
	assert.Contains(t, a, "created_by")
}

func TestIngestValidationNamesTheField(t *testing.T) {
	w := newWorld(t)
	tok := w.tokens["integration"]
	cases := map[string]func(b map[string]any){
		"company":         func(b map[string]any) { b["company"] = "  " },
		"postal_code":     func(b map[string]any) { b["postal_code"] = "ABCDE" },
		"score":           func(b map[string]any) { b["score"] = 150 },
		"source":          func(b map[string]any) { b["source"] = "pigeon" },
		"segment":         func(b map[string]any) { b["segment"] = "spaceship" },
		"contact.email":   func(b map[string]any) { b["contact"].(map[string]any)["email"] = "not-an-email" },
		"contact.phone":   func(b map[string]any) { b["contact"].(map[string]any)["phone"] = "call me maybe" },
		"siret":           func(b map[string]any) { b["siret"] = "12345678901234" },
		"estimated_value": func(b map[string]any) { b["estimated_value"] = -5 },
	}
	for field, mutate := range cases {
		t.Run(field, func(t *testing.T) {
			b := ingestBody("BAD-" + field)
			mutate(b)
			res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, b)
			assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
			assert.Contains(t, res.Body, `"`+field+`"`)
		})
	}
	assert.Equal(t, 0, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref LIKE 'BAD-%'"))

	// partners and guests may not ingest
	assert.Equal(t, http.StatusForbidden, w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["partner_manager"], ingestBody("P-1")).Status)
	assert.Equal(t, http.StatusUnauthorized, w.client.Do(http.MethodPost, "/api/prm/leads/ingest", "", ingestBody("G-1")).Status)
}

func TestIngestBatchOfAThousand(t *testing.T) {
	w := newWorld(t)
	var leads []map[string]any
	for i := 0; i < 1000; i++ {
		b := ingestBody(fmt.Sprintf("B-%04d", i))
		b["company"] = fmt.Sprintf("Société %04d", i)
		b["contact"] = map[string]any{"email": fmt.Sprintf("c%04d@client%04d.fr", i, i)}
		leads = append(leads, b)
	}
	leads[10]["postal_code"] = "999"   // invalid
	leads[20]["source_ref"] = "B-0019" // replay inside the batch
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest/batch", w.tokens["integration"], map[string]any{"leads": leads})
	require.Equal(t, http.StatusOK, res.Status, res.Body[:200])
	var out struct {
		Created int `json:"created"`
		Items   []struct {
			Index  int            `json:"index"`
			Status string         `json:"status"`
			ID     string         `json:"id"`
			Error  map[string]any `json:"error"`
		} `json:"items"`
	}
	res.JSON(t, &out)
	require.Len(t, out.Items, 1000)
	assert.Equal(t, 998, out.Created)
	assert.Equal(t, "error", out.Items[10].Status)
	assert.Equal(t, "postal_code", out.Items[10].Error["field"])
	assert.Equal(t, "existing", out.Items[20].Status)
	assert.Equal(t, out.Items[19].ID, out.Items[20].ID)
	assert.Equal(t, 998, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref LIKE 'B-%'"))

	// replaying the whole batch creates nothing
	res = w.client.Do(http.MethodPost, "/api/prm/leads/ingest/batch", w.tokens["integration"], map[string]any{"leads": leads})
	res.JSON(t, &out)
	assert.Equal(t, 0, out.Created)
	assert.Equal(t, 998, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref LIKE 'B-%'"))

	// over the limit
	leads = append(leads, ingestBody("B-extra"))
	res = w.client.Do(http.MethodPost, "/api/prm/leads/ingest/batch", w.tokens["integration"], map[string]any{"leads": leads})
	assert.Equal(t, http.StatusBadRequest, res.Status)
}

func TestWebForm(t *testing.T) {
	w := newWorld(t)
	s, err := w.app.FindRecordById("settings_prm", "relaissettings1")
	require.NoError(t, err)
	s.Set("web_form_keys", []string{"site-key-1"})
	require.NoError(t, w.app.Save(s))
	form := func() map[string]any {
		return map[string]any{"first_name": "Paul", "last_name": "Martin", "email": "paul.martin@gmail.com", "phone": "0612345678",
			"postal_code": "29200", "city": "Brest", "interest": "Panneaux 6 kWc", "consent": true}
	}
	assert.Equal(t, http.StatusNotFound, w.client.Do(http.MethodPost, "/api/prm/webform/wrong-key", "", form()).Status)

	bot := form()
	bot["website"] = "http://spam.example"
	res := w.client.Do(http.MethodPost, "/api/prm/webform/site-key-1", "", bot)
	assert.Equal(t, http.StatusCreated, res.Status)
	assert.Equal(t, 0, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source = 'web'"), "the honeypot drops the lead")

	noConsent := form()
	noConsent["consent"] = false
	res = w.client.Do(http.MethodPost, "/api/prm/webform/site-key-1", "", noConsent)
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assert.Contains(t, res.Body, "consent")

	res = w.client.Do(http.MethodPost, "/api/prm/webform/site-key-1", "", form())
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	assert.JSONEq(t, `{"status":"received"}`, res.Body, "the public form discloses nothing")
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source = 'web' AND consent = 1 AND territory = {:t}", dbx.Params{"t": w.T1}))
}

func TestWebFormIsRateLimited(t *testing.T) {
	w := newWorld(t)
	w.app.Settings().RateLimits.Enabled = true
	s, err := w.app.FindRecordById("settings_prm", "relaissettings1")
	require.NoError(t, err)
	s.Set("web_form_keys", []string{"k"})
	require.NoError(t, w.app.Save(s))
	limited := false
	for i := 0; i < 10; i++ {
		res := w.client.Do(http.MethodPost, "/api/prm/webform/k", "", map[string]any{"email": fmt.Sprintf("x%d@y.fr", i), "postal_code": "35000", "consent": true, "last_name": "X"})
		if res.Status == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	assert.True(t, limited, "the web form must be rate limited")
}

var _ = strings.Contains
