package hooks_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Item 9: a call recording is a Hidden, protected file; the activity's
// ViewRule passing is not enough to download it. Every user of the world
// (each default role, the second partner's users, an integration that did
// not record the call) tries every activity it can view, with its own file
// token: only internal roles and the integration that wrote the activity
// get the file, exactly those to whom the REST answer shows the field.
func TestCallRecordingsOnlyForInternalRolesAndTheirAuthor(t *testing.T) {
	w := newWorld(t)
	w.addUser("integration2", "integration", "")
	const canary = "CANARY-RECORDING-AUDIO"
	activity := func(s leadShape, assignee string) *core.Record {
		l := w.lead(s)
		if assignee != "" {
			l.Set("assignee", w.uid(assignee))
			require.NoError(t, w.app.Save(l))
		}
		f, err := filesystem.NewFileFromBytes([]byte(canary), "appel.mp3")
		require.NoError(t, err)
		return w.mk("activities", map[string]any{"lead": l.Id, "kind": "call", "summary": "appel", "author": w.uid("integration"), "recording": f})
	}
	activities := []*core.Record{
		activity(leadShape{partner: "P1", assignee: "partner_user", territory: "T1", status: "accepted"}, ""),
		activity(leadShape{assignee: "sales", territory: "T2", status: "contacted"}, ""),
		activity(leadShape{territory: "T2", status: "new"}, ""),
		activity(leadShape{partner: "P2", assignee: "pu2", territory: "T2", status: "accepted"}, ""),
		activity(leadShape{territory: "T2", status: "new"}, "integration2"),
	}
	internal := []string{"admin", "channel_manager", "sales", "sales2", "teleoperator"}

	fileToken := func(key string) string {
		res := w.client.Do(http.MethodPost, "/api/files/token", w.tokens[key], nil)
		require.Equal(t, http.StatusOK, res.Status, res.Body)
		var out struct {
			Token string `json:"token"`
		}
		res.JSON(t, &out)
		require.NotEmpty(t, out.Token)
		return out.Token
	}
	download := func(a *core.Record, token string) (int, string) {
		res := w.client.Do(http.MethodGet, "/api/files/activities/"+a.Id+"/"+a.GetString("recording")+"?token="+token, "", nil)
		return res.Status, res.Body
	}

	keys := []string{"integration2"}
	for _, u := range worldUsers {
		keys = append(keys, u.key)
	}
	viewedByPartners := 0
	for _, key := range keys {
		tok := fileToken(key)
		for i, a := range activities {
			view := w.client.Do(http.MethodGet, url("activities", a.Id), w.tokens[key], nil)
			if view.Status != http.StatusOK {
				status, body := download(a, tok)
				assert.Equal(t, http.StatusNotFound, status, "%s, activity %d it cannot view", key, i)
				assert.NotContains(t, body, canary)
				continue
			}
			allowed := slices.Contains(internal, key) || a.GetString("author") == w.uid(key)
			if strings.HasPrefix(key, "p") {
				viewedByPartners++
			}
			status, body := download(a, tok)
			if allowed {
				assert.Equal(t, http.StatusOK, status, "%s, activity %d", key, i)
				assert.Equal(t, canary, body)
			} else {
				assert.Equal(t, http.StatusNotFound, status, "%s may view activity %d but not download its recording", key, i)
				assert.NotContains(t, body, canary)
			}
			// the same people see the field in the REST answer
			assert.Equal(t, allowed, strings.Contains(view.Body, `"recording"`), "%s, activity %d: %s", key, i, view.Body)
		}
	}
	require.GreaterOrEqual(t, viewedByPartners, 4, "partner users must view activities whose recording they may not download")

	// a superuser downloads it; a guest (no token) does not
	su, err := w.app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	require.NoError(t, err)
	root := core.NewRecord(su)
	root.SetEmail("root@world.test")
	root.SetPassword("root-password-123")
	require.NoError(t, w.app.Save(root))
	suTok, err := root.NewFileToken()
	require.NoError(t, err)
	status, body := download(activities[0], suTok)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, canary, body)
	status, _ = download(activities[0], "")
	assert.Equal(t, http.StatusNotFound, status)
}
