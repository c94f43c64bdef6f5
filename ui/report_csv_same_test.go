package ui

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/internal/testapp"
)

// apiGet calls a REST route on the env's router with a user's token.
func (e *env) apiGet(path string, email string) resp {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", testapp.Token(e.t, e.app, e.user(email)))
	rec := httptest.NewRecorder()
	e.mux.ServeHTTP(rec, req)
	return resp{Status: rec.Code, Body: rec.Body.String(), Header: rec.Header()}
}

// The scorecard CSV of the report API and of the UI come from one writer:
// for the same user, period and order they are the same bytes, and a
// revenue of millions is a decimal, not 1.900342e+06.
func TestScorecardCSVIsTheSameFromTheAPIAndTheUI(t *testing.T) {
	e := newEnv(t)
	won := e.leadWhere(dbx.NewExp("status = 'won' AND accepted_at >= date('now', '-300 days')"), "accepted_at DESC")
	won.Set("won_amount", 1900342)
	require.NoError(t, e.app.Save(won))
	for _, email := range []string{"admin@demo.test", "manager.ouest@demo.test"} {
		b := e.signedIn(email)
		for _, q := range []string{"", "?sort=name", "?sort=revenue&dir=asc"} {
			ui := b.get("/reports/partners.csv" + q)
			require.Equal(t, http.StatusOK, ui.Status, email+q)
			sep := "?"
			if q != "" {
				sep = "&"
			}
			api := e.apiGet("/api/prm/reports/partners"+q+sep+"format=csv", email)
			require.Equal(t, http.StatusOK, api.Status, email+q)
			assert.True(t, strings.HasPrefix(ui.Body, strings.Join(governance.ScorecardCSVHeader, ",")+"\n"), email+q)
			assert.Greater(t, strings.Count(ui.Body, "\n"), 1, "rows: "+email+q)
			assert.Equal(t, ui.Body, api.Body, "byte-identical: "+email+q)
			assert.NotContains(t, api.Body, "e+", email+q)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(e.apiGet("/api/prm/reports/partners?format=csv", "admin@demo.test").Body)).ReadAll()
	require.NoError(t, err)
	millions := 0
	for _, r := range recs[1:] {
		assert.Regexp(t, `^[0-9]+\.[0-9]{2}$`, r[12], "revenue")
		assert.Regexp(t, `^[0-9]+\.[0-9]{2}$`, r[13], "open pipeline")
		if len(r[12]) >= len("1000000.00") {
			millions++
		}
	}
	assert.Positive(t, millions, "a revenue of millions, as a decimal")
}
