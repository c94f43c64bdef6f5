package api

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/governance"
)

// parseTime reads a date sent by a client (RFC 3339, "2006-01-02 15:04:05",
// or a bare date).
func parseTime(field, s string) (time.Time, error) {
	d, err := types.ParseDateTime(s)
	if err != nil || d.IsZero() {
		return time.Time{}, domain.Errorf(domain.KindInvalid, "invalid_date", field, "%s must be a date (2026-01-31 or RFC 3339)", field)
	}
	return d.Time(), nil
}

func bindJSON(e *core.RequestEvent, v any) error {
	if err := bindBody(e, v); err != nil {
		return bodyError(e, err, "Invalid body.")
	}
	return nil
}

// listPendingRequests serves GET /api/prm/access-requests/pending: the
// requests the caller may decide (governance.PendingAccessRequests).
func listPendingRequests(e *core.RequestEvent) error {
	recs, err := governance.PendingAccessRequests(e.App, e.Auth)
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": recs})
}

// approveRequest serves POST /api/prm/access-requests/{id}/approve {expires,
// reason}: the grant (governance.ApproveAccessRequest).
func approveRequest(e *core.RequestEvent) error {
	var body struct {
		Expires string `json:"expires"`
		Reason  string `json:"reason"`
	}
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	if !governance.IsApprover(e.App, e.Auth) {
		return APIError(e, domain.ErrForbidden)
	}
	expires, err := parseTime("expires", body.Expires)
	if err != nil {
		return APIError(e, err)
	}
	grant, err := governance.ApproveAccessRequest(e.App, e.Auth, audit.ActorOf(e), e.Request.PathValue("id"), expires, body.Reason, time.Now())
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusOK, grant)
}

// rejectRequest serves POST /api/prm/access-requests/{id}/reject {reason}
// (governance.RejectAccessRequest).
func rejectRequest(e *core.RequestEvent) error {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	if err := governance.RejectAccessRequest(e.App, e.Auth, audit.ActorOf(e), e.Request.PathValue("id"), body.Reason, time.Now()); err != nil {
		return APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}

// createGrant serves POST /api/prm/grants {user, kind, territory|resource,
// starts?, expires, reason}, admins only (governance.CreateGrant).
func createGrant(e *core.RequestEvent) error {
	if !governance.IsAdmin(e.App, e.Auth) {
		return APIError(e, domain.ErrForbidden)
	}
	var body struct {
		User      string `json:"user"`
		Kind      string `json:"kind"`
		Territory string `json:"territory"`
		Resource  string `json:"resource"`
		Starts    string `json:"starts"`
		Expires   string `json:"expires"`
		Reason    string `json:"reason"`
	}
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	spec := governance.GrantSpec{User: body.User, Kind: body.Kind, Territory: body.Territory, Resource: body.Resource, Reason: body.Reason}
	var err error
	if spec.Expires, err = parseTime("expires", body.Expires); err != nil {
		return APIError(e, err)
	}
	if body.Starts != "" {
		if spec.Starts, err = parseTime("starts", body.Starts); err != nil {
			return APIError(e, err)
		}
	}
	if !e.Auth.IsSuperuser() {
		spec.GrantedBy = e.Auth.Id
	}
	g, err := governance.CreateGrant(e.App, audit.ActorOf(e), spec, time.Now())
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusOK, g)
}

// revokeGrant serves POST /api/prm/grants/{id}/revoke, admins only
// (governance.RevokeGrant).
func revokeGrant(e *core.RequestEvent) error {
	if !governance.IsAdmin(e.App, e.Auth) {
		return APIError(e, domain.ErrForbidden)
	}
	if err := governance.RevokeGrant(e.App, audit.ActorOf(e), e.Request.PathValue("id"), time.Now()); err != nil {
		return APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}

// accessReview serves GET /api/prm/access-review: the "who sees what" rows,
// admins only (governance.AccessReview).
func accessReview(e *core.RequestEvent) error {
	if !governance.IsAdmin(e.App, e.Auth) {
		return APIError(e, domain.ErrForbidden)
	}
	rows, err := governance.AccessReview(e.App, time.Now())
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": rows})
}

// decideReviewItem serves POST /api/prm/access-reviews/items/{id}/decide
// {decision, note} (governance.DecideReviewItem).
func decideReviewItem(e *core.RequestEvent) error {
	var body struct {
		Decision string `json:"decision"`
		Note     string `json:"note"`
	}
	if err := bindJSON(e, &body); err != nil {
		return err
	}
	err := governance.DecideReviewItem(e.App, e.Auth, audit.ActorOf(e), e.Request.PathValue("id"), body.Decision, body.Note, time.Now())
	if err != nil {
		return APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}
