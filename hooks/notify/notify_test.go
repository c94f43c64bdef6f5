package notify

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Offers and leads back to the pool are mailed; other notifications stay
// in the app.
func TestMailed(t *testing.T) {
	for kind, want := range map[string]bool{
		"offer": true, "lead_back_to_pool": true, "offer_accepted": false, "registration": false,
		"win_validation": false, "access_request": false, "": false,
	} {
		assert.Equal(t, want, Mailed(kind), kind)
	}
}
