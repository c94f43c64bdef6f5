package ui

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/demo"
	"github.com/relais/relais/internal/testapp"
)

// The UI tests run against a small demo (300 leads, 20 installers) seeded
// once per test binary into a template data dir; each test clones it.
var seeded struct {
	once sync.Once
	dir  string
	err  error
}

func seededDir(t testing.TB) string {
	t.Helper()
	seeded.once.Do(func() {
		app, err := tests.NewTestApp(testapp.Template(t))
		if err != nil {
			seeded.err = err
			return
		}
		testapp.Setup(t, app)
		if _, err := demo.Seed(app, demo.Options{Now: time.Now().UTC().Truncate(time.Minute), Leads: 300, Installers: 20}); err != nil {
			seeded.err = err
			return
		}
		seeded.dir = app.DataDir()
		seeded.err = app.ClearBootstrap()
	})
	require.NoError(t, seeded.err)
	return seeded.dir
}

// env is a test app with the UI registered and its real router.
type env struct {
	t   testing.TB
	app *tests.TestApp
	mux http.Handler
}

func newEnv(t testing.TB, opts ...testapp.Options) *env {
	t.Helper()
	app := testapp.New(t, seededDir(t), opts...)
	Register(app)
	r, err := apis.NewRouter(app)
	require.NoError(t, err)
	var mux http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(se *core.ServeEvent) error {
		m, err := se.Router.BuildMux()
		mux = m
		return err
	})
	// the serve event starts PocketBase's cron (offer expiry, distribution
	// of pending ready leads every minute): stop it so that the data
	// does not change under the test at a minute boundary
	app.Cron().Stop()
	require.NoError(t, err)
	return &env{t: t, app: app, mux: mux}
}

// user returns a demo user by e-mail.
func (e *env) user(email string) *core.Record {
	e.t.Helper()
	u, err := e.app.FindAuthRecordByEmail("users", email)
	require.NoError(e.t, err)
	return u
}

// leadWhere returns the first lead matching a condition.
func (e *env) leadWhere(where dbx.Expression, sort string) *core.Record {
	e.t.Helper()
	var out []*core.Record
	q := e.app.RecordQuery("leads").AndWhere(where)
	if sort != "" {
		q.OrderBy(sort)
	}
	require.NoError(e.t, q.Limit(1).All(&out))
	require.NotEmpty(e.t, out, "no lead matches")
	return out[0]
}

// browser drives the UI like a browser: a cookie jar, the CSRF token of
// the last page, same-origin fetch metadata.
type browser struct {
	e    *env
	jar  map[string]*http.Cookie
	csrf string
}

func (e *env) browser() *browser { return &browser{e: e, jar: map[string]*http.Cookie{}} }

// resp is a recorded response.
type resp struct {
	Status int
	Body   string
	Header http.Header
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

type reqOpt func(*http.Request)

// hx marks an htmx request.
func hx(r *http.Request) { r.Header.Set("HX-Request", "true") }

// crossSite makes the request look like it came from another site.
func crossSite(r *http.Request) {
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	r.Header.Set("Origin", "https://evil.example")
}

func header(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

func (b *browser) do(method, path string, form url.Values, opts ...reqOpt) resp {
	b.e.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
	for _, c := range b.jar {
		req.AddCookie(c)
	}
	for _, o := range opts {
		o(req)
	}
	rec := httptest.NewRecorder()
	b.e.mux.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.jar, c.Name)
		} else {
			b.jar[c.Name] = c
		}
	}
	r := resp{Status: rec.Code, Body: rec.Body.String(), Header: rec.Header()}
	if m := csrfRe.FindStringSubmatch(r.Body); m != nil {
		b.csrf = m[1]
	}
	return r
}

func (b *browser) get(path string, opts ...reqOpt) resp {
	return b.do(http.MethodGet, path, nil, opts...)
}

// post sends a form with the page's CSRF token (unless form has _csrf).
func (b *browser) post(path string, form url.Values, opts ...reqOpt) resp {
	b.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", b.csrf)
	}
	return b.do(http.MethodPost, path, form, opts...)
}

// login signs in through the login form and fails the test otherwise.
func (b *browser) login(email string) *browser {
	b.e.t.Helper()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {email}, "password": {demo.Password}})
	require.Equal(b.e.t, http.StatusSeeOther, r.Status, "login of %s", email)
	for i := 0; i < 5 && r.Status == http.StatusSeeOther; i++ {
		r = b.get(r.Header.Get("Location"))
	}
	require.Equal(b.e.t, http.StatusOK, r.Status, "landing page of %s", email)
	return b
}

// signedIn returns a browser already logged in as email.
func (e *env) signedIn(email string) *browser { return e.browser().login(email) }

func testappRateLimits() testapp.Options { return testapp.Options{RateLimits: true} }

// readSource reads a Go file of the package (the test runs in ui/).
func readSource(name string) (string, error) {
	b, err := os.ReadFile(name)
	return string(b), err
}

// has and lacks check a response body without dumping it whole on failure.
func has(t testing.TB, body, sub string, msg ...any) bool {
	t.Helper()
	if strings.Contains(body, sub) {
		return true
	}
	t.Errorf("body lacks %q %v", sub, msg)
	return false
}

func lacks(t testing.TB, body, sub string, msg ...any) bool {
	t.Helper()
	if sub == "" || !strings.Contains(body, sub) {
		return true
	}
	i := strings.Index(body, sub)
	t.Errorf("body contains %q %v: …%s…", sub, msg, body[max(0, i-80):min(len(body), i+len(sub)+40)])
	return false
}

// esc is how html/template writes a text value.
func esc(s string) string { return template.HTMLEscapeString(s) }
