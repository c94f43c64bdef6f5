package api

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/pocketbase/pocketbase/core"
)

// ProxyWarningMiddlewareID is the id of warnUntrustedProxy on the router.
const ProxyWarningMiddlewareID = "relaisProxyWarning"

// proxyHeaders are the headers reverse proxies add with the client's
// address (those PocketBase's health check looks for, and the standard
// ones).
var proxyHeaders = []string{"X-Forwarded-For", "X-Real-IP", "Forwarded", "CF-Connecting-IP", "Fly-Client-IP"}

// warnUntrustedProxy warns once, in the app's log and on out (the console
// of `serve`), when a request arrives with a proxy header that the
// settings do not trust: every client is then seen with the proxy's
// address, so anonymous requests share one rate-limit allowance and the
// audit log records the proxy instead of the client. It never changes the
// request.
func warnUntrustedProxy(out io.Writer) func(e *core.RequestEvent) error {
	var warned atomic.Bool
	return func(e *core.RequestEvent) error {
		if !warned.Load() {
			if h := untrustedProxyHeader(e.Request.Header, e.App.Settings().TrustedProxy.Headers); h != "" && warned.CompareAndSwap(false, true) {
				msg := fmt.Sprintf("requests arrive from %s with the header %s, which is not trusted: every client behind that proxy is seen as %s "+
					"(one rate-limit allowance for all anonymous requests, the proxy's address in the audit log). "+
					"If %s is your reverse proxy, set /_/ → Settings → Application → Trusted proxy → headers to %s (README: \"Behind a reverse proxy\").",
					e.RemoteIP(), h, e.RemoteIP(), e.RemoteIP(), h)
				e.App.Logger().Warn(msg, "header", h, "remoteIP", e.RemoteIP())
				if out != nil {
					fmt.Fprintln(out, "Warning:", msg)
				}
			}
		}
		return e.Next()
	}
}

// untrustedProxyHeader returns the first proxy header present in h that is
// not among the trusted ones ("" when none).
func untrustedProxyHeader(h http.Header, trusted []string) string {
	for _, name := range proxyHeaders {
		if h.Get(name) == "" {
			continue
		}
		if !slices.ContainsFunc(trusted, func(t string) bool { return strings.EqualFold(t, name) }) {
			return name
		}
	}
	return ""
}
