package ui

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/certificates"
)

// multipartBody replaces a request's body with a multipart form of fields
// and one file.
func multipartBody(t *testing.T, fields map[string]string, fileName string, content []byte) reqOpt {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	if fileName != "" {
		fw, err := mw.CreateFormFile("file", fileName)
		require.NoError(t, err)
		_, err = fw.Write(content)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	data := buf.Bytes()
	return func(r *http.Request) {
		r.Body = io.NopCloser(bytes.NewReader(data))
		r.ContentLength = int64(len(data))
		r.Header.Set("Content-Type", mw.FormDataContentType())
	}
}

// partnerOf is the partner of a demo user.
func (e *env) partnerOf(email string) string { return e.user(email).GetString("partner") }

// mkCert stores a certificate with a PDF.
func mkCert(t *testing.T, e *env, partner, number string, until time.Time) *core.Record {
	return mkCertOf(t, e, partner, "rge_qualipv", number, until)
}

// mkCertOf stores a certificate of a kind with a PDF.
func mkCertOf(t *testing.T, e *env, partner, kind, number string, until time.Time) *core.Record {
	coll, err := e.app.FindCollectionByNameOrId("partner_certificates")
	require.NoError(t, err)
	r := core.NewRecord(coll)
	r.Set("partner", partner)
	r.Set("kind", kind)
	r.Set("number", number)
	r.Set("valid_until", until)
	f, err := filesystem.NewFileFromBytes([]byte("%PDF-1.4 "+number), "cert.pdf")
	require.NoError(t, err)
	r.Set("file", f)
	require.NoError(t, e.app.Save(r))
	return r
}

// A partner manager manages its own company's certificates on its page;
// another partner never sees them (page, partner page, PDF); partner
// users have no such page; internal roles see them on the partner page.
func TestCertificatesPages(t *testing.T) {
	e := newEnv(t)
	p1, p2 := e.partnerOf("installer001@demo.test"), e.partnerOf("installer002@demo.test")
	mine := mkCert(t, e, p1, "QPV-OWN-111", time.Now().AddDate(0, 0, -5))
	theirs := mkCert(t, e, p2, "QPV-FOREIGN-222", time.Now().AddDate(1, 0, 0))

	pm := e.signedIn("installer001@demo.test")
	r := pm.get("/certificates")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "QPV-OWN-111")
	has(t, r.Body, "cert-lapsed", "the lapsed status shows")
	lacks(t, r.Body, "QPV-FOREIGN-222")
	has(t, r.Body, `id="cert-form"`, "the manager may upload")
	has(t, r.Body, `href="/certificates"`, "in the menu")
	dl := pm.get("/certificates/" + mine.Id + "/file")
	assert.Equal(t, http.StatusOK, dl.Status)
	has(t, dl.Body, "%PDF-1.4 QPV-OWN-111")
	assert.Equal(t, http.StatusNotFound, pm.get("/certificates/"+theirs.Id+"/file").Status, "another partner's PDF")
	assert.Equal(t, http.StatusNotFound, pm.get("/partners/"+p2).Status)

	// upload a PDF; a text file is refused; uploading for another partner is refused
	up := func(partner, name string, content []byte) resp {
		return pm.do(http.MethodPost, "/partners/"+partner+"/certificates", nil, hx, multipartBody(t, map[string]string{
			"_csrf": pm.csrf, "kind": "qualifelec", "number": "QE-NEW-333", "valid_until": time.Now().AddDate(2, 0, 0).Format("2006-01-02")}, name, content))
	}
	r = up(p1, "qualifelec.pdf", []byte("%PDF-1.4 new"))
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, "QE-NEW-333")
	n, err := e.app.CountRecords("partner_certificates", dbx.HashExp{"partner": p1, "number": "QE-NEW-333"})
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
	r = up(p1, "notes.txt", []byte("hello"))
	assert.Equal(t, http.StatusBadRequest, r.Status, r.Body)
	r = up(p2, "qualifelec.pdf", []byte("%PDF-1.4 forged"))
	assert.NotEqual(t, http.StatusOK, r.Status, r.Body)
	n, err = e.app.CountRecords("partner_certificates", dbx.HashExp{"partner": p2, "number": "QE-NEW-333"})
	require.NoError(t, err)
	assert.Zero(t, n, "nothing created for another partner")

	// delete: own only
	r = pm.post("/partners/"+p2+"/certificates/"+theirs.Id+"/delete", nil, hx)
	assert.Equal(t, http.StatusNotFound, r.Status)
	r = pm.post("/partners/"+p1+"/certificates/"+mine.Id+"/delete", nil, hx)
	assert.Equal(t, http.StatusOK, r.Status, r.Body)
	lacks(t, r.Body, "QPV-OWN-111")

	// partner users: no page, no upload
	pu := e.signedIn("installer001.sales@demo.test")
	assert.Equal(t, http.StatusNotFound, pu.get("/certificates").Status)
	r = pu.do(http.MethodPost, "/partners/"+p1+"/certificates", nil, hx, multipartBody(t, map[string]string{
		"_csrf": pu.csrf, "kind": "qualifelec", "valid_until": "2030-01-01"}, "x.pdf", []byte("%PDF")))
	assert.Equal(t, http.StatusNotFound, r.Status)

	// roles that do not read partners: no page, no PDF, no upload
	for _, who := range []string{"teleop@demo.test", "api@demo.test"} {
		b := e.signedIn(who)
		for _, path := range []string{"/certificates", "/partners/" + p2, "/certificates/" + theirs.Id + "/file"} {
			r := b.get(path)
			assert.Equal(t, http.StatusNotFound, r.Status, "%s %s", who, path)
			lacks(t, r.Body, "QPV-FOREIGN-222", who)
		}
	}

	// internal roles see the certificates on the partner page (sales
	// reads partners: it sees them, without the upload form)
	sales := e.signedIn("sales@demo.test").get("/partners/" + p2)
	require.Equal(t, http.StatusOK, sales.Status)
	has(t, sales.Body, "QPV-FOREIGN-222")
	lacks(t, sales.Body, `id="cert-form"`)
	for _, who := range []string{"admin@demo.test", "manager@demo.test"} {
		b := e.signedIn(who)
		r := b.get("/partners/" + p2)
		require.Equal(t, http.StatusOK, r.Status, who)
		has(t, r.Body, "QPV-FOREIGN-222", who)
		has(t, r.Body, `id="cert-status"`, who)
		assert.Equal(t, http.StatusNotFound, b.get("/certificates").Status, "%s: the own-company page is for partners", who)
	}
}

