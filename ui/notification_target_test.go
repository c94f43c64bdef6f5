package ui

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
)

func TestNotificationPage(t *testing.T) {
	decider := caps{Approvals: true, Registrations: true, Accounts: true, Partners: true, Board: true}
	partnerManager := caps{Inbox: true, Registrations: true, Accounts: true, Certificates: true}
	nobody := caps{}
	for _, c := range []struct {
		id   string
		c    caps
		want string
	}{
		{"access_request", decider, "/approvals"},
		{"access_request", nobody, ""},
		{"access_approved", nobody, "/access-requests"},
		{"access_rejected", decider, "/access-requests"},
		{"registration", decider, "/registrations"},
		{"registration_approved", partnerManager, "/registrations"},
		{"registration_rejected", nobody, ""},
		{"account_conflict", decider, "/accounts"},
		{"certificate_expiry", partnerManager, "/certificates"},
		{"certificate_expiry", decider, "/partners"},
		{"certificate_expiry", nobody, ""},
		{"partner_left", decider, "/reassign"},
		{"partner_left", partnerManager, ""},
		{"lead_withdrawn", partnerManager, "/inbox"},
		{"no_candidate_group", decider, "/board"},
		{"no_candidate_group", partnerManager, ""},
		{"offer", decider, ""},
		{"", decider, ""},
	} {
		assert.Equal(t, c.want, notificationPage(c.id, c.c), "%s %+v", c.id, c.c)
	}
}

// An access request's notification opens the page where its reader acts:
// the decider's queue, then the requester's own requests after the decision.
func TestAccessRequestNotificationsOpenTheirPage(t *testing.T) {
	e := newEnv(t)
	id := e.fileRequest("sales@demo.test", map[string]any{"kind": "export", "resource": "leads", "justification": "Relances"})
	admin := e.user("admin@demo.test")
	note := func(user, msg string) string {
		t.Helper()
		n, err := e.app.FindFirstRecordByFilter("notifications", "user = {:u} && message ~ {:m}", dbx.Params{"u": user, "m": `"msg":"` + msg + `"`})
		require.NoError(t, err)
		return n.Id
	}
	r := e.signedIn("admin@demo.test").get("/notifications/" + note(admin.Id, "access_request") + "/open")
	require.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/approvals", r.Header.Get("Location"))

	require.NoError(t, governance.RejectAccessRequest(e.app, admin, audit.ActorOfUser(admin), id, "Pas maintenant", time.Now()))
	sales := e.signedIn("sales@demo.test")
	r = sales.get("/notifications/" + note(e.user("sales@demo.test").Id, "access_rejected") + "/open")
	require.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/access-requests", r.Header.Get("Location"))
	// another user's notification stays out of reach
	r = sales.get("/notifications/" + note(admin.Id, "access_request") + "/open")
	require.Equal(t, http.StatusSeeOther, r.Status)
	assert.Equal(t, "/notifications", r.Header.Get("Location"))
}
