package hooks_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/distribution"
)

// setAcceptBy moves the deadline of a lead's offer.
func setAcceptBy(t *testing.T, w *world, leadID string, at time.Time) {
	t.Helper()
	_, err := w.app.DB().NewQuery("UPDATE leads SET accept_by = {:t} WHERE id = {:id}").
		Bind(dbx.Params{"t": at.UTC().Format("2006-01-02 15:04:05.000Z"), "id": leadID}).Execute()
	require.NoError(t, err)
}

// An offer is reminded once, to its assignee and its partner's managers,
// when its deadline is within offer_reminder_hours (4 by default), and
// mailed; an offer further away is not.
func TestOfferReminderIsSentOnceBeforeTheDeadline(t *testing.T) {
	w, _ := distWorld(t)
	rec := leadRec(t, w, readyLead(t, w, "REMIND-1")["id"].(string))
	require.Equal(t, "offered", rec.GetString("status"))
	now := time.Now()

	setAcceptBy(t, w, rec.Id, now.Add(5*time.Hour))
	n, err := distribution.RemindOffers(w.app, now)
	require.NoError(t, err)
	assert.Zero(t, n, "not yet: 5 h left")

	setAcceptBy(t, w, rec.Id, now.Add(3*time.Hour))
	flushMail(t, w)
	mails := w.app.TestMailer.TotalSend()
	n, err = distribution.RemindOffers(w.app, now)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	var managers []string
	require.NoError(t, w.app.DB().NewQuery("SELECT id FROM users WHERE partner = {:p} AND role = 'partner_manager' AND active = 1").
		Bind(dbx.Params{"p": rec.GetString("partner")}).Column(&managers))
	want := append([]string{rec.GetString("assignee")}, managers...)
	var got []string
	require.NoError(t, w.app.DB().NewQuery("SELECT user FROM notifications WHERE kind = 'offer_reminder' AND lead = {:l}").
		Bind(dbx.Params{"l": rec.Id}).Column(&got))
	assert.ElementsMatch(t, want, got)
	flushMail(t, w)
	assert.Equal(t, mails+len(want), w.app.TestMailer.TotalSend(), "each reminder is mailed")

	n, err = distribution.RemindOffers(w.app, now.Add(time.Hour))
	require.NoError(t, err)
	assert.Zero(t, n, "once per offer")
	assert.Equal(t, len(want), countRows(t, w, "SELECT COUNT(*) FROM notifications WHERE kind = 'offer_reminder' AND lead = {:l}", dbx.Params{"l": rec.Id}))
}

// An expired offer that is offered to the next partner is escalated to
// the territory's channel manager; an expiry that sends the lead back to
// the pool is not escalated a second time (lead_back_to_pool says it).
func TestOfferExpiryIsEscalatedOnce(t *testing.T) {
	w, _ := distWorld(t)
	rec := leadRec(t, w, readyLead(t, w, "ESCALATE-1")["id"].(string))
	cm := w.uid("channel_manager")
	count := func(kind string) int {
		return countRows(t, w, "SELECT COUNT(*) FROM notifications WHERE user = {:u} AND kind = {:k} AND lead = {:l}", dbx.Params{"u": cm, "k": kind, "l": rec.Id})
	}
	setAcceptBy(t, w, rec.Id, time.Now().Add(-time.Minute))
	n, err := distribution.ExpireOffers(w.app, time.Now())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, "offered", leadRec(t, w, rec.Id).GetString("status"), "re-offered")
	assert.Equal(t, 1, count("offer_expired"))
	assert.Zero(t, count("lead_back_to_pool"))

	setAcceptBy(t, w, rec.Id, time.Now().Add(-time.Minute))
	n, err = distribution.ExpireOffers(w.app, time.Now())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, "recycled", leadRec(t, w, rec.Id).GetString("status"), "offers exhausted")
	assert.Equal(t, 1, count("lead_back_to_pool"))
	assert.Equal(t, 1, count("offer_expired"), "no second alert for the same expiry")
}
