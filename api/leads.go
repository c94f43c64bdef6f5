package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/fieldcheck"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/reasons"
)

// leadJSON renders a lead as the caller may see it (rules, hidden fields).
func leadJSON(e *core.RequestEvent, id string) (*core.Record, error) {
	rec, err := access.ViewFor(e.App, e.Auth, "leads", id)
	if err != nil {
		return nil, err
	}
	if err := apis.EnrichRecord(e, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// ingestLead serves POST /api/prm/leads/ingest: one lead
// (intake.Intake.Ingest), 201 with the lead as the caller may see it, 200 with
// the existing lead on a replay. A multipart body carries the lead as JSON
// in @jsonPayload and may carry the call's `recording` (attached to a new
// lead, not on a replay: the upload route adds one later).
func ingestLead(e *core.RequestEvent) error {
	if !intake.MayIngest(e.App, e.Auth) {
		return e.ForbiddenError("Your role may not create leads.", nil)
	}
	var in intake.IngestInput
	if err := bindBody(e, &in); err != nil {
		return bodyError(e, err, "The body must be a JSON lead.")
	}
	if in.Source == "" {
		in.Source = "api"
	}
	recording, summary, err := uploadedRecording(e) // multipart: recordings.go
	if err != nil {
		return APIError(e, err)
	}
	it, err := intake.NewIntake(e.App)
	if err != nil {
		return APIError(e, err)
	}
	// a ready lead is offered in the transaction that stores it
	it.DistributeReady(distribution.AtIngest{})
	res, err := it.Ingest(e.App, audit.ActorOf(e), e.Auth, in)
	if err != nil {
		return APIError(e, err)
	}
	if res.DistributionErr != nil {
		// the lead is stored, ready: the distribution job offers it
		e.App.Logger().Error("distribution at ingest failed", "lead", res.Lead.Id, "error", res.DistributionErr)
	}
	if recording != nil && res.Created {
		if _, err := intake.AttachRecording(e.App, access.ByRequest(e), res.Lead.Id, recording, summary); err != nil {
			return APIError(e, err)
		}
	}
	if !res.Created {
		rec, err := leadJSON(e, res.Lead.Id)
		if err != nil {
			// a replay finds only the caller's own leads (findBySourceRef):
			// one it created and may no longer see (moved out of its scope)
			return APIError(e, domain.Conflict("source_ref_taken", "you already sent this source_ref, for a lead you can no longer see"))
		}
		return e.JSON(http.StatusOK, rec)
	}
	if res.Distributed {
		// distribution changed the lead: read it again
		rec, err := leadJSON(e, res.Lead.Id)
		if err != nil {
			return APIError(e, err)
		}
		return e.JSON(http.StatusCreated, rec)
	}
	// the record just saved, as the rule and the hidden fields let the
	// caller see it (no second rule query)
	rec, err := savedLeadJSON(e, res.Lead)
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusCreated, rec)
}

// ingestLeads serves POST /api/prm/leads/ingest/batch: up to MaxBatch leads in
// one transaction (intake.Intake.IngestBatch), a result per lead.
func ingestLeads(e *core.RequestEvent) error {
	if !intake.MayIngest(e.App, e.Auth) {
		return e.ForbiddenError("Your role may not create leads.", nil)
	}
	// each lead is decoded alone: one with a value of the wrong type
	// fails alone, naming its field
	var body struct {
		Leads []json.RawMessage `json:"leads"`
	}
	if err := bindBody(e, &body); err != nil {
		return bodyError(e, err, `The body must be {"leads": [...]}.`)
	}
	if err := intake.CheckBatch(len(body.Leads)); err != nil {
		return APIError(e, err)
	}
	it, err := intake.NewIntake(e.App)
	if err != nil {
		return APIError(e, err)
	}
	items, err := it.IngestJSONBatch(e.App, audit.ActorOf(e), e.Auth, body.Leads)
	if err != nil {
		return APIError(e, err)
	}
	created := 0
	for _, i := range items {
		if i.Status == "created" {
			created++
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"created": created, "items": items})
}

// webformLead serves POST /api/prm/webform/{formKey}: the public quote-request
// form of the maker's site (intake.SubmitWebForm).
func webformLead(e *core.RequestEvent) error {
	if err := intake.CheckFormKey(e.App, e.Request.PathValue("formKey")); err != nil {
		return APIError(e, err) // no key is valid when the settings cannot be read
	}
	var f intake.WebForm
	if err := bindBody(e, &f); err != nil {
		return bodyError(e, err, "Invalid form.")
	}
	if err := intake.SubmitWebForm(e.App, audit.ActorOf(e), f); err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusCreated, map[string]any{"status": "received"})
}

