package api

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/intake"
)

// The enrich hooks shape each record PocketBase sends (REST, expand,
// realtime, the routes that answer with a record, the export): Hidden
// fields are unhidden only for the roles allowed to see them, and a
// private customer's lead carries the neutral label instead of its empty
// company. Hidden fields cannot be filtered or written by API clients, so
// the protection does not rely on these hooks.

// authOf is the caller an enriched record is sent to (nil for a guest).
func authOf(e *core.RecordEnrichEvent) *core.Record {
	if e.RequestInfo == nil {
		return nil
	}
	return e.RequestInfo.Auth
}

// labelPrivateLead shows a private customer's lead with the label in the
// reader's language (intake.LabelPrivate).
func labelPrivateLead(e *core.RecordEnrichEvent) error {
	intake.LabelPrivate(authOf(e), e.Record)
	return e.Next()
}

// showLeadFields unhides the internal-only lead fields for internal roles
// and integrations (access.ShowLeadFields).
func showLeadFields(e *core.RecordEnrichEvent) error {
	if err := access.ShowLeadFields(e.App, authOf(e), e.Record); err != nil {
		return err
	}
	return e.Next()
}

// showRecording unhides an activity's call recording for internal roles
// and the integration that wrote it (access.ShowRecording).
func showRecording(e *core.RecordEnrichEvent) error {
	if err := access.ShowRecording(e.App, authOf(e), e.Record); err != nil {
		return err
	}
	return e.Next()
}

// showOpportunityFields unhides an opportunity's decision fields, and its
// conflict fields for internal roles (deals.ShowOpportunityFields).
func showOpportunityFields(e *core.RecordEnrichEvent) error {
	if err := deals.ShowOpportunityFields(e.App, authOf(e), e.Record); err != nil {
		return err
	}
	return e.Next()
}
