package hooks_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/beforerow"
)

// The row a write's hooks take from a record loaded in the transaction
// (beforerow.FromOriginal) is the row they would read (beforerow.Read):
// same columns, same values, dates in their stored form, for a lead and
// its offer (its lead's territory given).
func TestBeforeRowFromARecordEqualsTheStoredRow(t *testing.T) {
	w, _ := distWorld(t)
	lead := readyLead(t, w, "WR3-ROW")
	rec := leadRec(t, w, lead["id"].(string))
	require.Equal(t, "offered", rec.GetString("status"))
	db := w.app.NonconcurrentDB()
	stored, err := beforerow.Read(db, "leads", rec.Id)
	require.NoError(t, err)
	assert.Equal(t, stored, beforerow.FromOriginal(rec.Original(), nil))
	assert.NotEmpty(t, stored.Str("created"))
	assert.NotEmpty(t, stored.Str("assignee"))

	offer, err := w.app.FindFirstRecordByData("lead_offers", "lead", rec.Id)
	require.NoError(t, err)
	stored, err = beforerow.Read(db, "lead_offers", offer.Id)
	require.NoError(t, err)
	assert.Equal(t, stored, beforerow.FromOriginal(offer.Original(), map[string]string{beforerow.LeadTerritory: rec.GetString("territory")}))
	assert.NotEmpty(t, stored.Str("offered_at"))
	assert.Equal(t, rec.GetString("territory"), stored.Str(beforerow.LeadTerritory))

	missing, err := beforerow.Read(db, "leads", "nosuchlead12345")
	require.NoError(t, err)
	assert.Nil(t, missing, "no row")
}
