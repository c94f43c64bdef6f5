package audit

import (
	"github.com/pocketbase/pocketbase/core"
)

// Audit actions of authentication.
const (
	ActionLogin       = "auth.login"
	ActionLoginFailed = "auth.login_failed"
	ActionLogout      = "auth.logout"
	ActionImpersonate = "auth.impersonate"
)

// maxIdentityLen bounds the identity recorded for a failed login (it is
// client input).
const maxIdentityLen = 254

// LoginFailed records a refused login by actor (the unauthenticated
// caller) on the auth collection: the identity tried, cut to 254
// characters, the account tried when it exists (record, else "") and the
// reason (invalid_credentials, or why a blocked account was refused).
// Passwords are never recorded.
func LoginFailed(app core.App, a Actor, collection, record, identity, reason string) error {
	if len(identity) > maxIdentityLen {
		identity = identity[:maxIdentityLen]
	}
	return Append(app, a, ActionLoginFailed, collection, record, map[string]any{"email": identity, "reason": reason})
}

// ActorFields returns id, role and partner of an auth record (role
// "superuser" for superusers).
func ActorFields(r *core.Record) (id, role, partner string) {
	if r.IsSuperuser() {
		return r.Id, "superuser", ""
	}
	return r.Id, r.GetString("role"), r.GetString("partner")
}

// Logout records that user ended their session. PocketBase tokens are
// stateless, so there is no logout endpoint to hook: the web UI calls this
// from its logout handler (before clearing the session cookie), passing the
// request for the IP and request id (e may be nil outside a request). It
// writes one auth.logout entry.
func Logout(app core.App, user *core.Record, e *core.RequestEvent) error {
	var a Actor
	if e != nil {
		a = ActorOf(e)
	}
	a.ID, a.Role, a.Partner = ActorFields(user)
	return Append(app, a, ActionLogout, user.Collection().Name, user.Id, map[string]any{"email": user.Email()})
}
