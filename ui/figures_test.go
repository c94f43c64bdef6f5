package ui

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFiguresAreTheCompanysOwn(t *testing.T) {
	e := newEnv(t)
	r := e.signedIn("installer001@demo.test").get("/figures")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, "Les chiffres de ma société")
	pid := e.user("installer001@demo.test").GetString("partner")
	var won float64
	require.NoError(t, e.app.DB().NewQuery("SELECT COALESCE(SUM(won_amount),0) FROM leads WHERE partner = {:p} AND status = 'won'").Bind(map[string]any{"p": pid}).Row(&won))
	tr, err := newTranslator()
	require.NoError(t, err)
	has(t, r.Body, tr.locale("fr").Money(won), "revenue of the company's won leads")
	assert.Equal(t, http.StatusNotFound, e.signedIn("installer001.sales@demo.test").get("/figures").Status, "salespeople have no company figures")
}
