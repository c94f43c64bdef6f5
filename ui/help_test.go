package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"

	"github.com/relais/relais/demo"
)

// landing logs in through the form and returns the first page the user
// sees (the redirects followed).
func landing(t *testing.T, b *browser, email string) resp {
	t.Helper()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {email}, "password": {demo.Password}})
	require.Equal(t, http.StatusSeeOther, r.Status, "login of %s", email)
	for i := 0; i < 5 && r.Status == http.StatusSeeOther; i++ {
		r = b.get(r.Header.Get("Location"))
	}
	require.Equal(t, http.StatusOK, r.Status, "landing page of %s", email)
	return r
}

func TestFirstLoginShowsTheGuideOnce(t *testing.T) {
	e := newEnv(t)
	email := "installer001.sales@demo.test"
	require.True(t, e.user(email).GetDateTime("guide_seen").IsZero(), "the demo user never saw the guide")

	b := e.browser()
	first := landing(t, b, email)
	has(t, first.Body, `id="guide"`, "the first page after the first login shows the guide")
	has(t, first.Body, "Une offre", "the partner guide explains what an offer is")
	has(t, first.Body, "<ol>", "the guide's steps are a rendered list")
	assert.False(t, e.user(email).GetDateTime("guide_seen").IsZero(), "the guide is remembered as seen")

	again := b.get("/inbox")
	require.Equal(t, http.StatusOK, again.Status)
	lacks(t, again.Body, `id="guide"`, "the next page does not show it again")
	has(t, again.Body, `id="help-link"`, "the header links to the help")

	second := landing(t, e.browser(), email)
	lacks(t, second.Body, `id="guide"`, "a second login does not show it")

	help := b.get("/help")
	require.Equal(t, http.StatusOK, help.Status)
	has(t, help.Body, `id="guide"`, "the guide is reopened from Help")
	has(t, help.Body, "Une offre")
}

func TestTheGuideIsNotInHtmxFragments(t *testing.T) {
	e := newEnv(t)
	email := "installer001.sales@demo.test"
	b := e.browser()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {email}, "password": {demo.Password}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	frag := b.get("/inbox", hx)
	require.Equal(t, http.StatusOK, frag.Status)
	lacks(t, frag.Body, `id="guide"`, "an htmx swap never carries the guide")
	assert.True(t, e.user(email).GetDateTime("guide_seen").IsZero(), "so it is still to be shown")
	has(t, b.get("/inbox").Body, `id="guide"`, "the first full page shows it")
}

// markdownMarkers are what a Markdown source shows when it is not rendered.
var markdownMarkers = regexp.MustCompile(`\*\*|(?m)^#+ |\]\(|\{\{|\}\}`)

func TestHelpRendersForEveryRoleInBothLanguages(t *testing.T) {
	e := newEnv(t)
	users := map[string]string{ // e-mail → words of its help page's title (en, fr)
		"installer001@demo.test":       "partners|partenaires",
		"installer001.sales@demo.test": "partners|partenaires",
		"teleop@demo.test":             "teleoperators|téléopérateurs",
		"manager.ouest@demo.test":      "channel managers|responsables de canal",
		"sales@demo.test":              "internal team|équipe interne",
		"admin@demo.test":              "administrators|administrateurs",
	}
	for email, titles := range users {
		t.Run(email, func(t *testing.T) {
			b := e.signedIn(email)
			words := strings.Split(titles, "|")
			for i, lang := range []string{"en", "fr"} {
				b.post("/lang", url.Values{"lang": {lang}, "back": {"/help"}})
				r := b.get("/help")
				require.Equal(t, http.StatusOK, r.Status)
				title := map[string]string{"en": "Help", "fr": "Aide"}[lang]
				has(t, r.Body, "<title>"+title+" · Relais</title>", lang)
				has(t, r.Body, "<h1>"+title+" — "+words[i]+"</h1>", lang)
				has(t, r.Body, `id="guide"`, lang)
				body := mainOf(r.Body)
				assert.Empty(t, markdownMarkers.FindAllString(body, -1), "%s: no raw Markdown marker", lang)
				lacks(t, body, "raw HTML omitted", lang)
				// static content: no e-mail address, no record of anyone
				lacks(t, body, "@demo.test", lang)
			}
		})
	}
}

// mainOf is the main element of a page (the header carries the user's
// own name and e-mail).
func mainOf(body string) string {
	i, j := strings.Index(body, `<main id="main" tabindex="-1">`), strings.Index(body, "</main>")
	if i < 0 || j < i {
		return body
	}
	return body[i:j]
}

func TestHelpMarkdownIsRenderedSafely(t *testing.T) {
	src := "# T\n\n<script>alert(1)</script>\n\n<b onclick=\"x()\">b</b> [a](javascript:alert(1)) {{.Email}} {{template \"x\"}}\n"
	html, err := renderMarkdown(goldmark.New(), []byte(src))
	require.NoError(t, err)
	s := string(html)
	assert.NotContains(t, s, "<script")
	assert.NotContains(t, s, "onclick")
	assert.NotContains(t, s, "javascript:")
	assert.Contains(t, s, "<h1>T</h1>")

	// every embedded page: no raw HTML, no template action (the HTML is
	// inserted as a value, never parsed as a template)
	docs, err := loadHelp()
	require.NoError(t, err)
	require.Len(t, docs, len(helpTopics)*4)
	for key, doc := range docs {
		assert.NotContains(t, string(doc), "raw HTML omitted", key)
		assert.NotContains(t, string(doc), "{{", key)
		assert.Regexp(t, `<(h1|ol)>`, string(doc), key)
	}
}

func TestPagesLinkToTheirHelp(t *testing.T) {
	e := newEnv(t)
	partner := e.signedIn("installer001.sales@demo.test")
	inbox := partner.get("/inbox")
	has(t, inbox.Body, `<p class="help-link"><a href="/help">`, "inbox")
	lead := e.leadWhere(dbx.NewExp("1=1"), "")
	admin := e.signedIn("admin@demo.test")
	has(t, admin.get("/leads/"+lead.Id).Body, `<p class="help-link"><a href="/help">`, "lead page")
	has(t, admin.get("/board").Body, `<p class="help-link"><a href="/help">`, "board")
}
