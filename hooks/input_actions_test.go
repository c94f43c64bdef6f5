package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The action routes of /api/prm (decline, deal registration, grants) with
// bad input: a 400 naming the field, never a 500 nor garbage stored.
func TestActionRoutesRefuseBadInputNamingTheField(t *testing.T) {
	w, _ := distWorld(t)
	lead := readyLead(t, w, "OFFER-1")
	require.Equal(t, "offered", lead["status"], "the fixture: an offer")
	var decliner string // the user the offer went to
	for key, u := range w.users {
		if u.Id == leadRec(t, w, lead["id"].(string)).GetString("assignee") {
			decliner = key
		}
	}
	decline := "/api/prm/leads/" + lead["id"].(string) + "/decline"
	reg := func(k string, v any) map[string]any {
		m := map[string]any{"company": "Client " + w.next(), "postal_code": "35000", "amount": 18000, "expected_close": "2027-06-30"}
		m[k] = v
		return m
	}
	cases := []struct {
		name, role, path, field string
		body                    map[string]any
	}{
		{"decline reason NUL", decliner, decline, "reason", map[string]any{"reason": "prix\x00"}},
		{"decline reason bidi", decliner, decline, "reason", map[string]any{"reason": "prix \u202e"}},
		{"decline reason 1 MB", decliner, decline, "reason", map[string]any{"reason": strings.Repeat("a", megabyte)}},
		{"registration postal_code 99999", "partner_manager", "/api/prm/registrations", "postal_code", reg("postal_code", "99999")},
		{"registration postal_code 00000", "partner_manager", "/api/prm/registrations", "postal_code", reg("postal_code", "00000")},
		{"registration amount 1e17", "partner_manager", "/api/prm/registrations", "amount", reg("amount", 1e17)},
		{"registration company 1 MB", "partner_manager", "/api/prm/registrations", "company", reg("company", strings.Repeat("a", megabyte))},
		{"registration company NUL", "partner_manager", "/api/prm/registrations", "company", reg("company", "Client\x00")},
		{"decline reason a number", decliner, decline, "reason", map[string]any{"reason": 12}},
		{"registration amount a text", "partner_manager", "/api/prm/registrations", "amount", reg("amount", "lots")},
		{"registration company a number", "partner_manager", "/api/prm/registrations", "company", reg("company", 42)},
		{"grant expires a number", "admin", "/api/prm/grants", "expires", map[string]any{"user": w.uid("sales"), "kind": "export", "resource": "leads", "expires": 12, "reason": "audit"}},
		{"grant expires garbage", "admin", "/api/prm/grants", "expires", map[string]any{"user": w.uid("sales"), "kind": "export", "resource": "leads", "expires": "garbage", "reason": "audit"}},
		{"grant reason NUL", "admin", "/api/prm/grants", "reason", map[string]any{"user": w.uid("sales"), "kind": "export", "resource": "leads", "expires": time.Now().AddDate(0, 1, 0).UTC().Format("2006-01-02 15:04:05.000Z"), "reason": "au\x00dit"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := w.client.Do(http.MethodPost, tc.path, w.tokens[tc.role], tc.body)
			require.Equal(t, http.StatusBadRequest, res.Status, snippet(res.Body))
			require.Contains(t, recordErrorFields(t, res.Body), tc.field, snippet(res.Body))
		})
	}
	require.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM lead_offers WHERE outcome = 'declined'"), "nothing declined")
	require.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM opportunities"), "nothing registered")
	require.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM grants"), "nothing granted")
}
