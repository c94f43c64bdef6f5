package hooks_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/deals"
)

// TestAccountMatchesTellOnlyWhatTheUserMayLearn: the duplicates shown on
// the account form are the accounts the user may view (named, with the
// key) and, for internal users only, the customers another partner holds
// (the key and the partner, the name only when the user may view the
// record); a partner user is never told of another company.
func TestAccountMatchesTellOnlyWhatTheUserMayLearn(t *testing.T) {
	w := newWorld(t)
	p1acc := w.mk("accounts", map[string]any{"name": "Ferme du Menez", "siren": "732829320", "postal_code": "35000", "partner": w.P1})
	own := w.mk("accounts", map[string]any{"name": "Laiterie Sales", "siren": "404833048", "postal_code": "29200", "owner": w.uid("sales")})
	draft := func(siren string, partner string) map[string]any {
		return map[string]any{"name": "Nouveau", "siren": siren, "postal_code": "35000", "partner": partner}
	}
	type want struct {
		kind, record, name, partner, keyKind string
		visible, entrusted                   bool
	}
	cases := []struct {
		who   string
		body  map[string]any
		wants []want
	}{
		// internal sales: the partner holding it, not the name of an account it may not open
		{"sales", draft("732829320", ""), []want{{"account", p1acc.Id, "", w.P1, "siren", false, true}}},
		// its own account: named, a duplicate (no partner holds it)
		{"sales", draft("404833048", ""), []want{{"account", own.Id, "Laiterie Sales", "", "siren", true, false}}},
		// the admin sees it all
		{"admin", draft("732829320", ""), []want{{"account", p1acc.Id, "Ferme du Menez", w.P1, "siren", true, true}}},
		// the same company's users: their own account, not a conflict
		{"partner_user", draft("732829320", w.P1), []want{{"account", p1acc.Id, "Ferme du Menez", "", "siren", true, false}}},
		// another company: told nothing
		{"pu2", draft("732829320", w.P2), nil},
		{"pm2", draft("732829320", w.P2), nil},
		// another sales: nothing to see, no partner holds it
		{"sales2", draft("404833048", ""), nil},
	}
	for _, c := range cases {
		rec := core.NewRecord(mustCollection(t, w.app, "accounts"))
		rec.Load(c.body)
		got, err := deals.AccountMatches(w.app, w.users[c.who], rec)
		require.NoError(t, err, c.who)
		var have []want
		for _, m := range got {
			have = append(have, want{m.Kind, m.Record, m.Name, m.Partner, m.KeyKind, m.Visible, m.Entrusted})
		}
		assert.Equal(t, c.wants, have, "%s %v", c.who, c.body)
	}
	// the company and postal code key names the key kind
	rec := core.NewRecord(mustCollection(t, w.app, "accounts"))
	rec.Load(map[string]any{"name": "Ferme du Menez", "postal_code": "35000"})
	got, err := deals.AccountMatches(w.app, w.users["admin"], rec)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "company", got[0].KeyKind)
	assert.Contains(t, got[0].Key, "35000")
}
