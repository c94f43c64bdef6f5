package api

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/deals"
)

// opportunityJSON renders an opportunity as the caller may see it (rules,
// Hidden fields unhidden by the enrich hook only for the allowed roles).
func opportunityJSON(e *core.RequestEvent, id string) (*core.Record, error) {
	rec, err := access.ViewFor(e.App, e.Auth, "opportunities", id)
	if err != nil {
		return nil, err
	}
	if err := apis.EnrichRecord(e, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// respondOpportunity answers with the opportunity as the caller sees it.
func respondOpportunity(e *core.RequestEvent, status int, id string) error {
	rec, err := opportunityJSON(e, id)
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(status, rec)
}

// openOpportunity serves POST /api/prm/leads/{id}/opportunity.
func openOpportunity(e *core.RequestEvent) error {
	var in deals.OpportunityInput
	if e.Request.ContentLength != 0 {
		if err := bindBody(e, &in); err != nil {
			return bodyError(e, err, "Invalid body.")
		}
	}
	rec, err := deals.OpportunityFromLead(e.App, access.ByRequest(e), e.Request.PathValue("id"), in)
	if err != nil {
		return APIError(e, err)
	}
	return respondOpportunity(e, http.StatusCreated, rec.Id)
}

// moveStage serves POST /api/prm/opportunities/{id}/stage
// {stage, amount?, close_date?, lost_reason?}. 200 with the opportunity;
// 202 when a win waits for a validator.
func moveStage(e *core.RequestEvent) error {
	var in deals.StageInput
	if err := bindBody(e, &in); err != nil {
		return bodyError(e, err, "Invalid body.")
	}
	rec, outcome, err := deals.MoveStage(e.App, access.ByRequest(e), e.Request.PathValue("id"), in)
	if err != nil {
		return APIError(e, err)
	}
	status := http.StatusOK
	if outcome == deals.Pending {
		status = http.StatusAccepted
	}
	return respondOpportunity(e, status, rec.Id)
}

// validateWin serves POST /api/prm/opportunities/{id}/validate
// {approve, note}.
func validateWin(e *core.RequestEvent) error {
	var in struct {
		Approve bool   `json:"approve"`
		Note    string `json:"note"`
	}
	if err := bindBody(e, &in); err != nil {
		return bodyError(e, err, "Invalid body.")
	}
	rec, err := deals.ValidateWin(e.App, access.ByRequest(e), e.Request.PathValue("id"), in.Approve, in.Note)
	if err != nil {
		return APIError(e, err)
	}
	return respondOpportunity(e, http.StatusOK, rec.Id)
}

// RegistrationReceipt is the answer to a registration: the same for every
// registration, whatever the conflict check found.
type RegistrationReceipt struct {
	Status      string       `json:"status"`
	Message     string       `json:"message"`
	Opportunity *core.Record `json:"opportunity"`
}

// registerDeal serves POST /api/prm/registrations.
func registerDeal(e *core.RequestEvent) error {
	var in deals.RegistrationInput
	if err := bindBody(e, &in); err != nil {
		return bodyError(e, err, "Invalid body.")
	}
	rec, err := deals.RegisterDeal(e.App, access.ByRequest(e), in)
	if err != nil {
		return APIError(e, err)
	}
	view, err := opportunityJSON(e, rec.Id)
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusCreated, RegistrationReceipt{
		Status:      "under_review",
		Message:     "Votre enregistrement est en cours d'examen par votre responsable de canal. / Your registration is under review by your channel manager.",
		Opportunity: view,
	})
}

// approveRegistration serves POST /api/prm/registrations/{id}/approve.
func approveRegistration(e *core.RequestEvent) error {
	rec, err := deals.ApproveRegistration(e.App, access.ByRequest(e), e.Request.PathValue("id"))
	if err != nil {
		return APIError(e, err)
	}
	return respondOpportunity(e, http.StatusOK, rec.Id)
}

// rejectRegistration serves POST /api/prm/registrations/{id}/reject {reason}.
func rejectRegistration(e *core.RequestEvent) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := bindBody(e, &in); err != nil {
		return bodyError(e, err, "Invalid body.")
	}
	rec, err := deals.RejectRegistration(e.App, access.ByRequest(e), e.Request.PathValue("id"), in.Reason)
	if err != nil {
		return APIError(e, err)
	}
	return respondOpportunity(e, http.StatusOK, rec.Id)
}
