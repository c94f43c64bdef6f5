package access

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
)

// By is who performs an action: the user (whose rules apply) and the
// audit actor (with the request's IP and id when there is a request).
type By struct {
	User  *core.Record
	Actor audit.Actor
}

// ByRequest is the authenticated user of a request.
func ByRequest(e *core.RequestEvent) By { return By{User: e.Auth, Actor: audit.ActorOf(e)} }

// ByUser is a user acting outside a request (commands, tests).
func ByUser(u *core.Record) By { return By{User: u, Actor: audit.ActorOfUser(u)} }