// The dashboard and the access review list the partners whose
// certificate lapsed; the scorecard shows each partner's status; partner
// roles see none of it.
func TestLapsedCertificatesOnManagementPages(t *testing.T) {
	e := newEnv(t)
	west := e.partnerOf("installer002@demo.test")
	p1 := e.partnerOf("installer001@demo.test")
	mkCertOf(t, e, west, "rge_qualipac", "QPAC-LAPSED-1", time.Now().AddDate(0, 0, -2)) // the demo has no QualiPAC
	mkCert(t, e, p1, "QPV-OK-1", time.Now().AddDate(1, 0, 0))
	pw, err := e.app.FindRecordById("partners", west)
	require.NoError(t, err)
	name := pw.GetString("name")
	st, err := certificates.Statuses(e.app, time.Now())
	require.NoError(t, err)
	require.Equal(t, certificates.StatusLapsed, st[west].Status)
	require.Equal(t, certificates.StatusValid, st[p1].Status)

	admin := e.signedIn("admin@demo.test")
	r := admin.get("/dashboard")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `id="lapsed-certificates"`)
	has(t, r.Body, `data-partner-id="`+west+`"`)
	r = admin.get("/access-review")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `href="/partners/`+west+`#certificates"`)
	has(t, r.Body, "flag-certificate_lapsed")
	r = admin.get("/reports?period=year")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `data-cert="lapsed"`)
	has(t, r.Body, esc(name))

	// partner roles: no access review, no lapsed list of other partners
	pm := e.signedIn("installer001@demo.test")
	assert.Equal(t, http.StatusNotFound, pm.get("/access-review").Status)
	r = pm.get("/dashboard")
	lacks(t, r.Body, `id="lapsed-certificates"`)
	lacks(t, r.Body, west)
}