// assignLead serves POST /api/prm/leads/{id}/assign {partner} (distribution.Assign).
func assignLead(e *core.RequestEvent) error {
	var body struct {
		Partner string `json:"partner"`
	}
	if err := bindBody(e, &body); err != nil {
		return bodyError(e, err, "Invalid body.")
	}
	return respondLead(e)(distribution.Assign(e.App, access.ByRequest(e), e.Request.PathValue("id"), body.Partner))
}

// acceptLead serves POST /api/prm/leads/{id}/accept {assignee?} (distribution.Accept).
func acceptLead(e *core.RequestEvent) error {
	var body struct {
		Assignee string `json:"assignee"`
	}
	if e.Request.ContentLength > 0 {
		if err := bindBody(e, &body); err != nil {
			return bodyError(e, err, "Invalid body.")
		}
	}
	lead, err := distribution.Accept(e.App, access.ByRequest(e), e.Request.PathValue("id"), body.Assignee)
	if err != nil {
		return APIError(e, err)
	}
	rec, err := savedLeadJSON(e, lead)
	if err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusOK, rec)
}

// savedLeadJSON renders a lead an action just saved as the caller may see
// it, like leadJSON but without reading it again: the ViewRule is decided
// in memory on the saved record (access.RuleView) and the record is enriched
// like the REST API does (hidden fields stay hidden, OnRecordEnrich
// unhides per role, expand/fields apply). When the rule cannot be decided
// in memory, leadJSON's rule query answers.
func savedLeadJSON(e *core.RequestEvent, lead *core.Record) (*core.Record, error) {
	switch access.RuleView(e.App, e.Auth, lead) {
	case access.RuleFalse:
		return nil, domain.ErrNotVisible
	case access.RuleUnknown:
		return leadJSON(e, lead.Id)
	}
	if err := apis.EnrichRecord(e, lead); err != nil {
		return nil, err
	}
	return lead, nil
}

// respondLead answers with the lead an action returned, as the caller may
// see it, or with the action's error.
func respondLead(e *core.RequestEvent) func(*core.Record, error) error {
	return func(lead *core.Record, err error) error {
		if err != nil {
			return APIError(e, err)
		}
		rec, err := leadJSON(e, lead.Id)
		if err != nil {
			return APIError(e, err)
		}
		return e.JSON(http.StatusOK, rec)
	}
}

// declineLead serves POST /api/prm/leads/{id}/decline {reason, note}
// (distribution.Decline): reason is a code (capacity, zone, segment, size,
// other); a text as clients sent before codes existed is read as one
// (reasons.ParseDecline: a label of either language, else "other" with the
// text as note).
func declineLead(e *core.RequestEvent) error {
	var body struct {
		Reason string `json:"reason"`
		Note   string `json:"note"`
	}
	if err := bindBody(e, &body); err != nil {
		return bodyError(e, err, "Invalid body.")
	}
	// the fields as sent are checked before a text reason becomes a note,
	// so that the error names the field the client wrote
	for _, f := range []struct{ name, value string }{{"reason", body.Reason}, {"note", body.Note}} {
		if err := fieldcheck.Text(f.name, f.value, 500); err != nil {
			return APIError(e, err)
		}
	}
	code, note := reasons.ParseDecline(body.Reason)
	if n := strings.TrimSpace(body.Note); n != "" {
		if note != "" {
			note += ": "
		}
		note += n
	}
	if err := distribution.Decline(e.App, access.ByRequest(e), e.Request.PathValue("id"), code, note); err != nil {
		return APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"status": "declined"})
}
