package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leadsListPage is a leads list of n rows for a partner or an internal
// role, in English.
func leadsListPage(t *testing.T, n int, kind string) *leadsPage {
	t.Helper()
	tr, err := newTranslator()
	require.NoError(t, err)
	p := &page{locale: tr.locale("en"), UserID: "u1", UserName: "Ada", Role: "partner_manager", Kind: kind, CSRF: "tok", Now: time.Now(),
		Menu: menuFor(caps{Leads: true}), Active: "leads", Caps: caps{Notifications: true}}
	lp := &leadsPage{page: p, Statuses: []string{"offered", "accepted"}}
	for i := range n {
		lp.Leads = append(lp.Leads, leadView{ID: fmt.Sprintf("l%014d", i), Company: fmt.Sprintf("Company %d", i), City: "Rennes", Department: "35",
			Segment: "residential", Status: "accepted", Score: 70, AssigneeName: "Bob", PartnerName: "Solaire", Updated: types.NowDateTime()})
	}
	return lp
}

// The leads list renders its column labels and the role's kind once per
// page, not once per row: what each further row costs in allocations is
// pinned (214 a row when the labels were looked up per row, 139 since).
func TestLeadsListRowCost(t *testing.T) {
	v, err := parseViews()
	require.NoError(t, err)
	for _, kind := range []string{"partner", "internal"} {
		render := func(n int) (float64, string) {
			data := leadsListPage(t, n, kind)
			var buf bytes.Buffer
			require.NoError(t, v.sets["leads"].ExecuteTemplate(&buf, "content", data))
			out := buf.String()
			allocs := testing.AllocsPerRun(20, func() {
				buf.Reset()
				_ = v.sets["leads"].ExecuteTemplate(&buf, "content", data)
			})
			return allocs, out
		}
		one, _ := render(1)
		fifty, out := render(50)
		perRow := (fifty - one) / 49
		t.Logf("%s: %.1f allocations a row", kind, perRow)
		assert.LessOrEqual(t, perRow, 150.0, "%s: allocations a row", kind)
		// every row still carries its labels
		assert.Equal(t, 50, strings.Count(out, `data-label="Company"`), kind)
		assert.Equal(t, 50, strings.Count(out, `data-label="Updated"`), kind)
		who := `data-label="Partner"`
		if kind == "partner" {
			who = `data-label="Assigned to"`
		}
		assert.Equal(t, 50, strings.Count(out, who), kind)
	}
}

// A page is written from its render buffer: no copy into a string and
// back, no growth of a fresh buffer per page (render_buffer.go), and the
// response is the page, with its status and content type.
func TestFragmentWritesFromReusedBuffer(t *testing.T) {
	v, err := parseViews()
	require.NoError(t, err)
	h := &handlers{views: v}
	data := leadsListPage(t, 50, "partner")
	var want bytes.Buffer
	require.NoError(t, v.sets["leads"].ExecuteTemplate(&want, "content", data))
	serve := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		e := &core.RequestEvent{}
		e.Request = httptest.NewRequest(http.MethodGet, "/leads", nil)
		e.Response = rec
		require.NoError(t, h.fragment(e, http.StatusTeapot, "leads", "content", data))
		return rec
	}
	rec := serve()
	assert.Equal(t, http.StatusTeapot, rec.Code)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Equal(t, want.String(), rec.Body.String())

	// the template's own allocations (into a warm buffer) against the
	// whole fragment (a recorder, its event, the template, the response)
	var buf bytes.Buffer
	tpl := testing.AllocsPerRun(20, func() {
		buf.Reset()
		_ = v.sets["leads"].ExecuteTemplate(&buf, "content", data)
	})
	rec.Body.Grow(2 * want.Len())
	e := &core.RequestEvent{}
	e.Request = httptest.NewRequest(http.MethodGet, "/leads", nil)
	e.Response = rec
	whole := testing.AllocsPerRun(20, func() {
		rec.Body.Reset()
		_ = h.fragment(e, http.StatusOK, "leads", "content", data)
	})
	t.Logf("template %.0f allocations, fragment %.0f", tpl, whole)
	assert.LessOrEqual(t, whole-tpl, 3.0, "allocations of the fragment beyond its template")
}
