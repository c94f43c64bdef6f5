package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
)

// The canaries of a booked meeting: the street and the person to meet are
// contact details, the call report is internal.
const (
	apptStreet = "12 rue des Lilascanari"
	apptWith   = "Mme Rendezcanari"
	apptReport = "Compte rendu canari : client pressé, budget serré"
)

// apptBody is an ingest body with a booked meeting in ten days (Paris
// time, without an offset) and a call report.
func apptBody(ref string, score int) (map[string]any, time.Time) {
	paris, _ := time.LoadLocation("Europe/Paris")
	d := time.Now().In(paris).AddDate(0, 0, 10)
	at := time.Date(d.Year(), d.Month(), d.Day(), 14, 30, 0, 0, paris)
	b := ingestBody(ref)
	b["score"] = score
	b["appointment"] = map[string]any{
		"at":    at.Format("2006-01-02T15:04"),
		"place": map[string]any{"street": apptStreet, "postal_code": "35 700", "city": "Rennes-Est"},
		"with":  apptWith,
	}
	b["call_report"] = apptReport
	return b, at.UTC()
}

// The ingest stores the appointment (date and town on the lead, street and
// person on the contact) and the call report (an internal call activity by
// the sender); the audit entry holds the date, not the contact details.
func TestIngestStoresAppointmentAndCallReport(t *testing.T) {
	w := newWorld(t)
	b, at := apptBody("APPT-1", 40)
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var out map[string]any
	res.JSON(t, &out)
	lead := leadRec(t, w, out["id"].(string))
	assert.True(t, lead.GetDateTime("appointment_at").Time().Equal(at), "14:30 Paris time, stored in UTC: %s", lead.GetDateTime("appointment_at"))
	assert.Equal(t, "35700", lead.GetString("appointment_postal_code"), "normalised")
	assert.Equal(t, "Rennes-Est", lead.GetString("appointment_city"))
	assert.NotContains(t, res.Body, apptStreet)

	c, err := w.app.FindFirstRecordByFilter("lead_contacts", "lead = {:l}", dbx.Params{"l": lead.Id})
	require.NoError(t, err)
	assert.Equal(t, apptStreet, c.GetString("appointment_street"))
	assert.Equal(t, apptWith, c.GetString("appointment_with"))
	assert.Equal(t, "jeanne@fournil.fr", c.GetString("email"), "the same contact as the nested one")

	a, err := w.app.FindFirstRecordByFilter("activities", "lead = {:l} && kind = 'call'", dbx.Params{"l": lead.Id})
	require.NoError(t, err)
	assert.Equal(t, apptReport, a.GetString("summary"))
	assert.True(t, a.GetBool("internal"))
	assert.Equal(t, w.uid("integration"), a.GetString("author"))

	var changes string
	require.NoError(t, w.app.DB().NewQuery("SELECT changes FROM audit_log WHERE action = 'lead.ingest' AND record = {:l}").Bind(dbx.Params{"l": lead.Id}).Row(&changes))
	assert.Contains(t, changes, "appointment_at")
	assert.NotContains(t, changes, apptStreet)
	assert.NotContains(t, changes, apptWith)

	// without a place: the lead's town; a meeting without a street or a
	// person and no contact makes no contact record
	b = ingestBody("APPT-2")
	delete(b, "contact")
	b["appointment"] = map[string]any{"at": time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)}
	res = w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	res.JSON(t, &out)
	lead = leadRec(t, w, out["id"].(string))
	assert.Equal(t, "35000", lead.GetString("appointment_postal_code"))
	assert.Equal(t, "Rennes", lead.GetString("appointment_city"))
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM lead_contacts WHERE lead = {:l}", dbx.Params{"l": lead.Id}))
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM activities WHERE lead = {:l}", dbx.Params{"l": lead.Id}), "no report, no activity")

	// the batch takes them too
	b, _ = apptBody("APPT-B1", 40)
	res = w.client.Do(http.MethodPost, "/api/prm/leads/ingest/batch", w.tokens["integration"], map[string]any{"leads": []any{b}})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM leads l JOIN lead_contacts c ON c.lead = l.id WHERE l.source_ref = 'APPT-B1' AND c.appointment_street = {:s}", dbx.Params{"s": apptStreet}))
}

