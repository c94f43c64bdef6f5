package ui

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// upload posts a file as multipart/form-data with the page's CSRF token.
func (b *browser) upload(path, field, name string, content []byte) resp {
	b.e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	require.NoError(b.e.t, w.WriteField("_csrf", b.csrf))
	fw, err := w.CreateFormFile(field, name)
	require.NoError(b.e.t, err)
	_, err = fw.Write(content)
	require.NoError(b.e.t, err)
	require.NoError(b.e.t, w.Close())
	return b.do(http.MethodPost, path, nil, func(r *http.Request) {
		r.Body = io.NopCloser(bytes.NewReader(body.Bytes()))
		r.ContentLength = int64(body.Len())
		r.Header.Set("Content-Type", w.FormDataContentType())
	})
}

// importCSV is a lead file of good rows and three bad ones (lines 3, 5
// and 7: no company, a postal code of no département, an e-mail that is
// not one).
func importCSV(good int, tag string) []byte {
	var b strings.Builder
	b.WriteString("Société;Code postal;Ville;Prénom;Nom;E-mail;Score\n")
	line := 1
	bad := map[int]string{
		3: ";35000;Rennes;Anne;Sans Société;anne@example.fr;50\n",
		5: "Mauvais CP " + tag + ";00999;Nulle-part;Paul;Faux;paul@example.fr;50\n",
		7: "Mauvais Mail " + tag + ";29200;Brest;Lou;Faux;pas-un-mail;50\n",
	}
	for n := 0; n < good; {
		line++
		if row, ok := bad[line]; ok {
			b.WriteString(row)
			continue
		}
		fmt.Fprintf(&b, "Import %s %03d;35%03d;Rennes;Yves;Client%d;client%d.%s@example.fr;40\n", tag, n, n%100, n, n, tag)
		n++
	}
	return []byte(b.String())
}

var jobRe = regexp.MustCompile(`action="/leads/import/([a-z0-9]+)/confirm"`)

// TestCSVImportDryRunThenConfirm: the admin uploads a file with 3 bad
// rows: the dry run lists the 3 refused lines with their reasons and
// writes nothing; after the confirmation the import runs in the
// background, its page shows the progress then the report, the good rows
// exist and the bad ones do not. The job is its uploader's only.
func TestCSVImportDryRunThenConfirm(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	require.Equal(t, http.StatusOK, b.get("/leads/import").Status)
	r := b.upload("/leads/import", "file", "leads.csv", importCSV(6, "tst"))
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	has(t, r.Body, `data-count="rows">9<`)
	has(t, r.Body, `data-count="ok">6<`)
	has(t, r.Body, `data-count="rejected">3<`)
	lines := regexp.MustCompile(`<tr data-line="(\d+)">`).FindAllStringSubmatch(r.Body, -1)
	require.Len(t, lines, 3)
	for i, line := range []string{"3", "5", "7"} {
		assert.Equal(t, line, lines[i][1], "the refused lines, in the order of the file")
	}
	assert.Zero(t, countWhere(t, e, dbx.Like("company", "Import tst")), "a dry run writes nothing")
	m := jobRe.FindStringSubmatch(r.Body)
	require.NotNil(t, m)
	job := m[1]

	// another user does not see the job, nor can confirm it
	cm := e.signedIn("manager@demo.test")
	assert.Equal(t, http.StatusNotFound, cm.get("/leads/import/"+job).Status)
	cm.get("/leads/import")
	assert.Equal(t, http.StatusNotFound, cm.post("/leads/import/"+job+"/confirm", nil).Status)

	r = b.post("/leads/import/"+job+"/confirm", nil)
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	require.Equal(t, "/leads/import/"+job, r.Header.Get("Location"))
	var page resp
	for i := 0; i < 100; i++ {
		page = b.get("/leads/import/"+job+"?part=job", hx)
		require.Equal(t, http.StatusOK, page.Status)
		if !strings.Contains(page.Body, `data-state="running"`) {
			break
		}
		has(t, page.Body, `hx-trigger="every 1s"`, "a running import polls its progress")
		time.Sleep(100 * time.Millisecond)
	}
	has(t, page.Body, `data-state="done"`)
	has(t, page.Body, `data-count="created">6<`)
	has(t, page.Body, `data-count="rejected">3<`)
	lacks(t, page.Body, "hx-trigger", "a finished import stops polling")
	assert.EqualValues(t, 6, countWhere(t, e, dbx.And(dbx.Like("company", "Import tst"), dbx.HashExp{"source": "import", "created_by": e.user("admin@demo.test").Id})))
	assert.Zero(t, countWhere(t, e, dbx.Like("company", "Mauvais")))
	assert.Zero(t, countWhere(t, e, dbx.HashExp{"city": "Nulle-part"}))
	// confirming twice imports nothing more
	r = b.post("/leads/import/"+job+"/confirm", nil)
	require.Equal(t, http.StatusSeeOther, r.Status)
	assert.EqualValues(t, 6, countWhere(t, e, dbx.Like("company", "Import tst")))
}

