package ui

import (
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every UI form with bad input: a 4xx (never a 500, never stored), and
// for the forms with fields, the message next to the field (data-field) in
// the user's language.
func TestFormsRefuseBadInputNextToTheField(t *testing.T) {
	e := newEnv(t)
	seller := e.user("installer001.sales@demo.test")
	contacted := e.leadWhere(dbx.HashExp{"status": "contacted", "assignee": seller.Id}, "")
	pool := e.leadWhere(dbx.And(dbx.In("status", "new", "qualifying", "recycled"), dbx.HashExp{"partner": ""}), "")
	user := e.user("installer003.sales@demo.test")
	long := func(n int) string { return strings.Repeat("a", n) }
	partnerB := e.signedIn("installer001.sales@demo.test")
	teleopB := e.signedIn("teleop@demo.test")
	adminB := e.signedIn("admin@demo.test")
	managerB := e.signedIn("manager@demo.test")
	guest := e.browser()
	guest.get("/login")
	partnerEN := partnerB // the same user: each case sets its language

	offer := offerRe.FindStringSubmatch(partnerB.get("/inbox").Body)[1]
	cell, err := e.app.FindFirstRecordByFilter("permissions", "role = 'sales' && resource = 'accounts'")
	require.NoError(t, err)
	activity := "/leads/" + contacted.Id + "/activities"
	status := "/leads/" + contacted.Id + "/status"
	qualify := "/leads/" + pool.Id + "/qualify"
	qualifyForm := func(k, v string) url.Values {
		f := url.Values{"score": {"45"}, "status": {pool.GetString("status")}, "interest": {"Toiture"}}
		f.Set(k, v)
		return f
	}
	for _, tc := range []struct {
		name   string
		b      *browser
		path   string
		form   url.Values
		status int
		field  string // data-field of the message ("" for forms without fields)
		msg    string // the message, in the user's language
	}{
		{"activity summary 5001 chars", partnerB, activity, url.Values{"kind": {"call"}, "summary": {long(5001)}}, 422, "summary", "5000 caractères"},
		{"activity summary 1 MB", partnerB, activity, url.Values{"kind": {"call"}, "summary": {long(1 << 20)}}, 422, "summary", "5000 caractères"},
		{"activity outcome 501 chars", partnerB, activity, url.Values{"kind": {"call"}, "summary": {"Appel"}, "outcome": {long(501)}}, 422, "outcome", "500 caractères"},
		{"activity outcome 501 chars (en)", partnerEN, activity, url.Values{"kind": {"call"}, "summary": {"Appel"}, "outcome": {long(501)}}, 422, "outcome", "500 characters"},
		{"activity summary NUL", partnerB, activity, url.Values{"kind": {"call"}, "summary": {"App\x00el"}}, 422, "summary", "caractères de contrôle"},
		{"activity outcome bidi (en)", partnerEN, activity, url.Values{"kind": {"call"}, "summary": {"Appel"}, "outcome": {"ok\u202e"}}, 422, "outcome", "control or bidirectional"},
		{"activity at yesterday", partnerB, activity, url.Values{"kind": {"call"}, "summary": {"Appel"}, "at": {"yesterday"}}, 422, "at", "Date invalide"},
		{"lost reason 501 chars", partnerB, status, url.Values{"status": {"lost"}, "reason": {long(501)}}, 422, "reason", "500 caractères"},
		{"lost reason bidi", partnerB, status, url.Values{"status": {"lost"}, "reason": {"prix \u2066"}}, 422, "reason", "caractères de contrôle"},
		{"won amount 1e17", partnerB, status, url.Values{"status": {"won"}, "amount": {"100000000000000000"}}, 422, "amount", ""},
		{"qualification interest 2001 chars", teleopB, qualify, qualifyForm("interest", long(2001)), 422, "interest", "2000 caractères"},
		{"qualification interest NUL", teleopB, qualify, qualifyForm("interest", "Toit\x00ure"), 422, "interest", "caractères de contrôle"},
		{"qualification report 5001 chars", teleopB, qualify, qualifyForm("report", long(5001)), 422, "report", "5000 caractères"},
		{"qualification score abc", teleopB, qualify, qualifyForm("score", "abc"), 422, "score", ""},
		{"qualification value 1e17", teleopB, qualify, qualifyForm("estimated_value", "1e17"), 422, "estimated_value", ""},
		{"decline reason NUL", partnerB, "/leads/" + offer + "/decline", url.Values{"reason": {"Trop loin"}, "details": {"\x00"}}, 400, "", "caractères de contrôle"},
		{"decline details 1 MB", partnerB, "/leads/" + offer + "/decline", url.Values{"reason": {"Trop loin"}, "details": {long(1 << 20)}}, 400, "", ""},
		{"matrix cell garbage level", adminB, "/matrix/" + cell.Id, url.Values{"read": {"everything\x00"}, "update": {"none"}, "delete": {"none"}}, 400, "", ""},
		{"user active maybe", adminB, "/users/" + user.Id + "/active", url.Values{"active": {"maybe"}}, 400, "", ""},
		{"user active empty", adminB, "/users/" + user.Id + "/active", url.Values{}, 400, "", ""},
		{"partner status garbage", managerB, "/partners/" + seller.GetString("partner") + "/status", url.Values{"status": {"garbage\x00"}}, 400, "", ""},
		{"assign unknown partner", managerB, "/leads/" + pool.Id + "/assign", url.Values{"partner": {long(1 << 20)}}, 400, "", ""},
		{"login 1 MB e-mail", guest, "/login", url.Values{"email": {long(1<<20) + "@x.fr"}, "password": {"x"}}, 422, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lang := "fr"
			if strings.HasSuffix(tc.name, "(en)") {
				lang = "en"
			}
			tc.b.post("/lang", url.Values{"lang": {lang}})
			r := tc.b.post(tc.path, tc.form, hx)
			require.Equal(t, tc.status, r.Status, snippetOf(r.Body))
			if tc.field != "" {
				has(t, r.Body, `data-field="`+tc.field+`"`)
			}
			if tc.msg != "" {
				has(t, r.Body, tc.msg)
			}
		})
	}
	declined, err := e.app.CountRecords("lead_offers", dbx.HashExp{"lead": offer, "outcome": "declined"})
	require.NoError(t, err)
	assert.Zero(t, declined, "no decline stored")
	got, err := e.app.FindRecordById("leads", contacted.Id)
	require.NoError(t, err)
	assert.Equal(t, "contacted", got.GetString("status"), "nothing stored")
	n, err := e.app.CountRecords("activities", dbx.HashExp{"lead": contacted.Id, "kind": "call"})
	require.NoError(t, err)
	before, err := e.app.CountRecords("activities", dbx.HashExp{"lead": contacted.Id, "kind": "call", "summary": "Appel"})
	require.NoError(t, err)
	assert.Zero(t, before, "no activity of the refused forms (%d calls in all)", n)
	assert.True(t, e.user("installer003.sales@demo.test").GetBool("active"), "active=maybe deactivates no one")
	p, err := e.app.FindRecordById("leads", pool.Id)
	require.NoError(t, err)
	assert.Equal(t, pool.GetString("interest"), p.GetString("interest"))
}

// snippetOf cuts a body for a failure message.
func snippetOf(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}
