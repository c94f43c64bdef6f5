package ui

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bookedLead returns a demo lead of installer001's company with a booked
// meeting (demo/appt.go) in one of the statuses, and its contact.
func bookedLead(t *testing.T, e *env, statuses ...any) (*core.Record, *core.Record) {
	t.Helper()
	p := e.user("installer001@demo.test").GetString("partner")
	l := e.leadWhere(dbx.And(dbx.HashExp{"partner": p, "status": statuses}, dbx.NewExp("appointment_at != ''")), "id")
	c, err := e.app.FindFirstRecordByData("lead_contacts", "lead", l.Id)
	require.NoError(t, err)
	require.NotEmpty(t, c.GetString("appointment_street"))
	return l, c
}

// callReport starts the demo's call reports (internal activities).
const callReport = "Compte rendu d'appel"

// weekOf is the ?week= of a lead's booked meeting.
func weekOf(l *core.Record) string {
	paris, _ := time.LoadLocation("Europe/Paris")
	return l.GetDateTime("appointment_at").Time().In(paris).Format("2006-01-02")
}

// meetingItem cuts a meeting's entry out of the agenda page.
func meetingItem(body, leadID string) string {
	return regexp.MustCompile(`(?s)id="meeting-` + leadID + `".*?</li>`).FindString(body)
}

// The agenda per role: partner roles see their company's meetings (the
// offer's town only, the accepted lead's street and person, the .ics
// link), never the call report nor another company's meetings; internal
// roles and the integration have no agenda.
func TestAgendaPerRole(t *testing.T) {
	e := newEnv(t)
	offered, oc := bookedLead(t, e, "offered")
	accepted, ac := bookedLead(t, e, "accepted", "contacted")

	b := e.signedIn("installer001@demo.test")
	for _, lang := range []string{"fr", "en"} {
		b.post("/lang", map[string][]string{"lang": {lang}})
		r := b.get("/agenda?week=" + weekOf(offered))
		require.Equal(t, http.StatusOK, r.Status, r.Body)
		item := meetingItem(r.Body, offered.Id)
		require.NotEmpty(t, item, "the offer's booked meeting is listed")
		has(t, item, offered.GetString("appointment_city"))
		lacks(t, html.UnescapeString(item), oc.GetString("appointment_street"), "no street before acceptance")
		lacks(t, html.UnescapeString(item), oc.GetString("appointment_with"), "no person before acceptance")
		lacks(t, item, "meeting.ics", "no .ics before acceptance")
		lacks(t, html.UnescapeString(r.Body), callReport, "never the call report")
	}
	r := b.get("/agenda?week=" + weekOf(accepted))
	item := meetingItem(r.Body, accepted.Id)
	require.NotEmpty(t, item)
	has(t, html.UnescapeString(item), ac.GetString("appointment_street"))
	has(t, html.UnescapeString(item), ac.GetString("appointment_with"))
	has(t, item, "/agenda/"+accepted.Id+"/meeting.ics")
	has(t, b.get("/agenda").Body, `id="agenda-days"`, "this week")
	has(t, b.get("/agenda?week=not-a-date").Body, `id="agenda-days"`, "an unreadable week is this week")

	// another company's partner roles: none of these meetings
	for _, email := range []string{"installer002@demo.test", "installer002.sales@demo.test"} {
		o := e.signedIn(email)
		for _, l := range []*core.Record{offered, accepted} {
			r := o.get("/agenda?week=" + weekOf(l))
			require.Equal(t, http.StatusOK, r.Status, email)
			lacks(t, r.Body, l.Id, email)
			lacks(t, html.UnescapeString(r.Body), ac.GetString("appointment_street"), email)
		}
	}
	// no agenda for internal roles and the integration
	for _, email := range []string{"admin@demo.test", "manager@demo.test", "teleop@demo.test", "sales@demo.test", "api@demo.test"} {
		assert.Equal(t, http.StatusNotFound, e.signedIn(email).get("/agenda").Status, email)
	}
}

