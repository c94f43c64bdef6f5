package hooks_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/intake"
)

// badInput is one refused value of an input: how to set it and the field
// the answer must name.
type badInput struct {
	name, field string
	set         func(b map[string]any)
}

// contactIn returns the nested contact of an ingest body.
func contactIn(b map[string]any) map[string]any { return b["contact"].(map[string]any) }

const megabyte = 1 << 20

// badIngestInputs are the values the intake refuses, each naming its field
// (the cases of the "bad input" report: over-long values, 1 MB fields, an
// unknown campaign, postal codes of no département, an amount that would
// overflow the reports, NUL bytes and bidirectional overrides).
var badIngestInputs = []badInput{
	{"city 121 chars", "city", func(b map[string]any) { b["city"] = strings.Repeat("a", 121) }},
	{"city 1 MB", "city", func(b map[string]any) { b["city"] = strings.Repeat("a", megabyte) }},
	{"company 1 MB", "company", func(b map[string]any) { b["company"] = strings.Repeat("a", megabyte) }},
	{"interest 1 MB", "interest", func(b map[string]any) { b["interest"] = strings.Repeat("a", megabyte) }},
	{"postal_code 1 MB", "postal_code", func(b map[string]any) { b["postal_code"] = strings.Repeat("1", megabyte) }},
	{"first name 101 chars", "contact.first_name", func(b map[string]any) { contactIn(b)["first_name"] = strings.Repeat("é", 101) }},
	{"last name 1 MB", "contact.last_name", func(b map[string]any) { contactIn(b)["last_name"] = strings.Repeat("a", megabyte) }},
	{"title 121 chars", "contact.title", func(b map[string]any) { contactIn(b)["title"] = strings.Repeat("a", 121) }},
	{"email 1 MB", "contact.email", func(b map[string]any) { contactIn(b)["email"] = strings.Repeat("a", megabyte) + "@x.fr" }},
	{"phone 1 MB", "contact.phone", func(b map[string]any) { contactIn(b)["phone"] = strings.Repeat("1", megabyte) }},
	{"unknown campaign", "campaign", func(b map[string]any) { b["campaign"] = "nosuchcampaign1" }},
	{"campaign 1 MB", "campaign", func(b map[string]any) { b["campaign"] = strings.Repeat("c", megabyte) }},
	{"campaign with a quote", "campaign", func(b map[string]any) { b["campaign"] = "x' OR 1=1" }},
	{"postal_code 00000", "postal_code", func(b map[string]any) { b["postal_code"] = "00000" }},
	{"postal_code 99999", "postal_code", func(b map[string]any) { b["postal_code"] = "99999" }},
	{"postal_code 96000", "postal_code", func(b map[string]any) { b["postal_code"] = "96000" }},
	{"postal_code 98800", "postal_code", func(b map[string]any) { b["postal_code"] = "98800" }},
	{"postal_code 2A004", "postal_code", func(b map[string]any) { b["postal_code"] = "2A004" }},
	{"estimated_value 1e17", "estimated_value", func(b map[string]any) { b["estimated_value"] = 1e17 }},
	{"estimated_value over 1e9", "estimated_value", func(b map[string]any) { b["estimated_value"] = 1_000_000_001 }},
	{"NUL in company", "company", func(b map[string]any) { b["company"] = "Boulangerie\x00Le Fournil" }},
	{"NUL in interest", "interest", func(b map[string]any) { b["interest"] = "Toiture\x00" }},
	{"bidi override in city", "city", func(b map[string]any) { b["city"] = "Rennes\u202egnp.exe" }},
	{"bidi isolate in first name", "contact.first_name", func(b map[string]any) { contactIn(b)["first_name"] = "Jea\u2066nne" }},
	{"escape in source_ref", "source_ref", func(b map[string]any) { b["source_ref"] = "REF\x1b[31m" }},
	{"score abc", "score", func(b map[string]any) { b["score"] = "abc" }},
	{"score 1.5", "score", func(b map[string]any) { b["score"] = 1.5 }},
	{"company a number", "company", func(b map[string]any) { b["company"] = 12 }},
	{"estimated_value text", "estimated_value", func(b map[string]any) { b["estimated_value"] = "12k" }},
	{"first name a number", "contact.first_name", func(b map[string]any) { contactIn(b)["first_name"] = 3 }},
	{"consent maybe", "consent", func(b map[string]any) { b["consent"] = "maybe" }},
}

