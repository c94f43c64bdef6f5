package hooks_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/writepath"
)

// accountCreators are the roles the default matrix lets create accounts.
var accountCreators = []string{"admin", "channel_manager", "sales", "partner_manager", "partner_user"}

// accountBody is an account a role creates (its company for partner roles).
func accountBody(w *world, who, name, siren, postal string) map[string]any {
	b := map[string]any{"name": name, "siren": siren, "postal_code": postal, "city": "Rennes"}
	if who == "partner_manager" || who == "partner_user" {
		b["partner"] = w.P1
	}
	return b
}

// Accounts get their département and territory from their postal code,
// whoever creates them and on every later change of it; the channel
// manager of that territory then sees them.
func TestAccountPlaceIsDerived(t *testing.T) {
	w := newWorld(t)
	for i, who := range accountCreators {
		res := w.client.Do(http.MethodPost, url("accounts"), w.tokens[who], accountBody(w, who, "Ferme "+who, "55220011"+string(rune('0'+i)), "35000"))
		require.Equal(t, http.StatusOK, res.Status, "%s: %s", who, res.Body)
		var got map[string]any
		res.JSON(t, &got)
		rec, err := w.app.FindRecordById("accounts", got["id"].(string))
		require.NoError(t, err)
		assert.Equal(t, "35", rec.GetString("department"), who)
		assert.Equal(t, w.T1, rec.GetString("territory"), who)
		// the channel manager of T1 sees it
		assert.Equal(t, http.StatusOK, w.client.Do(http.MethodGet, url("accounts", rec.Id), w.tokens["channel_manager"], nil).Status, who)
	}
	var list struct {
		TotalItems int `json:"totalItems"`
	}
	w.client.Do(http.MethodGet, url("accounts"), w.tokens["channel_manager"], nil).JSON(t, &list)
	assert.Equal(t, len(accountCreators), list.TotalItems, "the channel manager lists the accounts of his territory")

	// every role that edits accounts: a new postal code re-derives the place
	editors := map[string]map[string]any{
		"admin":           {"name": "Compte admin"},
		"channel_manager": {"name": "Compte cm", "postal_code": "35000"},
		"sales":           {"name": "Compte sales", "owner": w.uid("sales")},
		"partner_manager": {"name": "Compte pm", "partner": w.P1},
	}
	for who, f := range editors {
		acc := w.mk("accounts", f)
		res := w.client.Do(http.MethodPatch, url("accounts", acc.Id), w.tokens[who], map[string]any{"postal_code": "29200"})
		require.Equal(t, http.StatusOK, res.Status, "%s: %s", who, res.Body)
		acc, err := w.app.FindRecordById("accounts", acc.Id)
		require.NoError(t, err)
		assert.Equal(t, "29", acc.GetString("department"), who)
		assert.Equal(t, w.T1, acc.GetString("territory"), who)
	}

	// a new postal code moves the account (the territory itself stays derived)
	acc := w.mk("accounts", map[string]any{"name": "Mas Provençal", "postal_code": "35200"})
	assert.Equal(t, w.T1, acc.GetString("territory"))
	res := w.client.Do(http.MethodPatch, url("accounts", acc.Id), w.tokens["admin"], map[string]any{"postal_code": "13001"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	acc, err := w.app.FindRecordById("accounts", acc.Id)
	require.NoError(t, err)
	assert.Equal(t, "13", acc.GetString("department"))
	assert.Equal(t, w.T2, acc.GetString("territory"))
	assert.Equal(t, http.StatusNotFound, w.client.Do(http.MethodGet, url("accounts", acc.Id), w.tokens["channel_manager"], nil).Status, "no longer in his territory")
}

// An account created by an internal user without a partner is owned by its
// creator (the sales role's `own` level reads owner): sales sees its own
// account, not its colleague.
func TestAccountOwnedByItsCreator(t *testing.T) {
	w := newWorld(t)
	for _, who := range []string{"sales", "admin", "channel_manager"} {
		res := w.client.Do(http.MethodPost, url("accounts"), w.tokens[who], map[string]any{"name": "Direct " + who, "postal_code": "35000"})
		require.Equal(t, http.StatusOK, res.Status, "%s: %s", who, res.Body)
		var got map[string]any
		res.JSON(t, &got)
		rec, err := w.app.FindRecordById("accounts", got["id"].(string))
		require.NoError(t, err)
		assert.Equal(t, w.uid(who), rec.GetString("owner"), who)
		if who == "sales" {
			assert.Equal(t, http.StatusOK, w.client.Do(http.MethodGet, url("accounts", rec.Id), w.tokens["sales"], nil).Status)
			assert.Equal(t, http.StatusNotFound, w.client.Do(http.MethodGet, url("accounts", rec.Id), w.tokens["sales2"], nil).Status)
			res = w.client.Do(http.MethodPatch, url("accounts", rec.Id), w.tokens["sales"], map[string]any{"city": "Brest"})
			assert.Equal(t, http.StatusOK, res.Status, res.Body)
		}
	}
	// an account entrusted to a partner has no internal owner
	res := w.client.Do(http.MethodPost, url("accounts"), w.tokens["admin"], map[string]any{"name": "Chez P1", "partner": w.P1})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var got map[string]any
	res.JSON(t, &got)
	assert.Empty(t, got["owner"])
	// the UI's write path does the same
	rec, err := writepath.CreateFor(w.app, access.ByUser(w.users["sales"]), "accounts", map[string]any{"name": "Direct UI", "postal_code": "29200"})
	require.NoError(t, err)
	assert.Equal(t, w.uid("sales"), rec.GetString("owner"))
	assert.Equal(t, w.T1, rec.GetString("territory"))
}

// An internal user's account for a customer a partner holds (same SIREN,
// or company and postal code) is a channel conflict (409), on create and
// on update, through the REST API and the UI's write path; a partner
// user's is accepted (a refusal would tell it another partner's customer)
// and the channel manager is told.
func TestAccountDuplicateOfAPartnersAccountConflicts(t *testing.T) {
	w := newWorld(t)
	// an older lead of the central pool shares the key: it holds nobody's
	// customer, and does not hide the partner's account behind it
	pool := ingestBody("POOL-SIREN")
	pool["siret"] = "443061841"
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], pool)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	w.mk("accounts", map[string]any{"name": "Boulangerie Le Fournil SARL", "postal_code": "35000", "siren": "443061841", "partner": w.P2})
	for _, who := range []string{"sales", "admin", "channel_manager"} {
		res := w.client.Do(http.MethodPost, url("accounts"), w.tokens[who], map[string]any{"name": "Le Fournil", "siren": "443061841", "postal_code": "35000"})
		assert.Equal(t, http.StatusConflict, res.Status, "%s: %s", who, res.Body)
		res = w.client.Do(http.MethodPost, url("accounts"), w.tokens[who], map[string]any{"name": "Boulangerie Le Fournil SARL", "postal_code": "35000"})
		assert.Equal(t, http.StatusConflict, res.Status, "%s by name: %s", who, res.Body)
	}
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM accounts WHERE partner = ''"), "no duplicate saved")
	// the same partner's second account is not a conflict
	res = w.client.Do(http.MethodPost, url("accounts"), w.tokens["admin"], map[string]any{"name": "Fournil site 2", "siren": "443061841", "partner": w.P2})
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	// an update that makes an account a duplicate
	res = w.client.Do(http.MethodPost, url("accounts"), w.tokens["sales"], map[string]any{"name": "Autre client", "siren": "552100554"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	var mine map[string]any
	res.JSON(t, &mine)
	res = w.client.Do(http.MethodPatch, url("accounts", mine["id"].(string)), w.tokens["sales"], map[string]any{"siren": "443061841"})
	assert.Equal(t, http.StatusConflict, res.Status, res.Body)
	_, err := writepath.UpdateFor(w.app, access.ByUser(w.users["sales"]), "accounts", mine["id"].(string), map[string]any{"siren": "443061841"})
	var de *domain.Error
	require.True(t, errors.As(err, &de), "%v", err)
	assert.Equal(t, domain.KindConflict, de.Kind)
	_, err = writepath.CreateFor(w.app, access.ByUser(w.users["sales"]), "accounts", map[string]any{"name": "x", "siren": "443061841"})
	require.True(t, errors.As(err, &de), "%v", err)
	assert.Equal(t, domain.KindConflict, de.Kind)

	// partner roles: accepted, the channel manager told
	for _, who := range []string{"partner_manager", "partner_user"} {
		res := w.client.Do(http.MethodPost, url("accounts"), w.tokens[who], accountBody(w, who, "Le Fournil "+who, "443061841", "35000"))
		assert.Equal(t, http.StatusOK, res.Status, "%s: %s", who, res.Body)
		assert.NotContains(t, res.Body, w.P2, "the other partner is not named")
	}
	assert.Equal(t, 2, countRows(t, w, "SELECT COUNT(*) FROM notifications WHERE user = {:u} AND kind = 'account_conflict'", dbx.Params{"u": w.uid("channel_manager")}))
	assert.Equal(t, 2, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'accounts.conflict'"))
}

// The accounts saved before their place was derived get it at the start
// that follows the upgrade (the migration asks Reconcile for it).
func TestAccountPlacesDerivedAtStartAfterUpgrade(t *testing.T) {
	w := newWorld(t)
	acc := w.mk("accounts", map[string]any{"name": "Ancien compte", "postal_code": "29200"})
	none := w.mk("accounts", map[string]any{"name": "Sans code postal"})
	for _, q := range []string{
		"UPDATE accounts SET department = '', territory = ''", // as an older release saved them
		"CREATE TABLE IF NOT EXISTS relais_rebuild (name TEXT PRIMARY KEY NOT NULL)",
		"INSERT INTO relais_rebuild (name) VALUES ('account_places')",
	} {
		_, err := w.app.DB().NewQuery(q).Execute()
		require.NoError(t, err, q)
	}
	assert.Equal(t, http.StatusNotFound, w.client.Do(http.MethodGet, url("accounts", acc.Id), w.tokens["channel_manager"], nil).Status)
	r, err := hooks.Reconcile(w.app)
	require.NoError(t, err)
	assert.Equal(t, []string{hooks.RebuildAccountPlacesName}, r.Rebuilt)
	fresh, err := w.app.FindRecordById("accounts", acc.Id)
	require.NoError(t, err)
	assert.Equal(t, "29", fresh.GetString("department"))
	assert.Equal(t, w.T1, fresh.GetString("territory"))
	assert.Equal(t, http.StatusOK, w.client.Do(http.MethodGet, url("accounts", acc.Id), w.tokens["channel_manager"], nil).Status)
	untouched, err := w.app.FindRecordById("accounts", none.Id)
	require.NoError(t, err)
	assert.Empty(t, untouched.GetString("territory"))
}
