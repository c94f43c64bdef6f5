package ui

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/assign"
)

// Admins list, add, edit and remove the certificate rules; everyone else
// gets 404 and the rules stay as they were.
func TestCertificateRulesForm(t *testing.T) {
	e := newEnv(t)
	for _, email := range []string{"manager@demo.test", "sales@demo.test", "teleop@demo.test", "installer001@demo.test", "installer001.sales@demo.test"} {
		b := e.signedIn(email)
		assert.Equal(t, http.StatusNotFound, b.get("/certificate-rules").Status, email)
		b.get("/notifications")
		assert.Equal(t, http.StatusNotFound, b.post("/certificate-rules", url.Values{"rows": {"1"}}).Status, email)
	}
	settings, err := access.LoadSettings(e.app)
	require.NoError(t, err)
	assert.Equal(t, assign.DefaultCertRequirements(), settings.CertRequirements, "untouched")

	admin := e.signedIn("admin@demo.test")
	r := admin.get("/certificate-rules")
	require.Equal(t, http.StatusOK, r.Status)
	has(t, r.Body, `value="photovolta, panneau solaire, panneaux solaires, solar panel, solar pv"`, "the rules in force")
	has(t, r.Body, `name="kinds_1" value="rge_qualipac" checked`)
	has(t, r.Body, `name="keywords_3"`, "two blank rows")

	// remove the heat-pump rule, edit the first, add a farm rule
	r = admin.post("/certificate-rules", url.Values{"rows": {"4"},
		"keywords_0": {"photovolta"}, "kinds_0": {"rge_qualipv"},
		"keywords_1": {"heat pump"}, "kinds_1": {"rge_qualipac"}, "remove_1": {"1"},
		"segments_2": {"farm"}, "kinds_2": {"qualifelec"},
	})
	require.Equal(t, http.StatusSeeOther, r.Status, r.Body)
	settings, err = access.LoadSettings(e.app)
	require.NoError(t, err)
	assert.Equal(t, []assign.CertRequirement{
		{Keywords: []string{"photovolta"}, Kinds: []string{"rge_qualipv"}},
		{Segments: []string{"farm"}, Kinds: []string{"qualifelec"}},
	}, settings.CertRequirements)
	_, err = e.app.FindFirstRecordByFilter("audit_log", "action = 'settings.certificate_rules'")
	require.NoError(t, err, "audited")

	// refused: a rule without a certificate
	r = admin.post("/certificate-rules", url.Values{"rows": {"1"}, "segments_0": {"farm"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status)
	has(t, r.Body, `data-field="kinds"`)
	has(t, r.Body, "Chaque règle exige au moins un certificat")
	r = admin.post("/certificate-rules", url.Values{"rows": {"1"}, "kinds_0": {"other"}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.Status, "a rule on every lead")
	settings, err = access.LoadSettings(e.app)
	require.NoError(t, err)
	assert.Len(t, settings.CertRequirements, 2, "unchanged by a refused form")
}
