package testapp

import (
	"fmt"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// UncoveredTerritory adds, on demo data, a territory no partner covers
// ("Corse", départements 2A and 2B), gives it to the channel managers of
// managers (e-mails) and adds n ready leads "Corse Lead 0"… in it: leads
// no partner can take. It returns the territory.
func UncoveredTerritory(tb testing.TB, app core.App, managers []string, n int) *core.Record {
	tb.Helper()
	mk := func(collection string, fields map[string]any) *core.Record {
		c, err := app.FindCollectionByNameOrId(collection)
		require.NoError(tb, err)
		r := core.NewRecord(c)
		r.Load(fields)
		require.NoError(tb, app.Save(r))
		return r
	}
	tr := mk("territories", map[string]any{"name": "Corse", "code": "T-COR", "kind": "region", "departments": []string{"2A", "2B"}})
	for _, email := range managers {
		u, err := app.FindAuthRecordByEmail("users", email)
		require.NoError(tb, err)
		u.Set("territories", append(u.GetStringSlice("territories"), tr.Id))
		require.NoError(tb, app.Save(u))
	}
	for i := range n {
		mk("leads", map[string]any{"company": fmt.Sprintf("Corse Lead %d", i), "status": "ready", "country": "FR",
			"postal_code": "20000", "city": "Ajaccio", "department": "2A", "territory": tr.Id, "score": 80, "segment": "business"})
	}
	return tr
}
