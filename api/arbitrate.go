package api

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/distribution"
)

// showConflict serves GET /api/prm/leads/{id}/conflict: the two sides of a
// held lead for channel managers and admins (distribution.ConflictOf): the
// lead, the record it matched (lead, account or registration; null when
// the caller may not view it), the holder partner and the shared keys,
// each record as the caller may see it through the rules.
func showConflict(e *core.RequestEvent) error {
	s, err := distribution.ConflictOf(e.App, e.Auth, e.Request.PathValue("id"))
	if err != nil {
		return APIError(e, err)
	}
	for _, r := range []*core.Record{s.Lead, s.Other, s.Holder} {
		if r == nil {
			continue
		}
		if err := apis.EnrichRecord(e, r); err != nil {
			return APIError(e, err)
		}
	}
	return e.JSON(http.StatusOK, map[string]any{
		"lead": s.Lead, "kind": s.Kind, "record": s.Ref, "matched": s.Other, "holder": s.Holder, "keys": s.Keys,
	})
}

// arbitrateConflict returns the handler of POST
// /api/prm/leads/{id}/conflict/{action} {reason, partner?}
// (distribution.Arbitrate): the answer is the lead as the caller may see
// it after the decision.
func arbitrateConflict(action string) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		var body struct {
			Partner string `json:"partner"`
			Reason  string `json:"reason"`
		}
		if err := bindBody(e, &body); err != nil {
			return bodyError(e, err, "Invalid body.")
		}
		a := distribution.Arbitration{Action: action, Partner: body.Partner, Reason: body.Reason}
		return respondLead(e)(distribution.Arbitrate(e.App, access.ByRequest(e), e.Request.PathValue("id"), a))
	}
}
