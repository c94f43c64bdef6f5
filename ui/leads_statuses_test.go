package ui

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	chipsRe      = regexp.MustCompile(`(?s)<nav class="chips"[^>]*>(.*?)</nav>`)
	chipStatusRe = regexp.MustCompile(`<a href="/leads\?status=(\w+)"`)
)

// statusChips are the statuses offered as filters on a leads page.
func statusChips(t *testing.T, body string) []string {
	t.Helper()
	m := chipsRe.FindStringSubmatch(body)
	require.NotNil(t, m, "the leads page has its status filters")
	var out []string
	for _, c := range chipStatusRe.FindAllStringSubmatch(m[1], -1) {
		out = append(out, c[1])
	}
	return out
}

func TestLeadsStatusFiltersFitTheRole(t *testing.T) {
	e := newEnv(t)
	partner := []string{"offered", "accepted", "contacted", "meeting", "won", "lost"}
	all := []string{"new", "qualifying", "ready", "offered", "accepted", "contacted", "meeting", "won", "lost", "recycled"}
	for email, want := range map[string][]string{
		"admin@demo.test":              all,
		"manager.ouest@demo.test":      all,
		"sales@demo.test":              all,
		"teleop@demo.test":             {"new", "qualifying", "ready", "recycled"},
		"installer001@demo.test":       partner,
		"installer001.sales@demo.test": partner,
	} {
		t.Run(email, func(t *testing.T) {
			r := e.signedIn(email).get("/leads")
			require.Equal(t, http.StatusOK, r.Status)
			assert.Equal(t, want, statusChips(t, r.Body))
		})
	}
}

func TestLeadsStatusFilterOutsideTheRoleIsIgnored(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001.sales@demo.test")
	_, all, _ := searchLeads(t, b, "")
	require.Positive(t, all)
	r := b.get("/leads?status=new")
	require.Equal(t, http.StatusOK, r.Status)
	m := totalRe.FindStringSubmatch(r.Body)
	require.NotNil(t, m)
	assert.Equal(t, itoa(all), m[1], "a status the partner cannot have is no filter: every lead of theirs")
	assert.Contains(t, r.Body, `<a href="/leads" hx-get="/leads" hx-target="#main" hx-push-url="true" aria-current="true">`, "the All chip is the current one")
}
