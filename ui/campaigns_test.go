package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Only admins manage the campaigns; the other internal roles and every
// partner role get 404 on the page and its forms, and see no budget.
func TestCampaignsFormByRole(t *testing.T) {
	e := newEnv(t)
	camp, err := e.app.FindFirstRecordByFilter("campaigns", "name = 'Annonces Google solaire'")
	require.NoError(t, err)
	for _, email := range []string{"manager@demo.test", "sales@demo.test", "teleop@demo.test", "installer001@demo.test", "installer001.sales@demo.test"} {
		b := e.signedIn(email)
		for _, path := range []string{"/campaigns", "/campaigns/" + camp.Id} {
			r := b.get(path)
			assert.Equal(t, http.StatusNotFound, r.Status, email+" "+path)
			lacks(t, r.Body, esc(camp.GetString("name")), email)
		}
		b.get("/notifications")
		assert.Equal(t, http.StatusNotFound, b.post("/campaigns", url.Values{"name": {"X"}, "source": {"web"}}).Status, email)
		assert.Equal(t, http.StatusNotFound, b.post("/campaigns/"+camp.Id, url.Values{"name": {"X"}, "source": {"web"}, "budget": {"1"}}).Status, email)
		lacks(t, b.get("/notifications").Body, `href="/campaigns"`, email)
	}
	got, err := e.app.FindRecordById("campaigns", camp.Id)
	require.NoError(t, err)
	assert.InDelta(t, 12000.0, got.GetFloat("budget"), 0, "unchanged")

	admin := e.signedIn("admin@demo.test")
	r := admin.get("/campaigns")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, esc(camp.GetString("name")))
	has(t, r.Body, `href="/campaigns"`, "in the menu")
	// create, with a French amount
	r = admin.post("/campaigns", url.Values{"name": {"Salon de Lyon"}, "source": {"campaign"}, "channel": {"event"},
		"starts": {"2026-05-10"}, "ends": {"2026-05-12"}, "budget": {"7 500,50"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	rec, err := e.app.FindFirstRecordByFilter("campaigns", "name = 'Salon de Lyon'")
	require.NoError(t, err)
	assert.InDelta(t, 7500.5, rec.GetFloat("budget"), 1e-9)
	assert.Equal(t, "campaign", rec.GetString("source"))
	_, err = e.app.FindFirstRecordByFilter("audit_log", "resource = 'campaigns' && record = {:id}", map[string]any{"id": rec.Id})
	require.NoError(t, err, "the creation is audited")
	// edit
	r = admin.get("/campaigns/" + rec.Id)
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `value="2026-05-12"`)
	r = admin.post("/campaigns/"+rec.Id, url.Values{"name": {"Salon de Lyon"}, "source": {"web"}, "budget": {"8000"}})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	rec, err = e.app.FindRecordById("campaigns", rec.Id)
	require.NoError(t, err)
	assert.InDelta(t, 8000.0, rec.GetFloat("budget"), 0)
	assert.True(t, rec.GetDateTime("starts").IsZero(), "dates cleared")
	// refused: the form again with the error, in the user's language
	r = admin.post("/campaigns/"+rec.Id, url.Values{"name": {"Salon de Lyon"}, "source": {"web"}, "starts": {"2026-05-10"}, "ends": {"2026-05-01"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, `data-field="ends"`)
	has(t, r.Body, "ne peut pas finir avant de commencer")
	r = admin.post("/campaigns", url.Values{"name": {"Y"}, "source": {"web"}, "budget": {"-3"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, `data-field="budget"`)
	assert.Equal(t, http.StatusNotFound, admin.get("/campaigns/nosuchcampaign1").Status)
}
