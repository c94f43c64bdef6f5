package policy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// partner_certificates follow the partners cell: no partners access, no
// certificate access; partner kinds always under their company ceiling;
// partner moves refused on update.
func TestCertificateRulesFollowPartnersCell(t *testing.T) {
	m := DefaultMatrix()
	out, err := Compile(m, Schema{})
	require.NoError(t, err)
	r := out[CertificatesCollection]
	require.NotNil(t, r.List)
	require.NotNil(t, r.Create)
	assert.Equal(t, *r.List, *r.View)
	assert.NotContains(t, *r.List, "'teleoperator'", "teleoperators do not read partners")
	assert.NotContains(t, *r.List, "'integration'")
	assert.NotContains(t, *r.Create, "'partner_user'", "partner users do not update their partner")
	assert.NotContains(t, *r.Create, "'sales'")
	assert.Contains(t, *r.Update, "@request.body.partner:isset = false")
	assert.NotContains(t, *r.Create, "@request.body.partner:isset = false")
	for _, rule := range []*string{r.List, r.Create, r.Update, r.Delete} {
		for _, line := range strings.Split(*rule, "\n") {
			if strings.Contains(line, "'partner_manager'") || strings.Contains(line, "'partner_user'") {
				assert.Contains(t, line, "partner = @request.auth.partner", "partner ceiling: %s", line)
				assert.Contains(t, line, partnerActive)
			}
		}
	}

	// a matrix that lets partner users update their partner lets them
	// manage its certificates, still within their company
	for i, c := range m.Cells {
		if c.Role == "partner_user" && c.Resource == "partners" {
			m.Cells[i].Update = Org
		}
		if c.Role == "sales" && c.Resource == "partners" {
			m.Cells[i].Read = None
		}
	}
	out, err = Compile(m, Schema{})
	require.NoError(t, err)
	r = out[CertificatesCollection]
	assert.Contains(t, *r.Create, "(@request.auth.role = 'partner_user' && (@request.auth.partner != '' && partner = @request.auth.partner)")
	assert.NotContains(t, *r.List, "'sales'")
	assert.Contains(t, Collections(), CertificatesCollection)
}
