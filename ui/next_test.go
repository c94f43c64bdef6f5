package ui

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/demo"
)

// hostileNext are redirect targets that lead, or could lead after one more
// decoding, somewhere else than a page of this site. Browsers strip tabs
// and newlines anywhere in a URL and leading/trailing controls and spaces,
// and read a backslash as a slash: each of these would become //host or
// another scheme.
var hostileNext = []string{
	// the reported redirect and its relatives: control characters
	"/\t/evil.example/phish", "/\n/evil.example", "/\r\n/evil.example", "/\x00/evil.example", "/\x0b/evil.example",
	"/\x0c/evil.example", "/\x1f/evil.example", "/\x7f/evil.example", "\t//evil.example", "//evil.example\t",
	" /\t/evil.example", "/ /evil.example", "\x00/leads",
	// scheme-relative and backslashes
	"//evil.example", "///evil.example", "//evil.example/leads", "/\\evil.example", "\\\\evil.example",
	"\\/evil.example", "/\\/evil.example", "/leads\\..\\..\\evil", "/\\\tevil.example",
	// schemes and hosts
	"https://evil.example", "http:evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
	"data:text/html,<script>alert(1)</script>", "evil.example", "evil.example/leads", "@evil.example",
	"/@evil.example\\@x", "https:/evil.example", "//user@evil.example",
	// encoded variants (one, two and three decodings)
	"%2F%2Fevil.example", "/%2Fevil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "/%09/evil.example",
	"/%0A/evil.example", "/%0d%0a/evil.example", "/%00", "/%252Fevil.example", "/%25252Fevil.example",
	"/%2525252Fevil.example", "/%5C%5Cevil.example", "/%2e%2e/api/collections/users/records",
	"/leads/%2E%2E/%2E%2E/evil", "/%", "/%zz",
	// dot segments
	"/./", "/.//evil.example", "/../evil.example", "/leads/../../evil.example", "/leads/.",
	// non-ASCII look-alikes of / and \ (raw)
	"/\u2215evil.example", "/\uff0f/evil.example", "/\u2044evil.example", "/\ufe68evil.example", "/é",
	// excluded pages
	"", "/login", "/login?next=//evil.example", "/logout", "/api/collections/users/records", "/api", "/_/", "/_",
	"/%61pi/x",
	// absurdly long
	"/" + strings.Repeat("a", maxNextLen),
}

func TestSafeNextRefusesEveryHostileTarget(t *testing.T) {
	for _, in := range hostileNext {
		assert.Equal(t, "/", safeNext(in), "%q", in)
	}
}

func TestSafeNextKeepsThePagesOfThisSite(t *testing.T) {
	for _, in := range []string{
		"/", "/leads", "/leads?status=won", "/leads/abc123", "/inbox", "/reports?department=2A&period=3m",
		"/leads?q=Ch%C3%A2teaulin", "/leads?q=a%20b", "/audit?action=auth.login", "/leads?back=%2Fleads",
		"/reports/partners.csv?sort=-rate", "/leads#top", "/leads/a..b", "/.well-known-ish",
		"/" + strings.Repeat("a", maxNextLen-1),
	} {
		assert.Equal(t, in, safeNext(in), "%q", in)
	}
}

var nextFieldRe = regexp.MustCompile(`name="next" value="([^"]*)"`)

// Through the real router: the login form never carries a hostile target,
// a login never redirects to one, and neither does the language switch.
func TestHostileNextNeverReachesALocationHeader(t *testing.T) {
	e := newEnv(t)
	guest := e.browser()
	for _, in := range hostileNext {
		r := guest.get("/login?next=" + url.QueryEscape(in))
		require.Equal(t, http.StatusOK, r.Status, "%q", in)
		m := nextFieldRe.FindStringSubmatch(r.Body)
		require.NotNil(t, m, "the login form has a next field")
		assert.Equal(t, "/", html.UnescapeString(m[1]), "%q", in)

		// the language switch goes back to the login page by name only
		want := "/"
		if in == "/login" {
			want = "/login"
		}
		r = guest.post("/lang", url.Values{"lang": {"fr"}, "back": {in}})
		require.Equal(t, http.StatusSeeOther, r.Status, "%q", in)
		assert.Equal(t, want, r.Header.Get("Location"), "%q", in)
	}
	// a login with the report's target and a few others (each login costs
	// a bcrypt comparison)
	for _, in := range []string{"/\t/evil.example/phish", "//evil.example", "/\\evil.example", "/%2F%2Fevil.example", "https://evil.example"} {
		b := e.browser()
		b.get("/login")
		r := b.post("/login", url.Values{"email": {"installer001.sales@demo.test"}, "password": {demo.Password}, "next": {in}})
		require.Equal(t, http.StatusSeeOther, r.Status, "%q", in)
		assert.Equal(t, "/", r.Header.Get("Location"), "%q", in)
	}
	// the exact request of the report
	r := guest.get("/login?next=%2F%09%2Fevil.example%2Fphish")
	m := nextFieldRe.FindStringSubmatch(r.Body)
	require.NotNil(t, m)
	assert.Equal(t, "/", m[1])
	// a page of this site survives the round trip
	b := e.browser()
	r = b.get("/login?next=" + url.QueryEscape("/leads?status=won"))
	m = nextFieldRe.FindStringSubmatch(r.Body)
	require.NotNil(t, m)
	next := html.UnescapeString(m[1])
	assert.Equal(t, "/leads?status=won", next)
	r = b.post("/login", url.Values{"email": {"installer001.sales@demo.test"}, "password": {demo.Password}, "next": {next}})
	assert.Equal(t, "/leads?status=won", r.Header.Get("Location"))
}
