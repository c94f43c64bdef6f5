package roles

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKindValid(t *testing.T) {
	for _, k := range []Kind{Internal, Partner, Integration} {
		assert.True(t, k.Valid(), k)
	}
	for _, k := range []Kind{"", "superuser", "Partner"} {
		assert.False(t, k.Valid(), k)
	}
}
