package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/testapp"
)

var leadRowRe = regexp.MustCompile(`<tr data-lead-id="([a-z0-9]+)"`)

// uiLeadIDs walks every page of /leads.
func uiLeadIDs(t *testing.T, b *browser) []string {
	t.Helper()
	var ids []string
	for page := 1; page < 100; page++ {
		r := b.get("/leads?page=" + strconv.Itoa(page))
		require.Equal(t, http.StatusOK, r.Status)
		for _, m := range leadRowRe.FindAllStringSubmatch(r.Body, -1) {
			ids = append(ids, m[1])
		}
		if !regexp.MustCompile(`rel="next"`).MatchString(r.Body) {
			break
		}
	}
	sort.Strings(ids)
	return ids
}

// apiLeadIDs lists what GET /api/collections/leads/records returns for the
// user (the REST API, Authorization header, same router).
func apiLeadIDs(t *testing.T, e *env, email string) []string {
	t.Helper()
	token := testapp.Token(t, e.app, e.user(email))
	var ids []string
	for page := 1; ; page++ {
		req := httptest.NewRequest(http.MethodGet, "/api/collections/leads/records?fields=id&perPage=500&skipTotal=1&page="+strconv.Itoa(page), nil)
		req.Header.Set("Authorization", token)
		rec := httptest.NewRecorder()
		e.mux.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var out struct {
			Items []struct{ ID string } `json:"items"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
		for _, it := range out.Items {
			ids = append(ids, it.ID)
		}
		if len(out.Items) < 500 {
			break
		}
	}
	sort.Strings(ids)
	return ids
}

// TestLeadsPageShowsWhatTheAPIListsForEachRole is the read-path contract of
// For every role of the demo, the leads page lists exactly the
// leads the REST API lists for that user.
func TestLeadsPageShowsWhatTheAPIListsForEachRole(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{
		"admin@demo.test", "manager@demo.test", "manager.ouest@demo.test", "teleop@demo.test", "sales@demo.test", "api@demo.test",
		"installer001@demo.test", "installer001.sales@demo.test", "installer002.sales@demo.test",
	} {
		t.Run(email, func(t *testing.T) {
			api := apiLeadIDs(t, e, email)
			got := uiLeadIDs(t, e.signedIn(email))
			assert.Equal(t, api, got)
			if email != "sales@demo.test" {
				assert.NotEmpty(t, got, "the demo gives this role leads to see")
			}
		})
	}
}

func TestLeadsStatusFilter(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001@demo.test")
	r := b.get("/leads?status=won")
	require.Equal(t, http.StatusOK, r.Status)
	ids := leadRowRe.FindAllStringSubmatch(r.Body, -1)
	require.NotEmpty(t, ids)
	for _, m := range ids {
		l, err := e.app.FindRecordById("leads", m[1])
		require.NoError(t, err)
		assert.Equal(t, "won", l.GetString("status"))
		assert.Equal(t, e.user("installer001@demo.test").GetString("partner"), l.GetString("partner"))
	}
	frag := b.get("/leads?status=won", hx)
	lacks(t, frag.Body, "<html", "htmx gets the fragment")
	has(t, frag.Body, "leads-table")
}

func TestPartnerLeadListHidesInternalFields(t *testing.T) {
	e := newEnv(t)
	b := e.signedIn("installer001@demo.test")
	body := b.get("/leads").Body
	for _, m := range leadRowRe.FindAllStringSubmatch(body, -1) {
		l, err := e.app.FindRecordById("leads", m[1])
		require.NoError(t, err)
		lacks(t, body, l.GetString("source_ref"))
	}
}
