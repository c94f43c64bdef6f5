package access

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/roles"
)

// InternalLeadFields are Hidden in the schema (SPEC §3.3.8) and shown to
// internal roles only.
var InternalLeadFields = []string{"source", "source_ref", "campaign", "created_by", "qualification_notes", "siret", "consent", "dedup_key", "duplicate_of", "forced", "offers_count", "held", "conflict_kind", "conflict_ref", "conflict_partner"}

// ShowLeadFields unhides, on a lead about to be sent to auth, the
// internal-only fields for the roles allowed to see them: every one of
// them for internal roles, the source and its reference for
// integrations. Hidden fields cannot be filtered or written by API
// clients, so the protection does not rely on this; it only widens what
// internal roles and integrations see. The kind of the role comes from the
// cached matrix (RoleKindOf), so a change of a role's kind is seen by the
// next request.
func ShowLeadFields(app core.App, auth, lead *core.Record) error {
	if auth == nil {
		return nil
	}
	kind, err := RoleKindOf(app, auth)
	if err != nil {
		return err
	}
	switch kind {
	case roles.Internal:
		lead.Unhide(InternalLeadFields...)
	case roles.Integration:
		lead.Unhide("source", "source_ref")
	}
	return nil
}

// ShowRecording unhides the call recording of an activity for internal
// roles and for the integration that wrote the activity.
func ShowRecording(app core.App, auth, activity *core.Record) error {
	if auth == nil {
		return nil
	}
	kind, err := RoleKindOf(app, auth)
	if err != nil {
		return err
	}
	if kind == roles.Internal || (kind == roles.Integration && activity.GetString("author") == auth.Id) {
		activity.Unhide("recording")
	}
	return nil
}

// MayDownloadHidden reports whether auth may download the Hidden file
// field of rec (the ViewRule has already passed).
func MayDownloadHidden(app core.App, auth, rec *core.Record, field string) bool {
	if auth == nil {
		return false
	}
	if auth.IsSuperuser() {
		return true
	}
	if rec.Collection().Name == "activities" && field == "recording" {
		kind, err := RoleKindOf(app, auth)
		if err != nil {
			return false // fail closed: the download answers 404
		}
		switch kind {
		case roles.Internal:
			return true
		case roles.Integration:
			return rec.GetString("author") == auth.Id
		}
	}
	return false
}
