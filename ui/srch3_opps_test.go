package ui

import (
	"html"
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onPipeline reports whether an opportunity is on the pipeline's board
// (not a registration waiting for its decision or rejected).
func onPipeline(o *core.Record) bool {
	st := o.GetString("registration_status")
	return st != "pending" && st != "rejected"
}

// The pipeline's search, per role: an opportunity is found by its
// customer when the role may read it, never otherwise; a partner's name
// finds that partner's opportunities for those who may read them, and
// another partner's name finds nothing for a partner; a search keeps its
// words in the page (URL state) and the form targets the page by htmx.
func TestPipelineSearchFindsWhatTheRoleMayRead(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@demo.test")
	var all []*core.Record
	for _, o := range allFor(t, e.app, admin, "opportunities") {
		if onPipeline(o) && o.GetString("company") != "" {
			all = append(all, o)
		}
	}
	require.NotEmpty(t, all)
	own := e.user("installer001@demo.test").GetString("partner")
	foreign, err := e.app.FindFirstRecordByFilter("partners", "name != '' && id != {:own}", dbx.Params{"own": own})
	require.NoError(t, err)
	for _, email := range []string{"admin@demo.test", "manager.ouest@demo.test", "sales@demo.test", "installer001@demo.test", "installer001.sales@demo.test"} {
		user := e.user(email)
		visible := map[string]bool{}
		for _, o := range allFor(t, e.app, user, "opportunities") {
			visible[o.Id] = true
		}
		b := e.signedIn(email)
		found := 0
		for i, o := range all {
			if i%7 != 0 && !visible[o.Id] {
				continue // every visible one, a sample of the others
			}
			r := b.get("/opportunities?q=" + url.QueryEscape(o.GetString("company")))
			require.Equal(t, http.StatusOK, r.Status, r.Body)
			if visible[o.Id] {
				found++
				assert.Contains(t, r.Body, `data-opp-id="`+o.Id+`"`, "%s finds %q", email, o.GetString("company"))
				assert.NotContains(t, r.Body, `id="opps-search-empty"`, "no 'nothing found' over a result")
			} else {
				assert.NotContains(t, r.Body, o.Id, "%s never finds %q", email, o.GetString("company"))
			}
			assert.Contains(t, r.Body, `id="opps-search" hx-get="/opportunities" hx-target="#main" hx-push-url="true"`)
			assert.Contains(t, r.Body, `value="`+html.EscapeString(o.GetString("company"))+`"`, "the search stays in the page")
		}
		t.Logf("%s: %d opportunities found by their customer", email, found)
		r := b.get("/opportunities?q=" + url.QueryEscape(foreign.GetString("name")))
		require.Equal(t, http.StatusOK, r.Status)
		for _, o := range all {
			if o.GetString("partner") == foreign.Id && !visible[o.Id] {
				assert.NotContains(t, r.Body, o.Id, "%s: another partner's name finds none of its opportunities", email)
			}
		}
		if user.GetString("partner") == "" && email == "admin@demo.test" {
			for _, o := range all {
				if o.GetString("partner") == foreign.Id {
					assert.Contains(t, r.Body, o.Id, "the admin finds a partner's opportunities by its name")
					break
				}
			}
		}
	}
}

// A search that finds nothing says so (with the words, escaped) instead of
// an empty board; the board without a search never says it.
func TestPipelineSearchSaysWhenNothingMatches(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{"admin@demo.test", "installer001@demo.test"} {
		b := e.signedIn(email)
		r := b.get("/opportunities?q=" + url.QueryEscape("Zyxw <Nothing>"))
		require.Equal(t, http.StatusOK, r.Status)
		assert.Contains(t, r.Body, `id="opps-search-empty"`, email)
		assert.Contains(t, r.Body, "Aucune opportunité ne correspond à « Zyxw &lt;Nothing&gt; »", email)
		assert.NotContains(t, r.Body, "<Nothing>", "the words are escaped")
		r = b.get("/opportunities")
		require.Equal(t, http.StatusOK, r.Status)
		assert.NotContains(t, r.Body, `id="opps-search-empty"`, email)
	}
}
