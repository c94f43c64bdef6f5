package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/internal/testapp"
)

func dbDate(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

// RunSuspensions deactivates expired accounts, ends partners past their
// contract, flags (and optionally suspends) inactive accounts, each step
// audited once, sessions revoked; a second pass changes nothing.
func TestRunSuspensions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	now := time.Now()
	set := func(table, id, col string, v any) {
		govExec(t, w.app, "UPDATE "+table+" SET "+col+" = {:v} WHERE id = {:id}", dbx.Params{"v": v, "id": id})
	}
	// behind the hooks' back, as the clock would do it
	set("users", w.uid("teleoperator"), "access_expires", dbDate(now.Add(-time.Minute)))
	set("users", w.uid("sales"), "access_expires", dbDate(now.Add(time.Hour))) // not yet
	set("partners", w.P2, "contract_end", dbDate(now.Add(-time.Hour)))
	set("partners", w.P1, "contract_end", dbDate(now.Add(24*time.Hour))) // not yet
	set("users", w.uid("sales2"), "last_login", dbDate(now.Add(-40*24*time.Hour)))
	set("users", w.uid("admin"), "last_login", dbDate(now.Add(-2*24*time.Hour)))
	set("settings_prm", access.SettingsID, "inactivity_days", 30)

	teleTok, pu2Tok := w.tokens["teleoperator"], w.tokens["pu2"]
	require.Equal(t, http.StatusOK, listStatus(w, w.tokens["sales2"]))

	head := auditHead(t, w.app)
	rep, err := governance.RunSuspensions(w.app, now)
	require.NoError(t, err)
	assert.Equal(t, []string{w.uid("teleoperator")}, rep.Expired)
	assert.Equal(t, []string{w.P2}, rep.PartnersEnded)
	assert.Equal(t, []string{w.uid("sales2")}, rep.FlaggedInactive)
	assert.Empty(t, rep.SuspendedInactive)

	// exactly one entry per change
	entries := auditSince(t, w.app, head)
	require.Len(t, entries, 3)
	byRecord := map[string]string{}
	for _, e := range entries {
		byRecord[e.GetString("record")] = e.GetString("action")
		assert.Equal(t, "system:suspensions", e.GetString("actor"))
	}
	assert.Equal(t, governance.ActionUserDeactivate, byRecord[w.uid("teleoperator")])
	assert.Equal(t, governance.ActionPartnerEnd, byRecord[w.P2])
	assert.Equal(t, governance.ActionUserFlag, byRecord[w.uid("sales2")])

	tele, err := w.app.FindRecordById("users", w.uid("teleoperator"))
	require.NoError(t, err)
	assert.False(t, tele.GetBool("active"))
	p2, err := w.app.FindRecordById("partners", w.P2)
	require.NoError(t, err)
	assert.Equal(t, "ended", p2.GetString("status"))
	sales2, err := w.app.FindRecordById("users", w.uid("sales2"))
	require.NoError(t, err)
	assert.True(t, sales2.GetBool("active"), "flagged, not suspended")
	assert.False(t, sales2.GetDateTime("inactive_flagged_at").IsZero())

	// sessions are gone (token key rotated)
	assert.Equal(t, http.StatusUnauthorized, listStatus(w, teleTok))
	assert.Equal(t, http.StatusUnauthorized, listStatus(w, pu2Tok))
	assert.Equal(t, http.StatusOK, listStatus(w, w.tokens["sales2"]))
	assert.Equal(t, http.StatusOK, listStatus(w, w.tokens["partner_user"]), "P1's contract runs")

	// idempotent
	head = auditHead(t, w.app)
	rep, err = governance.RunSuspensions(w.app, now.Add(time.Minute))
	require.NoError(t, err)
	assert.True(t, rep.Empty(), "%+v", rep)
	assert.Empty(t, auditSince(t, w.app, head))

	// a login clears the inactivity flag
	status, body := login(w, "sales2@world.test", "world-password-1")
	require.Equal(t, http.StatusOK, status, body)
	sales2, err = w.app.FindRecordById("users", w.uid("sales2"))
	require.NoError(t, err)
	assert.True(t, sales2.GetDateTime("inactive_flagged_at").IsZero())

	// with suspend_inactive, inactive accounts are deactivated too
	set("settings_prm", access.SettingsID, "suspend_inactive", true)
	set("users", w.uid("integration"), "last_login", dbDate(now.Add(-31*24*time.Hour)))
	intTok := w.tokens["integration"]
	head = auditHead(t, w.app)
	rep, err = governance.RunSuspensions(w.app, now)
	require.NoError(t, err)
	assert.Equal(t, []string{w.uid("integration")}, rep.SuspendedInactive)
	e := onlyEntry(t, w.app, head, governance.ActionUserDeactivate)
	assert.Equal(t, "inactivity", changesOf(t, e)["reason"])
	assert.Equal(t, http.StatusUnauthorized, listStatus(w, intTok))

	// inactivity_days = 0 disables the check
	set("settings_prm", access.SettingsID, "inactivity_days", 0)
	set("users", w.uid("sales"), "last_login", dbDate(now.Add(-400*24*time.Hour)))
	rep, err = governance.RunSuspensions(w.app, now)
	require.NoError(t, err)
	assert.Empty(t, rep.FlaggedInactive)
	assert.Empty(t, rep.SuspendedInactive)

	// the flag cannot be cleared by the user through the API
	res := w.client.Do(http.MethodPatch, url("users", w.uid("sales2")), w.tokens["sales2"], map[string]any{"inactive_flagged_at": ""})
	assert.NotContains(t, res.Body, "inactive_flagged_at", "hidden field")
}

// The suspension and access-review jobs are scheduled under `serve` only
// (a serve event with a server), not when tests build the router.
func TestGovernanceCronJobs(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, "")
	ids := func() []string {
		var out []string
		for _, j := range app.Cron().Jobs() {
			out = append(out, j.Id())
		}
		return out
	}
	testapp.NewClient(t, app)
	assert.NotContains(t, ids(), governance.SuspensionsCronID)

	r, err := apis.NewRouter(app)
	require.NoError(t, err)
	se := &core.ServeEvent{App: app, Router: r, Server: &http.Server{}}
	require.NoError(t, app.OnServe().Trigger(se, func(e *core.ServeEvent) error { return nil }))
	assert.Contains(t, ids(), governance.SuspensionsCronID)
	assert.Contains(t, ids(), governance.AccessReviewCronID)
	for _, j := range app.Cron().Jobs() {
		switch j.Id() {
		case governance.SuspensionsCronID:
			assert.Equal(t, "*/5 * * * *", j.Expression())
		case governance.AccessReviewCronID:
			assert.Equal(t, "0 6 1 1,4,7,10 *", j.Expression())
		}
	}
}