// TestCSVImportRoles: channel managers import too; the prospecting team,
// sales and partners have no import page; a file that is not a lead file
// is refused before anything is kept.
func TestCSVImportRoles(t *testing.T) {
	e := newEnv(t)
	cm := e.signedIn("manager.ouest@demo.test")
	require.Equal(t, http.StatusOK, cm.get("/leads/import").Status)
	r := cm.upload("/leads/import", "file", "x.csv", []byte("Nom;Ville\nA;B\n"))
	require.Equal(t, htmlStatusInvalid, r.Status)
	has(t, r.Body, "no company column")
	lacks(t, r.Body, "/confirm")
	for _, email := range []string{"teleop@demo.test", "sales@demo.test", "installer001@demo.test", "api@demo.test"} {
		b := e.signedIn(email)
		assert.Equal(t, http.StatusNotFound, b.get("/leads/import").Status, email)
		b.get("/profile")
		assert.Equal(t, http.StatusNotFound, b.upload("/leads/import", "file", "x.csv", importCSV(2, "intrus")).Status, email)
	}
	assert.Zero(t, countWhere(t, e, dbx.Like("company", "Import intrus")))
	// a form without a file
	cm.get("/leads/import")
	assert.Equal(t, htmlStatusInvalid, cm.post("/leads/import", url.Values{}).Status)
}

// TestCSVImportShowsProgressAndLetsWritesIn: a large import shows its
// progress while it runs (rows done of the total, polled), and does not
// hold the database's writer for the whole file: a lead created from a
// call while it runs is written before the import's last lead.
func TestCSVImportShowsProgressAndLetsWritesIn(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("admin@demo.test")
	b.get("/leads/import")
	var csv strings.Builder
	csv.WriteString("Société;Code postal;Ville;E-mail\n")
	const rows = 1000
	for i := range rows {
		fmt.Fprintf(&csv, "Gros Import %04d;35%03d;Rennes;gros%d@example.fr\n", i, i%100, i)
	}
	r := b.upload("/leads/import", "file", "gros.csv", []byte(csv.String()))
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	job := jobRe.FindStringSubmatch(r.Body)[1]
	require.Equal(t, http.StatusSeeOther, b.post("/leads/import/"+job+"/confirm", nil).Status)

	progressRe := regexp.MustCompile(`id="import-progress">(\d+) lignes sur (\d+)<`)
	sawProgress, wrote := false, false
	var page resp
	for i := 0; i < 3000; i++ {
		page = b.get("/leads/import/"+job+"?part=job", hx)
		if !strings.Contains(page.Body, `data-state="running"`) {
			break
		}
		if m := progressRe.FindStringSubmatch(page.Body); m != nil && m[1] != "0" && m[1] != m[2] {
			sawProgress = true
			assert.Equal(t, "1000", m[2])
			if !wrote {
				call := e.signedIn("teleop@demo.test")
				call.get("/leads/new")
				require.Equal(t, http.StatusCreated, call.post("/leads/new", callForm("Appel Pendant Import", "35000", "")).Status)
				wrote = true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	has(t, page.Body, `data-state="done"`)
	require.True(t, sawProgress, "the progress of the running import is shown")
	require.True(t, wrote)
	call := e.leadWhere(dbx.HashExp{"company": "Appel Pendant Import"}, "")
	last := e.leadWhere(dbx.Like("company", "Gros Import"), "created DESC")
	assert.EqualValues(t, rows, countWhere(t, e, dbx.Like("company", "Gros Import")))
	assert.True(t, call.GetDateTime("created").Time().Before(last.GetDateTime("created").Time()) ||
		call.GetDateTime("created").Equal(last.GetDateTime("created")),
		"a write during the import gets in before its end (call %s, import's last %s)", call.GetDateTime("created"), last.GetDateTime("created"))
}
