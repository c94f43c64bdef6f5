package hooks_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/notify"
)

// The daily digest goes, once a day, to the users who asked for it: the
// offers waiting for their answer and their pipeline leads unchanged for
// digest_stale_days (7), as the leads rules let them see them — never
// another partner's lead, never a contact detail; nothing to say, no
// e-mail.
func TestDailyDigest(t *testing.T) {
	w := newWorld(t)
	w.app.Settings().Meta.AppURL = "https://relais.example"
	now := time.Now()
	offered := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "offered", createdBy: "teleoperator"})
	_, err := w.app.DB().NewQuery("UPDATE leads SET accept_by = {:t} WHERE id = {:id}").
		Bind(dbx.Params{"t": now.Add(24 * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z"), "id": offered.Id}).Execute()
	require.NoError(t, err)
	stale := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted", createdBy: "teleoperator"})
	fresh := w.lead(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "contacted", createdBy: "teleoperator"})
	foreign := w.lead(leadShape{partner: "P2", assignee: "pu2", territory: "T2", status: "accepted", createdBy: "teleoperator"})
	_, err = w.app.DB().NewQuery("UPDATE leads SET updated = {:t} WHERE id IN ({:a}, {:b})").
		Bind(dbx.Params{"t": now.Add(-10 * 24 * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z"), "a": stale.Id, "b": foreign.Id}).Execute()
	require.NoError(t, err)
	contact := w.contactOf(stale, "secret.contact@example.com")
	for _, key := range []string{"partner_user", "pm2"} {
		u := w.users[key]
		u.Set("digest", true)
		u.Set("locale", "en")
		require.NoError(t, w.app.Save(u))
	}
	// pm2 (partner P2's manager) sees its company's stale lead only

	before := w.app.TestMailer.TotalSend()
	n, err := notify.SendDigests(w.app, now)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	require.Equal(t, before+2, w.app.TestMailer.TotalSend())
	var mine, theirs string
	for _, m := range w.app.TestMailer.Messages()[before:] {
		assert.Equal(t, "Relais: your daily summary", m.Subject)
		switch m.To[0].Address {
		case w.users["partner_user"].Email():
			mine = m.Text + m.HTML
		case w.users["pm2"].Email():
			theirs = m.Text + m.HTML
		}
	}
	assert.Contains(t, mine, offered.GetString("company"))
	assert.Contains(t, mine, stale.GetString("company"))
	assert.NotContains(t, mine, fresh.GetString("company"), "changed recently")
	assert.NotContains(t, mine, foreign.GetString("company"), "another partner's lead")
	assert.NotContains(t, mine, contact.GetString("email"))
	assert.Contains(t, mine, "https://relais.example/")
	assert.Contains(t, theirs, foreign.GetString("company"))
	assert.NotContains(t, theirs, offered.GetString("company"))
	assert.NotContains(t, theirs, stale.GetString("company"))

	n, err = notify.SendDigests(w.app, now.Add(time.Minute))
	require.NoError(t, err)
	assert.Zero(t, n, "once a day")
	assert.Equal(t, before+2, w.app.TestMailer.TotalSend())
}