// The lead page shows the booked meeting: the offered partner the date
// and the town, the accepting partner the street and the person too;
// internal roles also the call report (an internal activity).
func TestLeadPageShowsTheAppointment(t *testing.T) {
	e := newEnv(t)
	offered, oc := bookedLead(t, e, "offered")
	accepted, ac := bookedLead(t, e, "accepted", "contacted")
	b := e.signedIn("installer001@demo.test")

	r := b.get("/leads/" + offered.Id)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `id="appointment"`)
	has(t, r.Body, offered.GetString("appointment_city"))
	lacks(t, html.UnescapeString(r.Body), oc.GetString("appointment_street"))
	lacks(t, html.UnescapeString(r.Body), oc.GetString("appointment_with"))
	lacks(t, html.UnescapeString(r.Body), callReport)
	lacks(t, r.Body, "meeting.ics")
	// the inbox card too
	in := b.get("/inbox").Body
	has(t, in, `id="offer-appointment-`+offered.Id+`"`)
	lacks(t, html.UnescapeString(in), oc.GetString("appointment_street"))

	r = b.get("/leads/" + accepted.Id)
	has(t, html.UnescapeString(r.Body), ac.GetString("appointment_street"))
	has(t, html.UnescapeString(r.Body), ac.GetString("appointment_with"))
	has(t, r.Body, `href="/agenda/`+accepted.Id+`/meeting.ics"`)
	lacks(t, html.UnescapeString(r.Body), callReport, "the call report stays internal")

	for _, email := range []string{"admin@demo.test", "manager@demo.test"} {
		r := e.signedIn(email).get("/leads/" + accepted.Id)
		require.Equal(t, http.StatusOK, r.Status, email)
		has(t, html.UnescapeString(r.Body), callReport, email)
		has(t, html.UnescapeString(r.Body), ac.GetString("appointment_street"), email)
	}
}

// icsFields unfolds an .ics and returns its properties by name (RFC 5545
// §3.1) with the TEXT escapes undone.
func icsFields(t *testing.T, ics string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range strings.Split(strings.ReplaceAll(ics, "\r\n ", ""), "\r\n") {
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		require.True(t, ok, line)
		out[k] = strings.NewReplacer(`\n`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(v)
	}
	return out
}

// The .ics of an accepted lead's meeting: UTC times, a stable UID, the
// street in the place; 404 for an offer, another company's lead, or a
// lead of one's company one may not see.
func TestMeetingICSDownload(t *testing.T) {
	e := newEnv(t)
	offered, _ := bookedLead(t, e, "offered")
	accepted, ac := bookedLead(t, e, "accepted", "contacted")
	b := e.signedIn("installer001@demo.test")
	r := b.get("/agenda/" + accepted.Id + "/meeting.ics")
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	assert.Equal(t, "text/calendar; charset=utf-8", r.Header.Get("Content-Type"))
	assert.Contains(t, r.Header.Get("Content-Disposition"), "attachment")
	f := icsFields(t, r.Body)
	assert.Equal(t, "lead-"+accepted.Id+"-meeting@relais", f["UID"])
	start := accepted.GetDateTime("meeting_at").Time()
	if start.IsZero() {
		start = accepted.GetDateTime("appointment_at").Time()
	}
	assert.Equal(t, start.UTC().Format("20060102T150405Z"), f["DTSTART"])
	assert.Equal(t, start.UTC().Add(time.Hour).Format("20060102T150405Z"), f["DTEND"])
	assert.Contains(t, f["LOCATION"], ac.GetString("appointment_street"))
	assert.Contains(t, f["DESCRIPTION"], ac.GetString("appointment_with"))
	assert.True(t, strings.HasPrefix(r.Body, "BEGIN:VCALENDAR\r\n"), "CRLF lines")
	assert.NotContains(t, r.Body, callReport)
	again := icsFields(t, b.get("/agenda/"+accepted.Id+"/meeting.ics").Body)
	assert.Equal(t, f["UID"], again["UID"], "stable UID")

	assert.Equal(t, http.StatusNotFound, b.get("/agenda/"+offered.Id+"/meeting.ics").Status, "not accepted yet")
	for _, email := range []string{"installer002@demo.test", "installer002.sales@demo.test"} {
		r := e.signedIn(email).get("/agenda/" + accepted.Id + "/meeting.ics")
		assert.Equal(t, http.StatusNotFound, r.Status, email)
		lacks(t, html.UnescapeString(r.Body), ac.GetString("appointment_street"), email)
	}
	assert.Equal(t, http.StatusNotFound, e.signedIn("api@demo.test").get("/agenda/"+accepted.Id+"/meeting.ics").Status, "integration")
	assert.Equal(t, http.StatusOK, e.signedIn("admin@demo.test").get("/agenda/"+accepted.Id+"/meeting.ics").Status, "internal")
}
