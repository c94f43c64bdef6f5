package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeclineNeedsAReasonAndSwapsTheCard(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	id := offerRe.FindStringSubmatch(b.get("/inbox").Body)[1]
	r := b.post("/leads/"+id+"/decline", url.Values{"reason": {""}, "details": {""}}, hx)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	has(t, r.Body, "Un motif est obligatoire")
	has(t, r.Body, "state-open", "the card stays open with the message")

	r = b.post("/leads/"+id+"/decline", url.Values{"reason": {"Capacité atteinte ce mois-ci"}, "details": {"retour en janvier"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, "state-declined")
	offer, err := e.app.FindFirstRecordByFilter("lead_offers", "lead = {:l} && outcome = 'declined'", map[string]any{"l": id})
	require.NoError(t, err)
	assert.Equal(t, "capacity", offer.GetString("reason_code"), "the reason is stored as a code")
	assert.Equal(t, "retour en janvier", offer.GetString("reason_note"))
	assert.NotContains(t, b.get("/inbox").Body, `id="offer-`+id+`"`)
}
