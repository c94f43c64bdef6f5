package ui

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestLeadSourceAndSizeShowTranslatedLabels checks the lead page and the
// pool show the lead's source as a label of the reader's language (not the
// stored value) and "1 salarié" / "1 employee" in the singular.
func TestLeadSourceAndSizeShowTranslatedLabels(t *testing.T) {
	e := newEnv(t)
	lead := e.leadWhere(dbx.NewExp("partner = '' AND status IN ('new','qualifying','ready','recycled')"), "")
	lead.Set("source", "web")
	lead.Set("company_size", "1")
	require.NoError(t, e.app.Save(lead))

	for _, c := range []struct{ lang, source, size, raw string }{
		{"fr", "<dd>Site web", "1 salarié<", "<dd>web"},
		{"en", "<dd>Website", "1 employee<", "<dd>web"},
	} {
		for _, email := range []string{"admin@demo.test", "teleop@demo.test"} {
			u := e.user(email)
			u.Set("locale", c.lang)
			require.NoError(t, e.app.Save(u))
		}
		r := e.signedIn("admin@demo.test").get("/leads/" + lead.Id)
		require.Equal(t, http.StatusOK, r.Status)
		has(t, r.Body, c.source, c.lang)
		has(t, r.Body, c.size, c.lang)
		lacks(t, r.Body, c.raw, c.lang)

		pool := e.signedIn("teleop@demo.test").get("/pool")
		require.Equal(t, http.StatusOK, pool.Status)
		lacks(t, pool.Body, ">web</td>", c.lang)
		lacks(t, pool.Body, ">phone</td>", c.lang)
	}
	pool := e.signedIn("teleop@demo.test").get("/pool")
	has(t, pool.Body, ">Website</td>")
}
