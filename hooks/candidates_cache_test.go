package hooks_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestCandidatesFollowEveryChange distributes leads between changes of
// what the candidates' cache holds — a partner's status, a user's access,
// a certificate, an assignment rule, and a change rolled back — and checks
// that each distribution decides on the data as committed at that time,
// never on what the cache held before.
func TestCandidatesFollowEveryChange(t *testing.T) {
	w, p3 := distWorld(t)
	app := w.app
	offeredTo := func(interest string) string {
		t.Helper()
		l := w.lead(leadShape{territory: "T1", status: "qualifying"})
		l.Set("interest", interest)
		l.Set("status", "ready")
		require.NoError(t, app.Save(l)) // distributed after the commit
		l, err := app.FindRecordById("leads", l.Id)
		require.NoError(t, err)
		return l.GetString("partner")
	}
	save := func(collection, id string, fields map[string]any) {
		t.Helper()
		r, err := app.FindRecordById(collection, id)
		require.NoError(t, err)
		for k, v := range fields {
			r.Set(k, v)
		}
		require.NoError(t, app.Save(r))
	}
	require.Contains(t, []string{w.P1, p3}, offeredTo("Toiture 9 kWc")) // the cache is loaded

	save("partners", w.P1, map[string]any{"status": "suspended"})
	require.Equal(t, p3, offeredTo("Toiture 9 kWc"), "a suspended partner gets no offer")

	save("users", w.uid("pu3"), map[string]any{"active": false})
	require.Empty(t, offeredTo("Toiture 9 kWc"), "a partner without an active user gets no offer")
	save("users", w.uid("pu3"), map[string]any{"active": true})
	require.Equal(t, p3, offeredTo("Toiture 9 kWc"))

	// a change rolled back is never seen
	err := app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById("partners", p3)
		if err != nil {
			return err
		}
		r.Set("status", "ended")
		if err := tx.Save(r); err != nil {
			return err
		}
		return errors.New("abandoned")
	})
	require.ErrorContains(t, err, "abandoned")
	require.Equal(t, p3, offeredTo("Toiture 9 kWc"), "a rolled back suspension changes nothing")

	// a photovoltaic lead needs a valid QualiPV or Qualifelec certificate
	require.Empty(t, offeredTo("Panneaux solaires 6 kWc"), "no certified partner")
	w.mk("partner_certificates", map[string]any{"partner": p3, "kind": "rge_qualipv", "valid_until": time.Now().AddDate(1, 0, 0)})
	require.Equal(t, p3, offeredTo("Panneaux solaires 6 kWc"), "a certificate added counts at once")

	rules, err := app.FindAllRecords("assignment_rules")
	require.NoError(t, err)
	for _, r := range rules {
		save("assignment_rules", r.Id, map[string]any{"active": false})
	}
	require.Empty(t, offeredTo("Toiture 9 kWc"), "no active rule: no offer")
}
