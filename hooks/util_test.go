package hooks_test

import (
	neturl "net/url"

	"github.com/pocketbase/pocketbase/core"
)

func urlQuery(s string) string { return neturl.QueryEscape(s) }

func requestInfoOf(w *world, who string) *core.RequestInfo {
	return &core.RequestInfo{Auth: w.users[who], Method: "GET"}
}
