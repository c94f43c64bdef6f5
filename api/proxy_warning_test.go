package api

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// `serve` warns once when requests arrive with a proxy header it does not
// trust, and says nothing when there is none or it is trusted.
func TestUntrustedProxyWarning(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	require.NoError(t, err)
	defer app.Cleanup()
	var out bytes.Buffer
	mw := warnUntrustedProxy(&out)
	send := func(headers map[string]string) {
		req := httptest.NewRequest("GET", "/api/health", nil)
		req.RemoteAddr = "10.0.0.5:40000"
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		e := &core.RequestEvent{App: app}
		e.Request, e.Response = req, httptest.NewRecorder()
		require.NoError(t, mw(e))
	}
	send(nil)
	assert.Empty(t, out.String(), "no proxy header")

	app.Settings().TrustedProxy.Headers = []string{"x-forwarded-for"}
	send(map[string]string{"X-Forwarded-For": "198.51.100.7"})
	assert.Empty(t, out.String(), "a trusted header")

	app.Settings().TrustedProxy.Headers = nil
	send(map[string]string{"X-Forwarded-For": "198.51.100.7"})
	send(map[string]string{"X-Forwarded-For": "198.51.100.8"})
	assert.Equal(t, 1, strings.Count(out.String(), "Warning:"), "once: %s", out.String())
	assert.Contains(t, out.String(), "from 10.0.0.5 with the header X-Forwarded-For, which is not trusted")
	assert.Contains(t, out.String(), "Trusted proxy")
}
