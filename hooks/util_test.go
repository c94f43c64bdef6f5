package hooks_test

import (
	"encoding/json"
	neturl "net/url"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
)

func urlQuery(s string) string { return neturl.QueryEscape(s) }

func requestInfoOf(w *world, who string) *core.RequestInfo {
	return &core.RequestInfo{Auth: w.users[who], Method: "GET"}
}

// pageCap is access.PageCapFor, failing the test on error.
func pageCap(t testing.TB, app core.App, auth *core.Record) int {
	t.Helper()
	n, err := access.PageCapFor(app, auth)
	require.NoError(t, err)
	return n
}

// settingsOf is access.LoadSettings, failing the test on error.
func settingsOf(t testing.TB, app core.App) access.Settings {
	t.Helper()
	s, err := access.LoadSettings(app)
	require.NoError(t, err)
	return s
}

// canonicalJSON re-encodes a JSON body with its object keys sorted, so that
// two answers compare by content (PocketBase v0.40 writes map keys in no
// fixed order); a body that is not JSON is returned as it is.
func canonicalJSON(body string) string {
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return string(out)
}
