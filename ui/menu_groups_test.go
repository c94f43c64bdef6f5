package ui

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroupMenu(t *testing.T) {
	items := func(keys ...string) []menuItem {
		var m []menuItem
		for _, k := range keys {
			m = append(m, menuItem{Key: k, Path: "/" + k, Label: "menu." + k})
		}
		return m
	}
	shape := func(es []menuEntry) []string {
		var out []string
		for _, e := range es {
			var keys []string
			for _, it := range e.Items {
				keys = append(keys, it.Key)
			}
			s := strings.Join(keys, "+")
			if e.Group != "" {
				s = e.Group + ":" + s
			}
			if e.Active {
				s += "*"
			}
			out = append(out, s)
		}
		return out
	}
	for _, c := range []struct {
		name   string
		keys   []string
		active string
		want   []string
	}{
		{"short menus stay flat", []string{"inbox", "leads", "figures", "reports", "documents", "notifications"}, "leads",
			[]string{"inbox", "leads*", "figures", "reports", "documents", "notifications"}},
		{"long menus fold into groups", []string{"dashboard", "board", "pool", "leads", "reports", "partners", "users", "matrix", "audit", "access_review", "documents", "notifications"}, "audit",
			[]string{"dashboard", "leads:board+pool+leads", "reports", "network:partners+users", "admin:matrix+audit+access_review*", "documents", "notifications"}},
		{"a group of one is a link", []string{"board", "leads", "reports", "partners", "users", "documents", "notifications"}, "",
			[]string{"leads:board+leads", "reports", "network:partners+users", "documents", "notifications"}},
		{"empty", nil, "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := groupMenu(items(c.keys...), c.active)
			assert.Equal(t, c.want, shape(got))
			n := 0
			for _, e := range got {
				n += len(e.Items)
				if e.Group != "" {
					assert.Equal(t, "menu.group."+e.Group, e.Label)
				}
			}
			assert.Equal(t, len(c.keys), n, "every item is kept")
		})
	}
}

var menuGroupRe = regexp.MustCompile(`(?s)<details class="menu-group"[^>]*>\s*<summary[^>]*>([^<]+)</summary>(.*?)</details>`)

// TestTheGroupedMenuPerRole: for every demo role the header's menu keeps
// every link of the role (TestTheMenuShowsWhatTheRoleMayUse checks which),
// the long menus are folded into keyboard-usable drop-downs (details and
// summary) with translated names, and the current page's group is marked.
func TestTheGroupedMenuPerRole(t *testing.T) {
	e := newEnv(t)
	want := map[string]int{ // drop-downs per role
		"installer001.sales@demo.test": 1, "installer001@demo.test": 2, "teleop@demo.test": 0,
		"manager.ouest@demo.test": 2, "sales@demo.test": 1, "admin@demo.test": 4, "api@demo.test": 0,
	}
	for email, groups := range want {
		b := e.signedIn(email)
		page := b.get("/leads")
		require.Equal(t, http.StatusOK, page.Status, email)
		nav := menuRe.FindString(page.Body)
		require.NotEmpty(t, nav, email)
		found := menuGroupRe.FindAllStringSubmatch(nav, -1)
		assert.Len(t, found, groups, email)
		for _, g := range found {
			assert.NotContains(t, g[1], "menu.group", "%s: the group's name is translated", email)
			assert.GreaterOrEqual(t, len(menuLinkRe.FindAllString(g[2], -1)), 2, "%s: a drop-down holds several links", email)
		}
		if groups > 0 {
			assert.Regexp(t, `<summary class="current">[^<]+</summary>\s*<div class="menu-drop">\s*(<a [^>]*>[^<]*</a>\s*)*<a href="/leads" aria-current="page">`, nav, "%s: the leads group is marked current", email)
		}
	}
	admin := e.signedIn("admin@demo.test")
	nav := menuRe.FindString(admin.get("/audit").Body)
	assert.Contains(t, nav, `<details class="menu-group" name="menu" id="menu-admin">`)
	assert.Regexp(t, `id="menu-admin">\s*<summary class="current">Administration</summary>`, nav)
}
