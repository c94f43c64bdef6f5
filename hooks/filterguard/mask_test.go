package filterguard

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		`last_name = "Dupont" && phone ~ '06 12'`:                `last_name = '…' && phone ~ '…'`,
		`score > 70 && estimated_value <= 12480.50`:              `score > 0 && estimated_value <= 0`,
		`company = "Famille \"Blanchard\""`:                      `company = '…'`,
		`leads_via_territory.company != "Famille Blanchard"`:     `leads_via_territory.company != '…'`,
		`phone = 0612345678 || mobile=+33612345678`:              `phone = 0 || mobile=0`,
		`created > @now && field2 = "x" && geoDistance(a,b,1,2)`: `created > @now && field2 = '…' && geoDistance(a,b,0,0)`,
		`partner.name:lower ~ "soleil"`:                          `partner.name:lower ~ '…'`,
		``:                                                       ``,
	} {
		assert.Equal(t, want, Mask(in), in)
	}
	long := strings.Repeat(`a = "x" && `, 100)
	assert.LessOrEqual(t, len(Mask(long)), 500)
	assert.Len(t, Fingerprint("a = 1"), 64)
	assert.Empty(t, Fingerprint(""))
	assert.NotEqual(t, Fingerprint(`a = "x"`), Fingerprint(`a = "y"`))
}
