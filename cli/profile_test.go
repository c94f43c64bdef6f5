package cli

import (
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestServeProfilesOnlyWhenAsked(t *testing.T) {
	t.Setenv(ProfileEnv, "")
	require.Equal(t, "", ServeProfiles())

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	t.Setenv(ProfileEnv, addr)
	require.Equal(t, addr, ServeProfiles())
	var resp *http.Response
	require.Eventually(t, func() bool {
		resp, err = http.Get("http://" + addr + "/debug/pprof/")
		return err == nil
	}, 5*time.Second, 20*time.Millisecond)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}
