package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/internal/testapp"
)

// auditChanges returns every audit diff written after seq, joined.
func auditChanges(t *testing.T, app core.App, seq int) string {
	t.Helper()
	var out []string
	for _, r := range auditSince(t, app, seq) {
		out = append(out, r.GetString("changes"))
	}
	return strings.Join(out, "\n")
}

func storedLead(t *testing.T, w *world, id string) *core.Record {
	t.Helper()
	r, err := w.app.FindRecordById("leads", id)
	require.NoError(t, err)
	return r
}

// Through the collection API (manual entry by internal roles), a private
// customer's lead is stored without a name: a name sent in company is
// refused (create and update, nothing stored, nothing audited), a label
// read from the API and written back is emptied, a business still needs a
// company, and a lead that becomes residential moves its company to the
// contact. Partners cannot send the flag.
func TestPrivateLeadsThroughTheCollectionAPI(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.tokens["admin"]
	base := func(extra map[string]any) map[string]any {
		b := map[string]any{"status": "new", "postal_code": "35000", "city": "Rennes", "score": 20}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	head := auditHead(t, w.app)

	for _, body := range []map[string]any{
		{"company": "Famille Quenouille", "segment": "residential"},
		{"company": "SCI Quenouille", "segment": "residential"},
		{"company": "M. Jean Quenouille", "segment": "business"},
		{"company": "Famille Quenouille", "segment": "farm", "private": true},
	} {
		res := w.client.Do(http.MethodPost, url("leads"), admin, base(body))
		assert.Equal(t, http.StatusBadRequest, res.Status, "%v: %s", body, res.Body)
		assert.Contains(t, res.Body, `"private_customer_name"`, body)
		assert.NotContains(t, res.Body, "Quenouille", "the error does not repeat the name")
	}
	res := w.client.Do(http.MethodPost, url("leads"), admin, base(map[string]any{"company": "  ", "segment": "business"}))
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.Contains(t, res.Body, `"company"`)
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads"), "nothing stored")

	// a private customer's lead: no company, the flag; the API labels it
	res = w.client.Do(http.MethodPost, url("leads"), admin, base(map[string]any{"segment": "farm", "private": true}))
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var created struct {
		ID      string `json:"id"`
		Company string `json:"company"`
		Private bool   `json:"private"`
	}
	res.JSON(t, &created)
	assert.True(t, created.Private)
	assert.Equal(t, "Particulier — Rennes (35)", created.Company)
	assert.Empty(t, storedLead(t, w, created.ID).GetString("company"), "the label is rendered, not stored")
	en := w.users["channel_manager"]
	en.Set("locale", "en")
	require.NoError(t, w.app.Save(en))
	res = w.client.Do(http.MethodGet, url("leads", created.ID), testapp.Token(t, w.app, en), nil)
	assert.Contains(t, res.Body, `"company":"Private customer — Rennes (35)"`, "in the reader's language")

	// writing back what was read is fine; writing a name is not
	res = w.client.Do(http.MethodPatch, url("leads", created.ID), admin, map[string]any{"company": created.Company, "score": 25})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Empty(t, storedLead(t, w, created.ID).GetString("company"))
	res = w.client.Do(http.MethodPatch, url("leads", created.ID), admin, map[string]any{"company": created.Company, "postal_code": "29200", "city": "Brest"})
	require.Equal(t, http.StatusOK, res.Status, "the label read before a move: %s", res.Body)
	assert.Empty(t, storedLead(t, w, created.ID).GetString("company"))
	for _, name := range []string{"Mme Quenouille", "Particulier Jean Quenouille", "Garage Quenouille"} {
		res = w.client.Do(http.MethodPatch, url("leads", created.ID), admin, map[string]any{"company": name})
		assert.Equal(t, http.StatusBadRequest, res.Status, name)
		assert.Empty(t, storedLead(t, w, created.ID).GetString("company"), name)
	}
	// a company equal to the contact's name is a person's name
	biz := w.lead(leadShape{territory: "T1", status: "new"})
	w.contactOf(biz, "anne@example.test")
	res = w.client.Do(http.MethodPatch, url("leads", biz.Id), admin, map[string]any{"company": "Canary Anne"})
	assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
	assert.NotEqual(t, "Canary Anne", storedLead(t, w, biz.Id).GetString("company"))
	// the flag cannot be lowered while the lead names a person or is residential
	res = w.client.Do(http.MethodPatch, url("leads", created.ID), admin, map[string]any{"private": false})
	assert.Equal(t, http.StatusBadRequest, res.Status, "a business needs a company: %s", res.Body)
	// a business may become a private customer's: its company moves to the contact
	shop := w.lead(leadShape{territory: "T1", status: "new"})
	res = w.client.Do(http.MethodPatch, url("leads", shop.Id), admin, map[string]any{"segment": "residential"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	moved := storedLead(t, w, shop.Id)
	assert.True(t, moved.GetBool("private"))
	assert.Empty(t, moved.GetString("company"))
	ct, err := w.app.FindFirstRecordByData("lead_contacts", "lead", shop.Id)
	require.NoError(t, err)
	assert.Equal(t, shop.GetString("company"), ct.GetString("last_name"), "nothing is lost")

	assert.NotContains(t, auditChanges(t, w.app, head), "Quenouille", "the audit log never holds the name")
	assert.NotContains(t, auditChanges(t, w.app, head), "Canary Anne")

	// partners cannot send the flag (a write guard of the compiled rules)
	own := w.lead(ownLead("partner_user"))
	res = w.client.Do(http.MethodPatch, url("leads", own.Id), w.tokens["partner_user"], map[string]any{"private": true})
	assert.NotEqual(t, http.StatusOK, res.Status, res.Body)
	assert.False(t, storedLead(t, w, own.Id).GetBool("private"))
	res = w.client.Do(http.MethodPatch, url("leads", own.Id), w.tokens["partner_user"], map[string]any{"meeting_at": time.Now().Add(48 * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")})
	assert.Equal(t, http.StatusOK, res.Status, "the control: the partner may update its lead: %s", res.Body)
}

// Every intake path moves the name a source wrote in company to the
// contact (single and batch ingest, web form, CSV import): the lead is
// flagged, stores no company, keeps no duplicate key derived from the name,
// and its lead.ingest audit entry holds no name.
func TestIntakeSeparatesPrivateNames(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	head := auditHead(t, w.app)
	tok := w.tokens["integration"]
	body := func(ref, company, segment string, contact map[string]any) map[string]any {
		b := map[string]any{"company": company, "segment": segment, "postal_code": "35000", "city": "Rennes", "source": "api", "source_ref": ref, "score": 20}
		if contact != nil {
			b["contact"] = contact
		}
		return b
	}
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", tok, body("P-1", "Particulier Jean Quenouille", "", nil))
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	assert.NotContains(t, res.Body, "Quenouille")
	assert.Contains(t, res.Body, `"company":"Particulier — Rennes (35)"`)
	res = w.client.Do(http.MethodPost, "/api/prm/leads/ingest/batch", tok, map[string]any{"leads": []map[string]any{
		body("P-2", "Mme Claire Quenouille", "business", map[string]any{"first_name": "Claire", "email": "claire@example.test"}),
		body("P-3", "SCI Les Quenouilles", "residential", map[string]any{"first_name": "Paul", "last_name": "Roux"}),
		body("P-4", "Roux Paul", "farm", map[string]any{"first_name": "Paul", "last_name": "Roux"}),
		body("P-5", "Boulangerie Quenouille", "business", nil),
		body("P-6", "", "business", nil),
	}})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, `"created":4`)
	assert.Contains(t, res.Body, `"field":"company"`, "a business without a company is refused")

	type want struct {
		private              bool
		company, first, last string
		title                string
	}
	for ref, x := range map[string]want{
		"P-1": {true, "", "", "Jean Quenouille", ""},
		"P-2": {true, "", "Claire", "Quenouille", ""},
		"P-3": {true, "", "Paul", "Roux", "SCI Les Quenouilles"},
		"P-4": {true, "", "Paul", "Roux", ""},
		"P-5": {false, "Boulangerie Quenouille", "", "", ""},
	} {
		lead, err := w.app.FindFirstRecordByData("leads", "source_ref", ref)
		require.NoError(t, err, ref)
		assert.Equal(t, x.private, lead.GetBool("private"), ref)
		assert.Equal(t, x.company, lead.GetString("company"), ref)
		ct, err := w.app.FindFirstRecordByData("lead_contacts", "lead", lead.Id)
		if x.last == "" {
			assert.Error(t, err, ref)
			continue
		}
		require.NoError(t, err, ref)
		assert.Equal(t, [3]string{x.first, x.last, x.title}, [3]string{ct.GetString("first_name"), ct.GetString("last_name"), ct.GetString("title")}, ref)
	}

	// the web form: a request without a company is a private customer's
	s, err := w.app.FindRecordById("settings_prm", access.SettingsID)
	require.NoError(t, err)
	s.Set("web_form_keys", []string{"k"})
	require.NoError(t, w.app.Save(s))
	res = w.client.Do(http.MethodPost, "/api/prm/webform/k", "", map[string]any{"first_name": "Lise", "last_name": "Quenouille",
		"email": "lise@example.test", "postal_code": "29200", "city": "Brest", "consent": true})
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	res = w.client.Do(http.MethodPost, "/api/prm/webform/k", "", map[string]any{"company": "Garage du Port", "first_name": "Lise", "last_name": "Roux",
		"email": "garage@example.test", "postal_code": "29200", "city": "Brest", "consent": true})
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var forms []struct {
		Company string `db:"company"`
		Private bool   `db:"private"`
		Segment string `db:"segment"`
	}
	require.NoError(t, w.app.DB().NewQuery("SELECT company, private, segment FROM leads WHERE source = 'web' ORDER BY created").All(&forms))
	require.Len(t, forms, 2)
	assert.Equal(t, "", forms[0].Company)
	assert.True(t, forms[0].Private)
	assert.Equal(t, "residential", forms[0].Segment)
	assert.Equal(t, "Garage du Port", forms[1].Company, "a company stays a business")
	assert.False(t, forms[1].Private)

	// the CSV import
	csv := "Société;Segment;Prénom;Nom;E-mail;Code postal;Ville\n" +
		"Famille Quenouille;residential;Marc;Quenouille;marc@example.test;35000;Rennes\n" +
		";residential;Eva;Quenouille;eva@example.test;35000;Rennes\n"
	sum, rowErrs, err := intake.ImportCSV(w.app, strings.NewReader(csv), intake.ImportOptions{Actor: audit.SystemActor("test")})
	require.NoError(t, err)
	require.Empty(t, rowErrs)
	assert.Equal(t, 2, sum.Created)

	// nowhere outside the contacts: leads, duplicate keys, the audit log
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE company LIKE '%Quenouille%' AND company != 'Boulangerie Quenouille'"))
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM dedup_keys WHERE key LIKE '%quenouille%' AND key NOT LIKE 'company:boulangerie%'"))
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE dedup_key LIKE '%quenouille%' AND dedup_key NOT LIKE 'company:boulangerie%'"))
	changes := auditChanges(t, w.app, head)
	assert.Contains(t, changes, "Boulangerie Quenouille", "the control: a business's company is audited")
	assert.NotContains(t, strings.ReplaceAll(changes, "Boulangerie Quenouille", ""), "Quenouille", "no private name in the audit log")
	assert.Equal(t, 9, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'lead.ingest' AND seq > {:s}", dbx.Params{"s": head}))
}

// Offer notifications and their e-mails name a private customer's lead by
// a neutral noun, in the recipient's language.
func TestOfferNotificationOfAPrivateLead(t *testing.T) {
	t.Parallel()
	w, _ := distWorld(t)
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], map[string]any{
		"company": "Famille Quenouille", "segment": "residential", "postal_code": "35000", "city": "Rennes", "source_ref": "N-1", "score": 90,
		"contact": map[string]any{"first_name": "Lise", "last_name": "Quenouille", "email": "lise@example.test"},
	})
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var n []struct {
		Title  string `db:"title"`
		Body   string `db:"body"`
		Locale string `db:"locale"`
	}
	require.NoError(t, w.app.DB().NewQuery("SELECT n.title, n.body, u.locale FROM notifications n JOIN users u ON u.id = n.user WHERE n.kind = 'offer'").All(&n))
	require.NotEmpty(t, n, "the lead was offered")
	for _, x := range n {
		// written in the recipient's language
		noun := map[string]string{"en": "Private customer"}[x.Locale]
		if noun == "" {
			noun = "Particulier"
		}
		assert.Contains(t, []string{"Nouvelle offre : " + noun + " (Rennes)", "New offer: " + noun + " (Rennes)"}, x.Title)
		assert.True(t, strings.HasPrefix(x.Body, noun+" — 35000 Rennes"), x.Body)
	}
	flushMail(t, w)
	require.NotEmpty(t, w.app.TestMailer.Messages())
	for _, m := range w.app.TestMailer.Messages() {
		assert.NotContains(t, m.Subject+m.Text+m.HTML, "Quenouille")
	}
}

// An audit diff of a lead lists a company that may name a private
// customer without its value (a business's company keeps its value).
func TestAuditDiffMasksPrivateNames(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c, err := w.app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	for _, x := range []struct {
		company, segment string
		private, masked  bool
	}{
		{"Famille Quenouille", "farm", false, true},
		{"SCI Quenouille", "residential", false, true},
		{"Garage Quenouille", "business", true, true},
		{"Garage Quenouille", "business", false, false},
	} {
		r := core.NewRecord(c)
		r.Set("company", x.company)
		r.Set("segment", x.segment)
		r.Set("private", x.private)
		d := audit.Diff(r)
		if x.masked {
			assert.Equal(t, "(changed)", d["company"], "%+v", x)
		} else {
			assert.Equal(t, x.company, d["company"], "%+v", x)
		}
	}
	// an update from a name (data written before the separation)
	lead := w.lead(leadShape{territory: "T1", status: "new"})
	_, err = w.app.DB().NewQuery("UPDATE leads SET company = 'M. Quenouille' WHERE id = {:id}").Bind(dbx.Params{"id": lead.Id}).Execute()
	require.NoError(t, err)
	lead = storedLead(t, w, lead.Id)
	lead.Set("company", "Garage du Port")
	assert.Equal(t, "(changed)", audit.Diff(lead)["company"])
}

// A deal registered for a private customer leaves no name in the
// registration's audit entry (a business's company stays).
func TestRegistrationAuditHoldsNoPrivateName(t *testing.T) {
	t.Parallel()
	w := regWorld(t)
	head := auditHead(t, w.app)
	regSubmit(t, w, "partner_manager", map[string]any{"company": "Famille Quenouille", "postal_code": "35000", "amount": 9000, "expected_close": "2027-06-30"})
	regSubmit(t, w, "partner_manager", map[string]any{"company": "Garage Quenouille", "postal_code": "35000", "amount": 9000, "expected_close": "2027-06-30"})
	changes := auditChanges(t, w.app, head)
	assert.Contains(t, changes, "Garage Quenouille")
	assert.NotContains(t, strings.ReplaceAll(changes, "Garage Quenouille", ""), "Quenouille")
}
