package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/internal/testapp"
)

func loginWithID(w *world, collection, email, password, requestID string) (int, string) {
	res := w.client.Do(http.MethodPost, "/api/collections/"+collection+"/auth-with-password", "",
		map[string]any{"identity": email, "password": password}, map[string]string{"X-Request-Id": requestID})
	return res.Status, res.Body
}

// Logins (success and failure, users and superusers) and logouts each write
// exactly one entry with the e-mail and never the password.
func TestLoginAndLogoutAreAudited(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	pu := w.users["partner_user"]

	t.Run("success", func(t *testing.T) {
		head := auditHead(t, w.app)
		status, body := loginWithID(w, "users", "partner_user@world.test", "world-password-1", "req-login-1")
		require.Equal(t, http.StatusOK, status, body)
		e := onlyEntry(t, w.app, head, audit.ActionLogin)
		requireEntryFields(t, e, pu.Id, "partner_user", w.P1, "users", pu.Id)
		assert.Equal(t, "req-login-1", e.GetString("request_id"))
		assert.NotEmpty(t, e.GetString("ip"))
		assert.Equal(t, "partner_user@world.test", changesOf(t, e)["email"])
	})
	t.Run("wrong password", func(t *testing.T) {
		head := auditHead(t, w.app)
		status, _ := loginWithID(w, "users", "partner_user@world.test", "wrong-password-9", "req-login-2")
		require.Equal(t, http.StatusBadRequest, status)
		e := onlyEntry(t, w.app, head, audit.ActionLoginFailed)
		// the caller is not authenticated: no actor, the account tried is the record
		requireEntryFields(t, e, "", "", "", "users", pu.Id)
		assert.Equal(t, "req-login-2", e.GetString("request_id"))
		c := changesOf(t, e)
		assert.Equal(t, "partner_user@world.test", c["email"])
		assert.Equal(t, "invalid_credentials", c["reason"])
	})
	t.Run("unknown account", func(t *testing.T) {
		head := auditHead(t, w.app)
		status, _ := loginWithID(w, "users", "nobody@world.test", "wrong-password-9", "")
		require.Equal(t, http.StatusBadRequest, status)
		e := onlyEntry(t, w.app, head, audit.ActionLoginFailed)
		requireEntryFields(t, e, "", "", "", "users", "")
		assert.Equal(t, "nobody@world.test", changesOf(t, e)["email"])
	})
	t.Run("blocked account", func(t *testing.T) {
		u := w.users["sales2"]
		u.Set("active", false)
		require.NoError(t, w.app.Save(u))
		head := auditHead(t, w.app)
		status, _ := loginWithID(w, "users", "sales2@world.test", "world-password-1", "")
		require.Equal(t, http.StatusForbidden, status)
		e := onlyEntry(t, w.app, head, audit.ActionLoginFailed)
		assert.Equal(t, "account_inactive", changesOf(t, e)["reason"])
		assert.Equal(t, u.Id, e.GetString("record"))
	})
	t.Run("superuser", func(t *testing.T) {
		su := core.NewRecord(govCollection(t, w.app, core.CollectionNameSuperusers))
		su.SetEmail("root@world.test")
		su.SetPassword("root-password-1")
		require.NoError(t, w.app.Save(su))
		head := auditHead(t, w.app)
		status, body := loginWithID(w, core.CollectionNameSuperusers, "root@world.test", "root-password-1", "")
		require.Equal(t, http.StatusOK, status, body)
		e := onlyEntry(t, w.app, head, audit.ActionLogin)
		requireEntryFields(t, e, su.Id, "superuser", "", core.CollectionNameSuperusers, su.Id)

		// impersonating a user is recorded with the superuser as actor
		suTok := testapp.Token(t, w.app, su)
		head = auditHead(t, w.app)
		res := w.client.Do(http.MethodPost, "/api/collections/users/impersonate/"+pu.Id, suTok, map[string]any{"duration": 60})
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		e = onlyEntry(t, w.app, head, audit.ActionImpersonate)
		requireEntryFields(t, e, su.Id, "superuser", "", "users", pu.Id)
	})
	t.Run("token refresh is not a login", func(t *testing.T) {
		head := auditHead(t, w.app)
		res := w.client.Do(http.MethodPost, "/api/collections/users/auth-refresh", w.tokens["sales"], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		assert.Empty(t, auditSince(t, w.app, head))
	})
	t.Run("logout", func(t *testing.T) {
		head := auditHead(t, w.app)
		require.NoError(t, audit.Logout(w.app, pu, nil))
		e := onlyEntry(t, w.app, head, audit.ActionLogout)
		requireEntryFields(t, e, pu.Id, "partner_user", w.P1, "users", pu.Id)
	})

	// no password anywhere in the log
	var dump []string
	require.NoError(t, w.app.DB().NewQuery("SELECT changes || actor || action || record FROM audit_log").Column(&dump))
	all := strings.Join(dump, "\n")
	for _, secret := range []string{"world-password-1", "wrong-password-9", "root-password-1"} {
		assert.NotContains(t, all, secret)
	}
}

func govCollection(t testing.TB, app core.App, name string) *core.Collection {
	t.Helper()
	c, err := app.FindCollectionByNameOrId(name)
	require.NoError(t, err)
	return c
}

// Business-collection API changes write exactly one entry each (same
// transaction as the change), with a diff that never holds contact values;
// a refused change writes nothing. Role, permission and user changes are
// covered the same way; (de)activations are named users.activate /
// users.deactivate.
func TestAPIChangesAuditedOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.tokens["admin"]
	adminID := w.uid("admin")
	hdr := map[string]string{"X-Request-Id": "req-api-1"}

	// create
	head := auditHead(t, w.app)
	res := w.client.Do(http.MethodPost, url("accounts"), admin, map[string]any{"name": "Ferme du Lac", "city": "Brest"}, hdr)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var acc struct {
		ID string `json:"id"`
	}
	res.JSON(t, &acc)
	e := onlyEntry(t, w.app, head, "accounts.create")
	requireEntryFields(t, e, adminID, "admin", "", "accounts", acc.ID)
	assert.Equal(t, "req-api-1", e.GetString("request_id"))
	assert.Equal(t, "Ferme du Lac", changesOf(t, e)["name"])

	// update: the diff has from/to
	head = auditHead(t, w.app)
	res = w.client.Do(http.MethodPatch, url("accounts", acc.ID), admin, map[string]any{"city": "Quimper"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	e = onlyEntry(t, w.app, head, "accounts.update")
	assert.Equal(t, map[string]any{"from": "Brest", "to": "Quimper"}, changesOf(t, e)["city"])

	// a refused change writes nothing
	head = auditHead(t, w.app)
	res = w.client.Do(http.MethodPatch, url("accounts", acc.ID), w.tokens["partner_user"], map[string]any{"city": "Paris"})
	require.NotEqual(t, http.StatusOK, res.Status)
	assert.Empty(t, auditSince(t, w.app, head))

	// contact values never enter the log
	lead := w.lead(ownLead("partner_user"))
	head = auditHead(t, w.app)
	res = w.client.Do(http.MethodPost, url("lead_contacts"), admin, map[string]any{"lead": lead.Id, "email": "secret.person@x.test", "phone": "+33611111111"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	e = onlyEntry(t, w.app, head, "lead_contacts.create")
	assert.Equal(t, "(changed)", changesOf(t, e)["email"])
	assert.NotContains(t, e.GetString("changes"), "secret.person")
	assert.NotContains(t, e.GetString("changes"), "611111111")

	// delete
	head = auditHead(t, w.app)
	res = w.client.Do(http.MethodDelete, url("accounts", acc.ID), admin, nil)
	require.Equal(t, http.StatusNoContent, res.Status, res.Body)
	e = onlyEntry(t, w.app, head, "accounts.delete")
	assert.Equal(t, acc.ID, e.GetString("record"))

	// permission (matrix) change
	head = auditHead(t, w.app)
	res = w.client.Do(http.MethodPatch, url("permissions", permissionID(t, w, "sales", "accounts")), admin, map[string]any{"export": true})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	e = onlyEntry(t, w.app, head, "permissions.update")
	assert.Equal(t, map[string]any{"from": false, "to": true}, changesOf(t, e)["export"])

	// role change
	head = auditHead(t, w.app)
	res = w.client.Do(http.MethodPost, url("roles"), admin, map[string]any{"id": "auditor", "name": "auditor", "kind": "internal"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	onlyEntry(t, w.app, head, "roles.create")

	// user role change and (de)activation
	sales := w.uid("sales")
	head = auditHead(t, w.app)
	res = w.client.Do(http.MethodPatch, url("users", sales), admin, map[string]any{"role": "teleoperator"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	e = onlyEntry(t, w.app, head, "users.update")
	assert.Equal(t, map[string]any{"from": "sales", "to": "teleoperator"}, changesOf(t, e)["role"])
	head = auditHead(t, w.app)
	res = w.client.Do(http.MethodPatch, url("users", sales), admin, map[string]any{"active": false})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	e = onlyEntry(t, w.app, head, governance.ActionUserDeactivate)
	requireEntryFields(t, e, adminID, "admin", "", "users", sales)
	head = auditHead(t, w.app)
	res = w.client.Do(http.MethodPatch, url("users", sales), admin, map[string]any{"active": true})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	onlyEntry(t, w.app, head, governance.ActionUserActivate)

	rep, err := audit.Verify(w.app, 3, nil)
	require.NoError(t, err)
	require.Nil(t, rep.Break)
	assert.Equal(t, auditHead(t, w.app), rep.Count)
}
