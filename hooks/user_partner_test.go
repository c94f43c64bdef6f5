package hooks_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
	"github.com/relais/relais/hooks/writepath"
)

func TestUserPartnerProblem(t *testing.T) {
	for _, c := range []struct {
		kind    roles.Kind
		partner string
		want    string
	}{
		{roles.Partner, "", policy.CodePartnerRequired},
		{roles.Partner, "p1", ""},
		{roles.Internal, "", ""},
		{roles.Internal, "p1", policy.CodePartnerForbidden},
		{roles.Integration, "", ""},
		{roles.Integration, "p1", policy.CodePartnerForbidden},
	} {
		code, msg := policy.UserPartnerProblem(c.kind, c.partner)
		assert.Equal(t, c.want, code, "%s with partner %q", c.kind, c.partner)
		assert.Equal(t, c.want == "", msg == "", "a refusal has a message")
	}
}

// Item 9: a partner_manager or partner_user could be created without a
// partner. Every write path refuses it, and a non-partner role with a
// partner: the REST API, the UI's write path (UpdateFor) and Go code.
func TestPartnerRolesNeedAPartner(t *testing.T) {
	w := newWorld(t)
	admin := w.tokens["admin"]
	create := func(role, partner string) (int, string) {
		n := w.next()
		res := w.client.Do(http.MethodPost, url("users"), admin, map[string]any{
			"email": "u" + n + "@world.test", "password": "secret-pass-123", "passwordConfirm": "secret-pass-123",
			"name": "u" + n, "role": role, "partner": partner, "active": true,
		})
		return res.Status, res.Body
	}
	for _, c := range []struct {
		role, partner, code string
	}{
		{"partner_user", "", policy.CodePartnerRequired},
		{"partner_manager", "", policy.CodePartnerRequired},
		{"sales", w.P1, policy.CodePartnerForbidden},
		{"admin", w.P1, policy.CodePartnerForbidden},
		{"integration", w.P2, policy.CodePartnerForbidden},
	} {
		status, body := create(c.role, c.partner)
		require.Equal(t, http.StatusBadRequest, status, "%s with partner %q: %s", c.role, c.partner, body)
		assert.Equal(t, c.code, relationError(t, body, "partner"), body)
	}
	for _, c := range []struct{ role, partner string }{{"partner_user", w.P1}, {"partner_manager", w.P2}, {"sales", ""}, {"integration", ""}} {
		status, body := create(c.role, c.partner)
		assert.Equal(t, http.StatusOK, status, "%s with partner %q: %s", c.role, c.partner, body)
	}

	// updates through the REST API
	patch := func(key string, body map[string]any) (int, string) {
		res := w.client.Do(http.MethodPatch, url("users", w.uid(key)), admin, body)
		return res.Status, res.Body
	}
	for _, c := range []struct {
		key  string
		body map[string]any
		code string
	}{
		{"partner_user_b", map[string]any{"partner": ""}, policy.CodePartnerRequired},
		{"partner_user_b", map[string]any{"role": "sales"}, policy.CodePartnerForbidden},
		{"sales2", map[string]any{"partner": w.P1}, policy.CodePartnerForbidden},
		{"sales2", map[string]any{"role": "partner_user"}, policy.CodePartnerRequired},
	} {
		status, body := patch(c.key, c.body)
		require.Equal(t, http.StatusBadRequest, status, "%s %v: %s", c.key, c.body, body)
		assert.Equal(t, c.code, relationError(t, body, "partner"), body)
	}
	status, body := patch("sales2", map[string]any{"role": "partner_user", "partner": w.P2})
	assert.Equal(t, http.StatusOK, status, body)

	// the UI's write path and plain Go code
	_, err := writepath.UpdateFor(w.app, access.ByUser(w.users["admin"]), "users", w.uid("pu2"), map[string]any{"partner": ""})
	assert.ErrorContains(t, err, "a partner role needs a partner company")
	u, err := w.app.FindRecordById("users", w.uid("pm2"))
	require.NoError(t, err)
	u.Set("partner", "")
	assert.ErrorContains(t, w.app.Save(u), "a partner role needs a partner company")
	u, err = w.app.FindRecordById("users", w.uid("teleoperator"))
	require.NoError(t, err)
	u.Set("partner", w.P1)
	assert.ErrorContains(t, w.app.Save(u), "only partner roles belong to a partner company")

	// an account saved inconsistent before this check can still be
	// deactivated (the UI's toggle) or renamed
	legacy := w.addUser("legacy", "partner_user", "P1")
	legacy.Set("partner", "")
	require.NoError(t, w.app.SaveNoValidate(legacy))
	_, err = writepath.UpdateFor(w.app, access.ByUser(w.users["admin"]), "users", legacy.Id, map[string]any{"active": false})
	assert.NoError(t, err)
	status, body = patch("legacy", map[string]any{"name": "Ancien compte"})
	assert.Equal(t, http.StatusOK, status, body)
}
