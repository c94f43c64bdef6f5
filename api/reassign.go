package api

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/roles"
)

// reassignLead serves POST /api/prm/leads/{id}/reassign
// {partner, reason} for channel managers and admins (distribution.Reassign:
// to another partner, at any stage, reason required) and {assignee,
// reason?} for a partner manager (distribution.Redispatch: to another user
// of his company). The answer is the lead as the caller may still see it.
func reassignLead(e *core.RequestEvent) error {
	var body struct {
		Partner  string `json:"partner"`
		Assignee string `json:"assignee"`
		Reason   string `json:"reason"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("Invalid body.", nil)
	}
	id := e.Request.PathValue("id")
	by := access.ByRequest(e)
	partnerKind, err := access.HasKind(e.App, e.Auth, roles.Partner)
	if err != nil {
		return APIError(e, err)
	}
	if partnerKind {
		return respondLead(e)(distribution.Redispatch(e.App, by, id, body.Assignee, body.Reason))
	}
	return respondLead(e)(distribution.Reassign(e.App, by, id, body.Partner, body.Reason))
}
