package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A decline is counted by its reason code whatever the language it was
// given in: a salesperson reading English declines from the form, a
// manager reading French through the API with the French label; the
// scorecard counts one "segment" reason, shown in the reader's language
// on /reports and on the lead page.
func TestDeclineReasonsAreCountedByCode(t *testing.T) {
	e := newEnv(t)
	pm := e.user("installer001@demo.test")
	pid := pm.GetString("partner")
	sales := e.user("installer001.sales@demo.test")
	sales.Set("locale", "en")
	require.NoError(t, e.app.Save(sales))
	segmentDeclines := func() int {
		r := e.apiGet("/api/prm/reports/partners?partner="+pid, "admin@demo.test")
		require.Equal(t, http.StatusOK, r.Status, r.Body)
		var out struct {
			Data []struct {
				Reasons map[string]int `json:"decline_reasons"`
			} `json:"data"`
		}
		require.NoError(t, json.Unmarshal([]byte(r.Body), &out))
		require.Len(t, out.Data, 1)
		for k := range out.Data[0].Reasons {
			assert.NotContains(t, k, " ", "reasons are counted by code: %q", k)
		}
		return out.Data[0].Reasons["segment"]
	}
	before := segmentDeclines()

	var leads []string
	for i := 0; i < 2; i++ {
		l := e.leadWhere(dbx.NewExp("status = 'ready'"), "created")
		res := e.apiPost("/api/prm/leads/"+l.Id+"/assign", "admin@demo.test", map[string]any{"partner": pid})
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		leads = append(leads, l.Id)
	}
	// the English form offers the codes with English labels
	b := e.signedIn(sales.Email())
	inbox := b.get("/inbox")
	has(t, inbox.Body, `<option value="segment">Segment we do not serve</option>`)
	assignee, err := e.app.FindRecordById("leads", leads[0])
	require.NoError(t, err)
	decliner := e.signedIn(e.user(emailOf(t, e, assignee.GetString("assignee"))).Email())
	decliner.get("/inbox")
	r := decliner.post("/leads/"+leads[0]+"/decline", url.Values{"reason": {"segment"}, "details": {"only roofs"}}, hx)
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	// the French label through the API (as clients sent before codes)
	res := e.apiPost("/api/prm/leads/"+leads[1]+"/decline", pm.Email(), map[string]any{"reason": "Segment non traité"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, 2, segmentDeclines()-before, "both declines count as one reason")

	frAdmin := e.signedIn("admin@demo.test")
	has(t, frAdmin.get("/reports?partner="+pid).Body, "Segment non traité ×")
	lead := frAdmin.get("/leads/" + leads[0])
	has(t, lead.Body, "Segment non traité: only roofs", "the lead page shows the reason in French")
	admin := e.user("admin@demo.test")
	admin.Set("locale", "en")
	require.NoError(t, e.app.Save(admin))
	enAdmin := e.signedIn("admin@demo.test")
	rep := enAdmin.get("/reports?partner=" + pid)
	has(t, rep.Body, "Segment we do not serve ×")
	lacks(t, rep.Body, "Segment non traité")
	has(t, enAdmin.get("/leads/"+leads[1]).Body, "Segment we do not serve</td>", "and in English")
}

// The API takes a reason code and an optional note; an unknown reason is
// "other" with the text as note; "other" needs a note.
func TestDeclineAPIAcceptsCodes(t *testing.T) {
	e := newEnv(t)
	pm := e.user("installer002@demo.test")
	pid := pm.GetString("partner")
	var ids []string
	for i := 0; i < 3; i++ {
		l := e.leadWhere(dbx.NewExp("status = 'ready'"), "created")
		require.Equal(t, http.StatusOK, e.apiPost("/api/prm/leads/"+l.Id+"/assign", "admin@demo.test", map[string]any{"partner": pid}).Status)
		ids = append(ids, l.Id)
	}
	r := e.apiPost("/api/prm/leads/"+ids[0]+"/decline", pm.Email(), map[string]any{"reason": "other"})
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.Body, "note")
	for i, c := range []struct {
		body       map[string]any
		code, note string
	}{
		{map[string]any{"reason": "zone", "note": "trop loin de Brest"}, "zone", "trop loin de Brest"},
		{map[string]any{"reason": "Plus de stock"}, "other", "Plus de stock"},
	} {
		r := e.apiPost("/api/prm/leads/"+ids[i]+"/decline", pm.Email(), c.body)
		require.Equal(t, http.StatusOK, r.Status, r.Body)
		o, err := e.app.FindFirstRecordByFilter("lead_offers", "lead = {:l} && outcome = 'declined'", dbx.Params{"l": ids[i]})
		require.NoError(t, err)
		assert.Equal(t, c.code, o.GetString("reason_code"))
		assert.Equal(t, c.note, o.GetString("reason_note"))
	}
}

func emailOf(t *testing.T, e *env, userID string) string {
	t.Helper()
	u, err := e.app.FindRecordById("users", userID)
	require.NoError(t, err)
	return u.Email()
}
