package sessions

import (
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/stretchr/testify/assert"
)

// The realtime client's auth that dropRealtimeSessions unsets is the one
// PocketBase's realtime broker reads.
func TestRealtimeAuthKeyIsPocketBases(t *testing.T) {
	assert.Equal(t, apis.RealtimeClientAuthKey, realtimeClientAuthKey)
}
