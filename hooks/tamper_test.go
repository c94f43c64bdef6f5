package hooks_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Ownership fields cannot be changed by those they constrain (SPEC §3.3.4).
func TestOwnershipFieldTampering(t *testing.T) {
	w := newWorld(t)
	lead := w.lead(ownLead("partner_user"))
	pu := w.tokens["partner_user"]

	cases := []struct {
		name  string
		token string
		url   string
		body  map[string]any
	}{
		{"partner moves its lead to another partner", pu, url("leads", lead.Id), map[string]any{"partner": w.P2}},
		{"partner reassigns its lead", pu, url("leads", lead.Id), map[string]any{"assignee": w.uid("pu2")}},
		{"partner raises the score", pu, url("leads", lead.Id), map[string]any{"score": 99}},
		{"partner moves the territory", pu, url("leads", lead.Id), map[string]any{"territory": w.T2}},
		{"partner manager takes the lead for the company and a colleague", w.tokens["partner_manager"], url("leads", lead.Id), map[string]any{"assignee": w.uid("partner_user_b")}},
		{"user changes own role", pu, url("users", w.uid("partner_user")), map[string]any{"role": "admin"}},
		{"user changes own partner", pu, url("users", w.uid("partner_user")), map[string]any{"partner": w.P2}},
		{"user reactivates itself", pu, url("users", w.uid("partner_user")), map[string]any{"active": true}},
		{"user extends its own access", pu, url("users", w.uid("partner_user")), map[string]any{"access_expires": "2099-01-01 00:00:00.000Z"}},
		{"sales becomes admin", w.tokens["sales"], url("users", w.uid("sales")), map[string]any{"role": "admin"}},
		{"teleoperator assigns a pool lead", w.tokens["teleoperator"], url("leads", w.lead(ownLead("teleoperator")).Id), map[string]any{"partner": w.P1}},
		{"channel manager writes the territory", w.tokens["channel_manager"], url("leads", w.lead(ownLead("channel_manager")).Id), map[string]any{"territory": w.T2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := w.client.Do(http.MethodPatch, tc.url, tc.token, tc.body)
			assert.NotEqual(t, http.StatusOK, res.Status, res.Body)
		})
	}
	// nothing moved
	fresh, err := w.app.FindRecordById("leads", lead.Id)
	require.NoError(t, err)
	assert.Equal(t, w.P1, fresh.GetString("partner"))
	assert.Equal(t, w.uid("partner_user"), fresh.GetString("assignee"))
	assert.Equal(t, 70, fresh.GetInt("score"))
	me, err := w.app.FindRecordById("users", w.uid("partner_user"))
	require.NoError(t, err)
	assert.Equal(t, "partner_user", me.GetString("role"))
	assert.Equal(t, w.P1, me.GetString("partner"))

	// the same partner may still do its job on the lead
	res := w.client.Do(http.MethodPatch, url("leads", lead.Id), pu, map[string]any{"estimated_value": 9000})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	res = w.client.Do(http.MethodPatch, url("users", w.uid("partner_user")), pu, map[string]any{"name": "Renommé", "locale": "en"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
}

// Hidden internal fields are neither returned to partners nor usable as a
// filter oracle (SPEC §3.3.3, §3.3.8).
func TestInternalLeadFieldsAreHiddenFromPartners(t *testing.T) {
	w := newWorld(t)
	lead := w.lead(ownLead("partner_user"))
	lead.Set("source", "campaign")
	lead.Set("source_ref", "CANARY-REF-42")
	lead.Set("qualification_notes", "CANARY-NOTE")
	require.NoError(t, w.app.Save(lead))

	res := w.client.Do(http.MethodGet, url("leads", lead.Id), w.tokens["partner_user"], nil)
	require.Equal(t, http.StatusOK, res.Status)
	for _, canary := range []string{"CANARY-REF-42", "CANARY-NOTE", "\"source\"", "created_by", "dedup_key"} {
		assert.NotContains(t, res.Body, canary)
	}
	// the oracle: a filter on a hidden field must not narrow the result
	for _, filter := range []string{"source_ref='CANARY-REF-42'", "source='campaign'", "qualification_notes~'CANARY'"} {
		res := w.client.Do(http.MethodGet, url("leads")+"?filter="+urlQuery(filter), w.tokens["partner_user"], nil)
		assert.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", filter, res.Body)
	}
	// internal roles see them
	res = w.client.Do(http.MethodGet, url("leads", lead.Id), w.tokens["admin"], nil)
	assert.Contains(t, res.Body, "CANARY-REF-42")
}
