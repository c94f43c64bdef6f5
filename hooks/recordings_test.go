package hooks_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
)

// fakeMP3 is a small MP3 (an ID3 header and a frame sync) whose bytes
// carry a canary.
var fakeMP3 = append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00"), []byte("CANARY-RECORDING-BYTES")...)

// multipartBody builds a multipart body: fields, and files by field name
// (file name → content).
func multipartBody(t *testing.T, fields map[string]string, files map[string][2]string) (string, map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	for field, f := range files {
		fw, err := mw.CreateFormFile(field, f[0])
		require.NoError(t, err)
		_, err = fw.Write([]byte(f[1]))
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return buf.String(), map[string]string{"Content-Type": mw.FormDataContentType()}
}

// ingestWithRecording ingests a lead as multipart with a recording.
func ingestWithRecording(t *testing.T, w *world, ref string, score int, recording []byte) (int, string) {
	b := ingestBody(ref)
	b["score"] = score
	b["contact"] = map[string]any{"first_name": "Anne", "last_name": canaryName, "email": canaryEmail, "phone": canaryPhone}
	raw, err := json.Marshal(b)
	require.NoError(t, err)
	body, h := multipartBody(t, map[string]string{"@jsonPayload": string(raw), "recording_summary": "Appel de qualification"},
		map[string][2]string{"recording": {"appel.mp3", string(recording)}})
	res := w.client.Do(http.MethodPost, "/api/prm/leads/ingest", w.tokens["integration"], body, h)
	return res.Status, res.Body
}

// recordingOf returns the call activity holding the lead's recording.
func recordingOf(t *testing.T, w *world, leadID string) *core.Record {
	t.Helper()
	a, err := w.app.FindFirstRecordByFilter("activities", "lead = {:l} && recording != ''", dbx.Params{"l": leadID})
	require.NoError(t, err)
	return a
}

func fileURL(a *core.Record) string {
	return "/api/files/activities/" + a.Id + "/" + a.GetString("recording")
}

func fileExists(t *testing.T, w *world, a *core.Record, name string) bool {
	t.Helper()
	fsys, err := w.app.NewFilesystem()
	require.NoError(t, err)
	defer fsys.Close()
	ok, err := fsys.Exists(a.BaseFilesPath() + "/" + name)
	require.NoError(t, err)
	return ok
}

// The lead source attaches a call recording at ingest (multipart) and
// later (the upload route); it is stored as a protected file, not dropped.
func TestRecordingsAreStoredAtIngestAndLater(t *testing.T) {
	w, _ := distWorld(t)
	status, body := ingestWithRecording(t, w, "REC-1", 40, fakeMP3)
	require.Equal(t, http.StatusCreated, status, body)
	var lead map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &lead))
	id := lead["id"].(string)
	a := recordingOf(t, w, id)
	assert.True(t, a.GetBool("internal"))
	assert.Equal(t, w.uid("integration"), a.GetString("author"))
	assert.Equal(t, "Appel de qualification", a.GetString("summary"))
	assert.True(t, fileExists(t, w, a, a.GetString("recording")))
	assert.Equal(t, 1, countRows(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'lead.recording' AND record = {:l}", dbx.Params{"l": id}))

	// later: the upload route
	up, h := multipartBody(t, map[string]string{"recording_summary": "Rappel"}, map[string][2]string{"recording": {"rappel.mp3", string(fakeMP3)}})
	res := w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/recording", w.tokens["integration"], up, h)
	require.Equal(t, http.StatusCreated, res.Status, res.Body)
	assert.Contains(t, res.Body, `"recording":"rappel_`, "the integration that sent it sees its file name")
	assert.Equal(t, 2, countRows(t, w, "SELECT COUNT(*) FROM activities WHERE lead = {:l} AND recording != ''", dbx.Params{"l": id}))

	// refused: not audio, no file, a partner, another integration, a lead it did not send
	w.addUser("integration2", "integration", "")
	notAudio, h2 := multipartBody(t, nil, map[string][2]string{"recording": {"x.mp3", "<html><script>alert(1)</script></html>"}})
	none, h3 := multipartBody(t, map[string]string{"recording_summary": "x"}, nil)
	for _, c := range []struct {
		who, body string
		h         map[string]string
		status    int
	}{
		{"integration", notAudio, h2, http.StatusBadRequest},
		{"integration", none, h3, http.StatusBadRequest},
		{"partner_manager", up, h, http.StatusNotFound},
		{"integration2", up, h, http.StatusNotFound},
	} {
		res := w.client.Do(http.MethodPost, "/api/prm/leads/"+id+"/recording", tokenOf(t, w, w.users[c.who]), c.body, c.h)
		assert.Equal(t, c.status, res.Status, "%s: %s", c.who, res.Body)
	}
	// a non-audio recording at ingest refuses the ingest (nothing is dropped silently)
	status, body = ingestWithRecording(t, w, "REC-BAD", 40, []byte("just some text"))
	assert.Equal(t, http.StatusBadRequest, status, body)
	assert.Contains(t, body, "recording")
	assert.Zero(t, countRows(t, w, "SELECT COUNT(*) FROM leads WHERE source_ref = 'REC-BAD'"))
}

// Partners never reach a recording — list, view, expand, file URL with and
// without a file token, realtime, export — even once they accepted the
// lead, and even when the activity is not marked internal (the Hidden
// field and the file guard hold on their own); internal roles play it, the
// teleoperator for the pool leads it works.
func TestRecordingsNeverReachPartners(t *testing.T) {
	w, _ := distWorld(t)
	srv := httptest.NewServer(w.client.Handler())
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	status, body := ingestWithRecording(t, w, "REC-P", 40, fakeMP3)
	require.Equal(t, http.StatusCreated, status, body)
	var lead map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &lead))
	id := lead["id"].(string)
	a := recordingOf(t, w, id)
	name := a.GetString("recording")

	// teleoperator: the lead is in the pool, which it works
	res := w.client.Do(http.MethodGet, fileURL(a)+"?token="+fileToken(t, w, "teleoperator"), "", nil)
	assert.Equal(t, http.StatusOK, res.Status)
	assert.Contains(t, res.Body, "CANARY-RECORDING-BYTES")

	// the lead goes to P1, which accepts it
	rec := leadRec(t, w, id)
	rec.Set("status", "accepted")
	rec.Set("partner", w.P1)
	rec.Set("assignee", w.uid("partner_user"))
	require.NoError(t, w.app.Save(rec))
	// a second copy of the recording on a non-internal activity (as an
	// older write path could leave it)
	open := w.mk("activities", map[string]any{"lead": id, "kind": "call", "summary": "Appel partagé", "author": w.uid("admin")})
	open.Set("recording", a.GetString("recording"))
	_, err := w.app.DB().NewQuery("UPDATE activities SET recording = {:r} WHERE id = {:id}").Bind(dbx.Params{"r": name, "id": open.Id}).Execute()
	require.NoError(t, err)
	copyFile(t, w, a, open, name)

	partners := []string{"partner_user", "partner_manager", "partner_user_b", "pu2", "pm2"}
	subs := map[string]*sseClient{}
	for _, who := range partners {
		subs[who] = subscribe(t, srv.URL, w.tokens[who], "activities/*", "activities/"+a.Id, "activities/"+open.Id, "leads/*")
	}
	for _, who := range partners {
		for _, p := range []string{
			url("activities") + "?perPage=200",
			url("activities", a.Id),
			url("activities", open.Id),
			url("activities") + "?filter=" + urlQuery("recording != ''"),
			url("leads", id) + "?expand=activities_via_lead",
			url("leads") + "?expand=activities_via_lead&perPage=200",
			fileURL(a),
			fileURL(a) + "?token=" + fileToken(t, w, who),
			fileURL(open) + "?token=" + fileToken(t, w, who),
			"/api/prm/export/activities",
		} {
			res := w.client.Do(http.MethodGet, p, w.tokens[who], nil)
			assert.NotContains(t, res.Body, name, "%s %s", who, p)
			assert.NotContains(t, res.Body, "CANARY-RECORDING-BYTES", "%s %s", who, p)
			if strings.HasPrefix(p, "/api/files/") {
				assert.Equal(t, http.StatusNotFound, res.Status, "%s %s", who, p)
			}
		}
	}
	// control: the non-internal activity itself is visible to the assignee, without the field
	res = w.client.Do(http.MethodGet, url("activities", open.Id), w.tokens["partner_user"], nil)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.NotContains(t, res.Body, "recording")
	// realtime: changes of both activities reach no partner
	for _, act := range []*core.Record{a, open} {
		act.Set("summary", "Appel mis à jour "+act.Id)
		require.NoError(t, w.app.Save(act))
	}
	for _, who := range partners {
		got := subs[who].drain(700 * time.Millisecond)
		assert.NotContains(t, got, name, "realtime %s", who)
		assert.NotContains(t, got, a.Id, "realtime %s", who)
	}

	// internal roles: the field in the JSON and the file with a token
	for _, who := range []string{"admin", "channel_manager"} {
		res := w.client.Do(http.MethodGet, url("activities", a.Id), w.tokens[who], nil)
		assert.Contains(t, res.Body, name, who)
		res = w.client.Do(http.MethodGet, fileURL(a)+"?token="+fileToken(t, w, who), "", nil)
		assert.Equal(t, http.StatusOK, res.Status, who)
		assert.Contains(t, res.Body, "CANARY-RECORDING-BYTES", who)
		// without a file token: nobody
		assert.Equal(t, http.StatusNotFound, w.client.Do(http.MethodGet, fileURL(a), w.tokens[who], nil).Status, who)
	}
	// the teleoperator no longer reaches a lead that left the pool
	assert.Equal(t, http.StatusNotFound, w.client.Do(http.MethodGet, fileURL(a)+"?token="+fileToken(t, w, "teleoperator"), "", nil).Status)
}

