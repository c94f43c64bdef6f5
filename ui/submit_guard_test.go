package ui

import (
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guardScriptRe finds the hashed URL of relais.js in a page.
var guardScriptRe = regexp.MustCompile(`/static/relais\.[0-9a-f]+\.js`)

// formTagRe matches an opening <form …> tag (attributes may span lines).
var formTagRe = regexp.MustCompile(`(?s)<form\s[^>]*>`)

// unguardedPostForms lists the POST forms of html that can be submitted
// twice: an htmx form without hx-disable on its buttons, or a plain form
// without data-submit-once (the guard of relais.js).
func unguardedPostForms(html string) []string {
	var out []string
	for _, tag := range formTagRe.FindAllString(html, -1) {
		if !strings.Contains(tag, `method="post"`) {
			continue
		}
		htmx := strings.Contains(tag, "hx-post=")
		if htmx && !strings.Contains(tag, `hx-disable="findAll button"`) || !htmx && !strings.Contains(tag, "data-submit-once") {
			out = append(out, tag)
		}
	}
	return out
}

// TestEveryPostFormTemplateHasADoubleSubmitGuard checks every form that
// posts an action, in every template, disables its buttons while it runs.
func TestEveryPostFormTemplateHasADoubleSubmitGuard(t *testing.T) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	posts := 0
	for _, f := range files {
		raw, err := fs.ReadFile(templateFS, f)
		require.NoError(t, err)
		posts += strings.Count(string(raw), `method="post"`)
		assert.Empty(t, unguardedPostForms(string(raw)), f)
	}
	assert.Greater(t, posts, 20, "the templates' POST forms were found")
}

// TestRenderedActionFormsCarryTheDoubleSubmitGuard renders the pages with
// action forms (accept, decline, status, activity, qualify, reassign,
// assign, notifications, login) and checks each POST form is guarded, and
// that the guard script of plain forms is served.
func TestRenderedActionFormsCarryTheDoubleSubmitGuard(t *testing.T) {
	e := newEnv(t)
	sales := e.user("installer001.sales@demo.test")
	offered := e.leadWhere(dbx.HashExp{"status": "offered", "assignee": sales.Id}, "")
	contacted := e.leadWhere(dbx.HashExp{"status": "contacted", "assignee": sales.Id}, "")
	pool := e.leadWhere(dbx.NewExp("partner = '' AND status IN ('new','qualifying')"), "")
	pages := []struct {
		who, path, want string
	}{
		{"installer001.sales@demo.test", "/inbox", "/decline"},
		{"installer001.sales@demo.test", "/leads/" + offered.Id, "/accept"},
		{"installer001.sales@demo.test", "/leads/" + contacted.Id, "/activities"},
		{"installer001.sales@demo.test", "/leads/" + contacted.Id, "/status"},
		{"teleop@demo.test", "/leads/" + pool.Id, "/qualify"},
		{"admin@demo.test", "/board", "/assign"},
		{"admin@demo.test", "/profile", "/profile/password"},
		{"", "/login", "/login"},
	}
	for _, p := range pages {
		b := e.browser()
		if p.who != "" {
			b = e.signedIn(p.who)
		}
		r := b.get(p.path)
		require.Equal(t, http.StatusOK, r.Status, p.path)
		has(t, r.Body, `action="`, p.path)
		has(t, r.Body, p.want+`"`, p.who, p.path)
		assert.Empty(t, unguardedPostForms(r.Body), p.who, p.path)
		src := guardScriptRe.FindString(r.Body)
		require.NotEmpty(t, src, "the guard script is on %s", p.path)
		js := b.get(src)
		require.Equal(t, http.StatusOK, js.Status)
		has(t, js.Body, "form[data-submit-once]")
	}
}
