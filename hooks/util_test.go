package hooks_test

import (
	neturl "net/url"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks"
)

func urlQuery(s string) string { return neturl.QueryEscape(s) }

func requestInfoOf(w *world, who string) *core.RequestInfo {
	return &core.RequestInfo{Auth: w.users[who], Method: "GET"}
}

// pageCap is hooks.PageCapFor, failing the test on error.
func pageCap(t testing.TB, app core.App, auth *core.Record) int {
	t.Helper()
	n, err := hooks.PageCapFor(app, auth)
	require.NoError(t, err)
	return n
}

// settingsOf is hooks.LoadSettings, failing the test on error.
func settingsOf(t testing.TB, app core.App) hooks.Settings {
	t.Helper()
	s, err := hooks.LoadSettings(app)
	require.NoError(t, err)
	return s
}
