package hooks_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordErrorFields are the fields a 400 of PocketBase's record API names
// (`data: {field: {code, message}}`).
func recordErrorFields(t *testing.T, body string) []string {
	t.Helper()
	var out struct {
		Data map[string]any `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out), body)
	var names []string
	for k, v := range out.Data {
		if _, ok := v.(map[string]any); ok {
			names = append(names, k)
		}
	}
	return names
}

// restCase is one refused REST write: who sends what where, the field the
// 400 must name.
type restCase struct {
	name, role, method, url, field string
	body                           map[string]any
}

func runRESTCases(t *testing.T, w *world, cases []restCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := w.superToken()
			if tc.role != "superuser" {
				tok = w.tokens[tc.role]
			}
			res := w.client.Do(tc.method, tc.url, tok, tc.body)
			require.Equal(t, http.StatusBadRequest, res.Status, snippet(res.Body))
			assert.Contains(t, recordErrorFields(t, res.Body), tc.field, snippet(res.Body))
		})
	}
}

// The cases of the report on REST writes of leads, activities and users:
// stored without a word before (postal codes of no département, "abc" as a
// score, a lead created won, dates and bools that were not, NUL bytes and
// bidi overrides), each now a 400 naming the field.
func TestRESTWritesRefuseBadValuesNamingTheField(t *testing.T) {
	w := newWorld(t)
	own := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "meeting", createdBy: "teleoperator"})
	meeting := time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)
	own.Set("meeting_at", meeting)
	require.NoError(t, w.app.Save(own))
	lead := func(extra map[string]any) map[string]any {
		b := map[string]any{"company": "Garage Martin", "postal_code": "35000", "city": "Rennes", "source": "api", "score": 40}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	leads := url("leads")
	cases := []restCase{
		{"lead postal_code 99999", "integration", http.MethodPost, leads, "postal_code", lead(map[string]any{"postal_code": "99999"})},
		{"lead postal_code 2A004", "integration", http.MethodPost, leads, "postal_code", lead(map[string]any{"postal_code": "2A004"})},
		{"lead postal_code 00000", "teleoperator", http.MethodPost, leads, "postal_code", lead(map[string]any{"postal_code": "00000"})},
		{"lead score abc", "integration", http.MethodPost, leads, "score", lead(map[string]any{"score": "abc"})},
		{"lead created won", "integration", http.MethodPost, leads, "status", lead(map[string]any{"status": "won", "won_amount": 1000})},
		{"lead created offered", "admin", http.MethodPost, leads, "status", lead(map[string]any{"status": "offered"})},
		{"lead created ready under the threshold", "admin", http.MethodPost, leads, "status", lead(map[string]any{"status": "ready", "score": 10})},
		{"lead meeting_at not a date", "integration", http.MethodPost, leads, "meeting_at", lead(map[string]any{"meeting_at": "not a date"})},
		{"lead estimated_value 1e17", "integration", http.MethodPost, leads, "estimated_value", lead(map[string]any{"estimated_value": 1e17})},
		{"lead estimated_value text", "integration", http.MethodPost, leads, "estimated_value", lead(map[string]any{"estimated_value": "12k"})},
		{"lead company NUL", "integration", http.MethodPost, leads, "company", lead(map[string]any{"company": "Garage\x00Martin"})},
		{"lead city bidi override", "integration", http.MethodPost, leads, "city", lead(map[string]any{"city": "Rennes\u202e"})},
		{"lead city 121 chars", "integration", http.MethodPost, leads, "city", lead(map[string]any{"city": strings.Repeat("a", 121)})},
		{"partner meeting_at garbage", "partner_user", http.MethodPatch, url("leads", own.Id), "meeting_at", map[string]any{"meeting_at": "garbage"}},
		{"partner meeting_at number", "partner_user", http.MethodPatch, url("leads", own.Id), "meeting_at", map[string]any{"meeting_at": 12}},
		{"partner won_amount 1e17", "partner_user", http.MethodPatch, url("leads", own.Id), "won_amount", map[string]any{"status": "won", "won_amount": 1e17}},
		{"partner lost_reason NUL", "partner_user", http.MethodPatch, url("leads", own.Id), "lost_reason", map[string]any{"status": "lost", "lost_reason": "prix\x00"}},
		{"activity at yesterday", "partner_user", http.MethodPost, url("activities"), "at", map[string]any{"lead": own.Id, "kind": "call", "summary": "Appel", "at": "yesterday"}},
		{"activity summary 5001 chars", "partner_user", http.MethodPost, url("activities"), "summary", map[string]any{"lead": own.Id, "kind": "call", "summary": strings.Repeat("a", 5001)}},
		{"activity outcome bidi", "partner_user", http.MethodPost, url("activities"), "outcome", map[string]any{"lead": own.Id, "kind": "call", "summary": "Appel", "outcome": "ok\u2067"}},
		{"user active maybe", "superuser", http.MethodPatch, url("users", w.uid("sales")), "active", map[string]any{"active": "maybe"}},
		{"user name NUL", "superuser", http.MethodPatch, url("users", w.uid("sales")), "name", map[string]any{"name": "Sa\x00les"}},
		{"partner capacity abc", "admin", http.MethodPatch, url("partners", w.P1), "capacity", map[string]any{"capacity": "abc"}},
		{"partner contract_end garbage", "admin", http.MethodPatch, url("partners", w.P1), "contract_end", map[string]any{"contract_end": "garbage"}},
	}
	runRESTCases(t, w, cases)

	stored, err := w.app.FindRecordById("leads", own.Id)
	require.NoError(t, err)
	assert.Equal(t, meeting, stored.GetDateTime("meeting_at").Time(), "a refused date erases nothing")
	assert.Equal(t, "meeting", stored.GetString("status"))
	assert.True(t, w.users["sales"].GetBool("active"))
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE id != {:id}", map[string]any{"id": own.Id}), "no lead created")
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM activities"))

	// the controls: the same writes with good values pass
	for _, ok := range []restCase{
		{"lead", "integration", http.MethodPost, leads, "", lead(map[string]any{"postal_code": "20000", "meeting_at": "2026-12-24 09:00:00.000Z"})},
		{"lead ready", "admin", http.MethodPost, leads, "", lead(map[string]any{"status": "ready", "score": 90})},
		{"meeting", "partner_user", http.MethodPatch, url("leads", own.Id), "", map[string]any{"meeting_at": "2026-12-31 10:00:00.000Z"}},
		{"activity", "partner_user", http.MethodPost, url("activities"), "", map[string]any{"lead": own.Id, "kind": "call", "summary": "Appel\nrappeler", "at": "2026-12-03 10:00:00Z"}},
		{"user", "superuser", http.MethodPatch, url("users", w.uid("sales")), "", map[string]any{"active": "true"}},
	} {
		tok := w.superToken()
		if ok.role != "superuser" {
			tok = w.tokens[ok.role]
		}
		res := w.client.Do(ok.method, ok.url, tok, ok.body)
		assert.Contains(t, []int{http.StatusOK}, res.Status, "%s: %s", ok.name, snippet(res.Body))
	}
}

// Every field of every collection a client may write through the REST API,
// created by a superuser (who passes every rule): a value of the wrong type,
// a text over its size or holding a NUL byte is a 400 naming the field.
func TestRESTCreateOfEveryCollectionRefusesBadValues(t *testing.T) {
	w := newWorld(t)
	colls, err := w.app.FindAllCollections(core.CollectionTypeBase, core.CollectionTypeAuth)
	require.NoError(t, err)
	// a valid body for the collections whose own checks stop at a missing
	// field before PocketBase reports the others
	base := map[string]map[string]any{
		"users":           {"email": "new@world.test", "password": "pass-word-123", "passwordConfirm": "pass-word-123", "role": "sales", "active": true},
		"roles":           {"name": "new_role", "kind": "internal"},
		"leads":           {"company": "Garage Martin", "postal_code": "35000"},
		"access_requests": {"requester": w.uid("sales"), "kind": "export", "resource": "leads", "justification": "month-end export"},
	}
	var cases []restCase
	skip := []string{"id", "password", "tokenKey", "email", "created", "updated"}
	for _, c := range colls {
		if c.System || c.Name == "audit_log" {
			continue // PocketBase's own; the audit log refuses every write
		}
		for _, f := range c.Fields {
			// leads.department is derived (replaced by the postal code's)
			if slices.Contains(skip, f.GetName()) || f.GetHidden() || c.Name+"."+f.GetName() == "leads.department" {
				continue
			}
			add := func(kind string, v any) {
				body := map[string]any{}
				for k, bv := range base[c.Name] {
					body[k] = bv
				}
				body[f.GetName()] = v
				cases = append(cases, restCase{c.Name + "." + f.GetName() + " " + kind, "superuser", http.MethodPost, url(c.Name), f.GetName(), body})
			}
			badValues(f, "a\u202eb", add)
		}
	}
	require.Greater(t, len(cases), 100)
	runRESTCases(t, w, cases)
}

// The same values in an update of a record of every collection a client
// writes: a 400 naming the field, and the record unchanged.
func TestRESTUpdateOfEveryCollectionRefusesBadValues(t *testing.T) {
	w := newWorld(t)
	lead := w.lead(leadShape{territory: "T1", status: "new", createdBy: "teleoperator"})
	account := w.mk("accounts", map[string]any{"name": "Acme", "postal_code": "35000"})
	records := map[string]string{
		"territories": w.T1, "partners": w.P1, "users": w.uid("sales"), "leads": lead.Id,
		"lead_contacts":    w.contactOf(lead, "anne@acme.fr").Id,
		"accounts":         account.Id,
		"contacts":         w.mk("contacts", map[string]any{"account": account.Id, "last_name": "Martin"}).Id,
		"activities":       w.mk("activities", map[string]any{"lead": lead.Id, "kind": "call", "summary": "Appel"}).Id,
		"campaigns":        w.mk("campaigns", map[string]any{"name": "Salon"}).Id,
		"assignment_rules": w.mk("assignment_rules", map[string]any{"name": "Ouest", "strategy": "round_robin", "territory": w.T1}).Id,
		"opportunities":    w.mk("opportunities", map[string]any{"name": "Toiture", "stage": "prospecting", "lead": lead.Id}).Id,
		"deal_terms":       w.mk("deal_terms", map[string]any{"lead": lead.Id, "margin_pct": 12}).Id,
		"tickets":          w.mk("tickets", map[string]any{"subject": "Panne"}).Id,
		"documents":        w.mk("documents", map[string]any{"title": "Fiche", "audience": "internal"}).Id,
		"settings_prm":     "relaissettings1",
	}
	skip := []string{"id", "password", "tokenKey", "email", "created", "updated"}
	var cases []restCase
	for name, id := range records {
		c, err := w.app.FindCollectionByNameOrId(name)
		require.NoError(t, err)
		for _, f := range c.Fields {
			if slices.Contains(skip, f.GetName()) || f.GetHidden() {
				continue
			}
			add := func(kind string, v any) {
				cases = append(cases, restCase{name + "." + f.GetName() + " " + kind, "superuser", http.MethodPatch, url(name, id), f.GetName(), map[string]any{f.GetName(): v}})
			}
			badValues(f, "a\u2066b", add)
		}
	}
	require.Greater(t, len(cases), 100)
	before := map[string]string{}
	for name, id := range records {
		r, err := w.app.FindRecordById(name, id)
		require.NoError(t, err)
		raw, err := json.Marshal(r)
		require.NoError(t, err)
		before[name] = string(raw)
	}
	runRESTCases(t, w, cases)
	for name, id := range records {
		r, err := w.app.FindRecordById(name, id)
		require.NoError(t, err)
		raw, err := json.Marshal(r)
		require.NoError(t, err)
		assert.Equal(t, before[name], string(raw), "%s unchanged", name)
	}
}

// badValues adds, through add, the bad values of a field's type: a text
// for a number, a date or a bool, and NUL, a bidi character and one
// character too many for a text.
func badValues(f core.Field, bidi string, add func(kind string, v any)) {
	switch ff := f.(type) {
	case *core.NumberField:
		add("abc", "abc")
	case *core.DateField:
		add("not a date", "not a date")
	case *core.BoolField:
		add("maybe", "maybe")
	case *core.TextField:
		add("NUL", "a\x00b")
		add("bidi", bidi)
		if ff.Max > 0 {
			add("too long", strings.Repeat("a", ff.Max+1))
		}
	}
}
