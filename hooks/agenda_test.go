package hooks_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/agenda"
	"github.com/relais/relais/hooks/domain"
)

// The agenda of a partner holds the booked meetings of its offers (town
// only) and accepted leads (street and person); the .ics is refused until
// its company accepted the lead, and always to another partner.
func TestAgendaWeekAndDownload(t *testing.T) {
	w, _ := distWorld(t)
	b, at := apptBody("AGENDA-1", 80)
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], b)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	var out map[string]any
	res.JSON(t, &out)
	id := out["id"].(string)
	rec := leadRec(t, w, id)
	require.Equal(t, "offered", rec.GetString("status"))
	assignee, err := w.app.FindRecordById("users", rec.GetString("assignee"))
	require.NoError(t, err)
	start := at.Add(-24 * time.Hour)

	find := func(ms []agenda.Meeting) *agenda.Meeting {
		for i := range ms {
			if ms[i].LeadID == id {
				return &ms[i]
			}
		}
		return nil
	}
	week, err := agenda.Week(w.app, assignee, start)
	require.NoError(t, err)
	m := find(week)
	require.NotNil(t, m, "the offer's booked meeting is in the week")
	assert.True(t, m.At.Equal(at))
	assert.True(t, m.Booked)
	assert.False(t, m.Accepted)
	assert.Equal(t, "35700 Rennes-Est", m.Place(), "the town only")
	assert.Empty(t, m.With)
	assert.Empty(t, m.Name)
	_, err = agenda.Downloadable(w.app, assignee, id)
	assert.True(t, errors.Is(err, domain.ErrNotVisible), "no .ics before acceptance: %v", err)
	// outside the week: absent
	later, err := agenda.Week(w.app, assignee, at.Add(time.Hour))
	require.NoError(t, err)
	assert.Nil(t, find(later))

	res = w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/accept", tokenOf(t, w, assignee), nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	week, err = agenda.Week(w.app, assignee, start)
	require.NoError(t, err)
	m = find(week)
	require.NotNil(t, m)
	assert.True(t, m.Accepted)
	assert.Equal(t, apptStreet+", 35700 Rennes-Est", m.Place())
	assert.Equal(t, apptWith, m.With)
	got, err := agenda.Downloadable(w.app, assignee, id)
	require.NoError(t, err)
	assert.Equal(t, id, got.LeadID)

	// another partner's users: nothing
	for _, who := range []string{"pu2", "pm2"} {
		week, err := agenda.Week(w.app, w.users[who], start)
		require.NoError(t, err)
		assert.Nil(t, find(week), who)
		_, err = agenda.Downloadable(w.app, w.users[who], id)
		assert.True(t, errors.Is(err, domain.ErrNotVisible), "%s: %v", who, err)
	}
	// the integration sees the lead it sent, but has no calendar to add it to
	_, err = agenda.Downloadable(w.app, w.users["integration"], id)
	assert.True(t, errors.Is(err, domain.ErrNotVisible), "integration: %v", err)
	// internal: the admin may download it
	_, err = agenda.Downloadable(w.app, w.users["admin"], id)
	assert.NoError(t, err)
	// a lead without a meeting: nothing to download
	plain := w.lead(leadShape{partner: "P1", status: "accepted", territory: "T1", assignee: "partner_user"})
	_, err = agenda.Downloadable(w.app, w.users["partner_user"], plain.Id)
	assert.True(t, errors.Is(err, domain.ErrNotVisible))
}
