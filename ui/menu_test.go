package ui

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var menuRe = regexp.MustCompile(`<nav class="menu"[^>]*>((?s).*?)</nav>`)
var menuLinkRe = regexp.MustCompile(`href="(/[a-z/-]+)"`)

func TestTheMenuShowsWhatTheRoleMayUse(t *testing.T) {
	e := newEnv(t)
	want := map[string][]string{
		"installer001.sales@demo.test": {"/inbox", "/agenda", "/accounts", "/leads", "/registrations", "/opportunities", "/reports", "/documents", "/notifications"},
		"installer001@demo.test":       {"/inbox", "/agenda", "/accounts", "/leads", "/team", "/registrations", "/opportunities", "/figures", "/reports", "/certificates", "/documents", "/notifications"},
		"teleop@demo.test":             {"/pool", "/leads", "/leads/new", "/reports", "/documents", "/notifications"},
		"manager.ouest@demo.test": {"/board", "/accounts", "/leads", "/conflicts", "/leads/new", "/leads/import", "/registrations", "/opportunities", "/reports", "/partners", "/users", "/approvals",
			"/documents", "/notifications"},
		"sales@demo.test": {"/accounts", "/leads", "/leads/new", "/opportunities", "/reports", "/partners", "/documents", "/notifications"},
		"admin@demo.test": {"/dashboard", "/board", "/pool", "/accounts", "/leads", "/conflicts", "/leads/new", "/leads/import", "/registrations", "/opportunities", "/reports", "/reports/roi", "/partners", "/users", "/approvals", "/certificate-rules", "/matrix", "/audit",
			"/access-review", "/grants", "/integrations", "/security", "/campaigns", "/documents", "/notifications"},
		"api@demo.test": {"/leads"},
	}
	for email, links := range want {
		b := e.signedIn(email)
		r := b.get("/")
		require.Equal(t, http.StatusSeeOther, r.Status, email)
		assert.Equal(t, links[0], r.Header.Get("Location"), "%s lands on the first page of the menu", email)
		page := b.get(links[0])
		require.Equal(t, http.StatusOK, page.Status, email)
		var got []string
		for _, m := range menuLinkRe.FindAllStringSubmatch(menuRe.FindString(page.Body), -1) {
			got = append(got, m[1])
		}
		assert.Equal(t, links, got, email)
		for _, l := range links {
			assert.Equal(t, http.StatusOK, b.get(l).Status, "%s %s", email, l)
		}
	}
}