// errorField is the field a 400 of the /api/prm routes names: the key of
// its data besides "code".
func errorField(t *testing.T, body string) string {
	t.Helper()
	var out struct {
		Data map[string]any `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out), body)
	for k, v := range out.Data {
		if _, ok := v.(map[string]any); ok {
			return k
		}
	}
	return ""
}

func TestIngestRefusesBadInputNamingTheField(t *testing.T) {
	w := newWorld(t)
	tok := w.tokens["integration"]
	for i, tc := range badIngestInputs {
		t.Run(tc.name, func(t *testing.T) {
			b := ingestBody(fmt.Sprintf("BADIN-%d", i))
			tc.set(b)
			res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, b)
			require.Equal(t, http.StatusBadRequest, res.Status, snippet(res.Body))
			assert.Equal(t, tc.field, errorField(t, res.Body), snippet(res.Body))
		})
	}
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads"), "nothing stored")
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM lead_contacts"), "nothing stored")

	// the limits themselves are accepted
	b := ingestBody("LIMITS")
	b["city"], b["estimated_value"] = strings.Repeat("a", 120), 1_000_000_000
	contactIn(b)["first_name"] = strings.Repeat("é", 100)
	contactIn(b)["last_name"] = "O'Brien\tSmith"
	b["interest"] = "ligne 1\r\nligne 2"
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, b)
	require.Equal(t, http.StatusCreated, res.Status, snippet(res.Body))
}

func TestIngestBatchRefusesBadItemsAlone(t *testing.T) {
	w := newWorld(t)
	var leads []map[string]any
	for i, tc := range badIngestInputs {
		good := ingestBody(fmt.Sprintf("GOOD-%d", i))
		good["company"] = fmt.Sprintf("Société %d", i)
		good["contact"] = map[string]any{"email": fmt.Sprintf("c%d@client%d.fr", i, i)}
		bad := ingestBody(fmt.Sprintf("BAD-%d", i))
		bad["company"] = fmt.Sprintf("Mauvaise %d", i)
		tc.set(bad)
		leads = append(leads, good, bad)
	}
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest/batch", w.tokens["integration"], map[string]any{"leads": leads})
	require.Equal(t, http.StatusOK, res.Status, snippet(res.Body))
	var out struct {
		Created int `json:"created"`
		Items   []struct {
			Status string         `json:"status"`
			Error  map[string]any `json:"error"`
		} `json:"items"`
	}
	res.JSON(t, &out)
	require.Len(t, out.Items, 2*len(badIngestInputs))
	assert.Equal(t, len(badIngestInputs), out.Created)
	for i, tc := range badIngestInputs {
		assert.Equal(t, "created", out.Items[2*i].Status, tc.name)
		assert.Equal(t, "error", out.Items[2*i+1].Status, tc.name)
		assert.Equal(t, tc.field, out.Items[2*i+1].Error["field"], tc.name)
	}
	assert.Equal(t, len(badIngestInputs), countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref LIKE 'GOOD-%'"))
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref LIKE 'BAD-%'"))
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM lead_contacts WHERE lead NOT IN (SELECT id FROM leads)"))
}

func TestWebFormRefusesBadInputNamingTheField(t *testing.T) {
	w := newWorld(t)
	s, err := w.app.FindRecordById("settings_prm", "relaissettings1")
	require.NoError(t, err)
	s.Set("web_form_keys", []string{"site-key-1"})
	require.NoError(t, w.app.Save(s))
	form := func() map[string]any {
		return map[string]any{"company": "Garage Martin", "first_name": "Paul", "last_name": "Martin", "email": "paul.martin@gmail.com", "phone": "0612345678",
			"postal_code": "29200", "city": "Brest", "interest": "Panneaux 6 kWc", "consent": true}
	}
	for _, tc := range []badInput{
		{"city 121 chars", "city", func(b map[string]any) { b["city"] = strings.Repeat("a", 121) }},
		{"company 1 MB", "company", func(b map[string]any) { b["company"] = strings.Repeat("a", megabyte) }},
		{"first name 101 chars", "first_name", func(b map[string]any) { b["first_name"] = strings.Repeat("a", 101) }},
		{"last name 1 MB", "last_name", func(b map[string]any) { b["last_name"] = strings.Repeat("a", megabyte) }},
		{"interest 2001 chars", "interest", func(b map[string]any) { b["interest"] = strings.Repeat("a", 2001) }},
		{"email 1 MB", "email", func(b map[string]any) { b["email"] = strings.Repeat("a", megabyte) + "@x.fr" }},
		{"postal_code 99999", "postal_code", func(b map[string]any) { b["postal_code"] = "99999" }},
		{"postal_code 00000", "postal_code", func(b map[string]any) { b["postal_code"] = "00000" }},
		{"NUL in last name", "last_name", func(b map[string]any) { b["last_name"] = "Mar\x00tin" }},
		{"bidi override in interest", "interest", func(b map[string]any) { b["interest"] = "6 kWc \u202e" }},
		{"segment unknown", "segment", func(b map[string]any) { b["segment"] = "spaceship" }},
		{"consent yes", "consent", func(b map[string]any) { b["consent"] = "yes" }},
		{"phone a number", "phone", func(b map[string]any) { b["phone"] = 612345678 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := form()
			tc.set(b)
			res := w.client.Do(http.MethodPost, "/api/prm/webform/site-key-1", "", b)
			require.Equal(t, http.StatusBadRequest, res.Status, snippet(res.Body))
			assert.Equal(t, tc.field, errorField(t, res.Body), snippet(res.Body))
		})
	}
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads"), "nothing stored")
}

func TestImportCSVRefusesBadRowsNamingTheColumn(t *testing.T) {
	w := newWorld(t)
	header := "Société;Code postal;Ville;Prénom;Nom;E-mail;Score;Besoin;Valeur estimée\n"
	good := func(i int) string {
		return fmt.Sprintf("Garage %d;35000;Rennes;Luc;Martin;luc%d@garage.fr;70;Toiture;1000\n", i, i)
	}
	cases := []struct{ name, row, column string }{
		{"city 121 chars", "Garage X1;35000;" + strings.Repeat("a", 121) + ";Luc;Martin;x1@garage.fr;70;Toiture;1000\n", "city"},
		{"first name 101 chars", "Garage X2;35000;Rennes;" + strings.Repeat("a", 101) + ";Martin;x2@garage.fr;70;Toiture;1000\n", "contact.first_name"},
		{"interest 1 MB", "Garage X3;35000;Rennes;Luc;Martin;x3@garage.fr;70;" + strings.Repeat("a", megabyte) + ";1000\n", "interest"},
		{"postal_code 99999", "Garage X4;99999;Rennes;Luc;Martin;x4@garage.fr;70;Toiture;1000\n", "postal_code"},
		{"postal_code 96000", "Garage X5;96000;Rennes;Luc;Martin;x5@garage.fr;70;Toiture;1000\n", "postal_code"},
		{"NUL in company", "Garage\x00X6;35000;Rennes;Luc;Martin;x6@garage.fr;70;Toiture;1000\n", "company"},
		{"bidi override in last name", "Garage X7;35000;Rennes;Luc;Mar\u202etin;x7@garage.fr;70;Toiture;1000\n", "contact.last_name"},
	}
	var csv strings.Builder
	csv.WriteString(header)
	for i, tc := range cases {
		csv.WriteString(good(i))
		csv.WriteString(tc.row)
	}
	sum, errs, err := intake.ImportCSV(w.app, strings.NewReader(csv.String()), intake.ImportOptions{Actor: audit.SystemActor("test")})
	require.NoError(t, err, "a bad row does not stop the import")
	assert.Equal(t, len(cases), sum.Created)
	assert.Equal(t, len(cases), sum.Rejected)
	columns := map[int]string{}
	for _, e := range errs {
		columns[e.Line] = e.Column
	}
	for i, tc := range cases {
		assert.Equal(t, tc.column, columns[2*i+3], tc.name) // header is line 1, the good row 2i+2
	}
	assert.Equal(t, len(cases), countRows(t, w, "SELECT COUNT(*) FROM leads"))
}

// snippet cuts a body for a failure message.
func snippet(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