// copyFile copies an activity's stored file to another activity.
func copyFile(t *testing.T, w *world, from, to *core.Record, name string) {
	t.Helper()
	fsys, err := w.app.NewFilesystem()
	require.NoError(t, err)
	defer fsys.Close()
	r, err := fsys.GetReader(from.BaseFilesPath() + "/" + name)
	require.NoError(t, err)
	defer r.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(r)
	require.NoError(t, err)
	require.NoError(t, fsys.Upload(buf.Bytes(), to.BaseFilesPath()+"/"+name))
}

// A GDPR erasure of the lead's contact deletes its call recordings, files
// included.
func TestGDPREraseRemovesRecordings(t *testing.T) {
	w, _ := distWorld(t)
	status, body := ingestWithRecording(t, w, "REC-GDPR", 40, fakeMP3)
	require.Equal(t, http.StatusCreated, status, body)
	var lead map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &lead))
	a := recordingOf(t, w, lead["id"].(string))
	name := a.GetString("recording")
	require.True(t, fileExists(t, w, a, name))
	rep, err := governance.GDPRErase(w.app, audit.SystemActor("test"), canaryEmail, time.Now())
	require.NoError(t, err)
	assert.Equal(t, []string{a.Id}, rep.Recordings)
	fresh, err := w.app.FindRecordById("activities", a.Id)
	require.NoError(t, err)
	assert.Empty(t, fresh.GetString("recording"))
	assert.False(t, fileExists(t, w, a, name), "the file is deleted")
}
