package api

import (
	"net/netip"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
)

// Hidden files. PocketBase serves a protected file to
// whoever holds a file token and passes the collection's ViewRule; that a
// file field is Hidden keeps it out of the JSON but not out of
// /api/files/{collection}/{id}/{name}. A partner that can view an activity
// of its lead could thus download the call recording with its own file
// token (SPEC §3.3.1: recordings are internal). The guard below serves a
// Hidden file field only to those the record's enrich hook shows it to:
// superusers, and for activities.recording internal roles and the
// integration that wrote the activity (access.MayDownloadHidden); every other
// Hidden file field is for superusers only (deny by default).

// guardHiddenFile refuses the download of a Hidden file field to whoever
// may not see it.
func guardHiddenFile(e *core.FileDownloadRequestEvent) error {
	if !e.FileField.GetHidden() {
		return e.Next()
	}
	if !access.MayDownloadHidden(e.App, fileTokenAuth(e), e.Record, e.FileField.GetName()) {
		// the answer PocketBase gives when the ViewRule fails
		return e.NotFoundError("", nil)
	}
	return e.Next()
}

// fileTokenAuth returns who downloads a file, as PocketBase's file route
// decides it: the owner of the `token` query parameter (a file token; the
// Authorization header does not count), a superuser only from an allowed
// IP. nil for guests and invalid tokens.
func fileTokenAuth(e *core.FileDownloadRequestEvent) *core.Record {
	tok := e.Request.URL.Query().Get("token")
	if tok == "" {
		return nil
	}
	auth, err := e.App.FindAuthRecordByToken(tok, core.TokenTypeFile)
	if err != nil {
		return nil // an invalid or expired token is a guest
	}
	if auth.IsSuperuser() && !superuserIPAllowed(e) {
		return nil
	}
	return auth
}

// superuserIPAllowed applies the superuser IP allow-list of the settings
// (addresses or subnets), as PocketBase's file route does.
func superuserIPAllowed(e *core.FileDownloadRequestEvent) bool {
	allowed := e.App.Settings().SuperuserIPs
	if len(allowed) == 0 {
		return true
	}
	ip, err := netip.ParseAddr(e.RealIP())
	if err != nil {
		return false
	}
	for _, a := range allowed {
		if p, err := netip.ParsePrefix(a); err == nil {
			if p.Contains(ip) {
				return true
			}
		} else if addr, err := netip.ParseAddr(a); err == nil && addr == ip {
			return true
		}
	}
	return false
}