// Invalid appointments and call reports are refused with the field named
// and a message saying what is wrong; nothing is stored.
func TestIngestRefusesBadAppointments(t *testing.T) {
	w := newWorld(t)
	future := time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
	cases := []struct {
		name, field, message string
		appt                 any
		report               string
	}{
		{"no date", "appointment.at", "appointment.at is required", map[string]any{"with": "x"}, ""},
		{"not a date", "appointment.at", "RFC 3339", map[string]any{"at": "next tuesday"}, ""},
		{"day only", "appointment.at", "RFC 3339", map[string]any{"at": "2030-01-02"}, ""},
		{"in the past", "appointment.at", "in the past", map[string]any{"at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}, ""},
		{"too far", "appointment.at", "more than a year ahead", map[string]any{"at": time.Now().AddDate(2, 0, 0).UTC().Format(time.RFC3339)}, ""},
		{"a number", "appointment.at", "", map[string]any{"at": 20300102}, ""},
		{"bad postal code", "appointment.place.postal_code", "postal code", map[string]any{"at": future, "place": map[string]any{"postal_code": "ABCDE"}}, ""},
		{"street too long", "appointment.place.street", "longer than 300", map[string]any{"at": future, "place": map[string]any{"street": strings.Repeat("r", 301)}}, ""},
		{"control characters", "appointment.with", "control", map[string]any{"at": future, "with": "M.\u202eX"}, ""},
		{"not an object", "appointment", "", "demain 14h", ""},
		{"report too long", "call_report", "longer than 5000", nil, strings.Repeat("x", 5001)},
		{"report with control characters", "call_report", "control", nil, "bip\x07"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := ingestBody("BADAPPT-" + c.name)
			if c.appt != nil {
				b["appointment"] = c.appt
			}
			if c.report != "" {
				b["call_report"] = c.report
			}
			res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
			assert.Equal(t, http.StatusBadRequest, res.Status, res.Body)
			assert.Contains(t, res.Body, `"`+c.field+`"`)
			assert.Contains(t, res.Body, c.message)
		})
	}
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref LIKE 'BADAPPT-%'"))
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM activities"))
}

// noAppointmentSecret fails when a body holds the meeting's street, the
// person to meet or the call report.
func noAppointmentSecret(t *testing.T, label, body string) {
	t.Helper()
	for _, c := range []string{"Lilascanari", "Rendezcanari", "Compte rendu canari"} {
		assert.NotContains(t, body, c, "%s leaks %s", label, c)
	}
}

// An offered partner sees the meeting's date and town on the offer, never
// its street, the person to meet or the call report — through view, list,
// expand, filter and sort — until it accepts; then the street and the
// person, never the report. Another partner sees nothing of it, before or
// after. Internal roles see everything.
func TestAppointmentVisibilityBeforeAndAfterAcceptance(t *testing.T) {
	w, _ := distWorld(t)
	b, at := apptBody("APPT-V", 80)
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var out map[string]any
	res.JSON(t, &out)
	id := out["id"].(string)
	rec := leadRec(t, w, id)
	require.Equal(t, "offered", rec.GetString("status"))
	tok := assigneeToken(t, w, rec)
	ct, err := w.app.FindFirstRecordByFilter("lead_contacts", "lead = {:l}", dbx.Params{"l": id})
	require.NoError(t, err)
	report, err := w.app.FindFirstRecordByFilter("activities", "lead = {:l}", dbx.Params{"l": id})
	require.NoError(t, err)

	probes := []string{
		url("leads", id),
		url("leads", id) + "?expand=lead_contacts_via_lead,activities_via_lead",
		url("leads") + "?expand=lead_contacts_via_lead,activities_via_lead",
		url("leads") + "?filter=" + urlQuery("lead_contacts_via_lead.appointment_street~'Lilascanari'"),
		url("leads") + "?sort=lead_contacts_via_lead.appointment_with",
		url("lead_contacts"),
		url("lead_contacts", ct.Id),
		url("lead_contacts") + "?filter=" + urlQuery("appointment_street~'Lilas'"),
		url("lead_contacts") + "?sort=-appointment_with",
		url("activities"),
		url("activities", report.Id),
		url("activities") + "?filter=" + urlQuery("summary~'canari'"),
		url("lead_offers") + "?expand=lead",
		url("notifications"),
		"/api/prm/export/leads",
		"/api/prm/export/lead_contacts",
	}
	for _, p := range probes {
		noAppointmentSecret(t, "offered "+p, w.client.Do(http.MethodGet, p, tok, nil).Body)
	}
	// the offer shows the date and the town
	res = w.client.Do(http.MethodGet, url("leads", id), tok, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, `"appointment_city":"Rennes-Est"`)
	assert.Contains(t, res.Body, `"appointment_postal_code":"35700"`)
	assert.Contains(t, res.Body, at.Format("2006-01-02 15:04"))
	// filtering on the hidden street answers like filtering on nonsense
	// (the assignee, its manager, the other partner's users)
	filtered := func(token, f string) string {
		return canonicalJSON(w.client.Do(http.MethodGet, url("leads")+"?filter="+urlQuery(f), token, nil).Body)
	}
	for i, token := range []string{tok, w.tokens["partner_manager"], w.tokens["pu2"], w.tokens["pm2"]} {
		assert.Equal(t, filtered(token, "lead_contacts_via_lead.appointment_street~'Lilascanari'"), filtered(token, "lead_contacts_via_lead.appointment_street~'zzzz-nothing'"), i)
		assert.Equal(t, filtered(token, "lead_contacts_via_lead.appointment_with~'Rendez'"), filtered(token, "lead_contacts_via_lead.appointment_with~'zzzz-nothing'"), i)
	}

	// acceptance opens the street and the person, not the report
	res = w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/accept", tok, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = w.client.Do(http.MethodGet, url("lead_contacts", ct.Id), tok, nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, apptStreet)
	assert.Contains(t, res.Body, apptWith)
	for _, p := range probes {
		assert.NotContains(t, w.client.Do(http.MethodGet, p, tok, nil).Body, "Compte rendu canari", "accepted %s", p)
	}
	// the other partner: nothing, through every probe, nor the lead itself
	for _, other := range []string{"pu2", "pm2"} {
		for _, p := range probes {
			body := w.client.Do(http.MethodGet, p, w.tokens[other], nil).Body
			noAppointmentSecret(t, other+" "+p, body)
			assert.NotContains(t, body, id, "%s %s", other, p)
		}
		for _, f := range []string{"appointment_city='Rennes-Est'", "appointment_at != ''"} {
			assert.NotContains(t, w.client.Do(http.MethodGet, url("leads")+"?filter="+urlQuery(f), w.tokens[other], nil).Body, id, other+" "+f)
		}
	}
	// internal roles: the report and the contact
	for _, who := range []string{"admin", "channel_manager"} {
		assert.Contains(t, w.client.Do(http.MethodGet, url("activities", report.Id), w.tokens[who], nil).Body, apptReport, who)
		assert.Contains(t, w.client.Do(http.MethodGet, url("lead_contacts", ct.Id), w.tokens[who], nil).Body, apptStreet, who)
	}
}

// The teleoperator reads the call report of a pool lead it works.
func TestTeleoperatorReadsThePoolLeadsCallReport(t *testing.T) {
	w := newWorld(t)
	b, _ := apptBody("APPT-T", 40)
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var out map[string]any
	res.JSON(t, &out)
	res = w.client.Do(http.MethodGet, url("activities")+"?filter="+urlQuery("lead='"+out["id"].(string)+"'"), w.tokens["teleoperator"], nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Contains(t, res.Body, apptReport)
	// and a partner never, whatever it filters
	noAppointmentSecret(t, "partner", w.client.Do(http.MethodGet, url("activities")+"?filter="+urlQuery("kind='call'"), w.tokens["partner_manager"], nil).Body)
}

// A GDPR erasure of the contact clears the booked meeting's street and
// person with the other contact fields.
func TestGDPREraseClearsTheAppointmentsContactDetails(t *testing.T) {
	w := newWorld(t)
	b, _ := apptBody("APPT-GDPR", 40)
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	_, err := governance.GDPRErase(w.app, audit.SystemActor("test"), "jeanne@fournil.fr", time.Now())
	require.NoError(t, err)
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM lead_contacts WHERE appointment_street != '' OR appointment_with != ''"))
}
