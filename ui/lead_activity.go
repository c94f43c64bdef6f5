package ui

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/writepath"
)

// activityForm is the activity logging form (call, meeting with its date,
// visit report, note).
type activityForm struct {
	Kind, Summary, Outcome, At string
	Internal                   bool
	Errors                     map[string]string
	Saved                      bool
}

// logActivity records an activity on a lead through the rule-checked
// create (the activities CreateRule decides on which leads); a meeting also
// sets the lead's meeting date when the user may change it. htmx swaps the
// activities block; errors re-render the form with the field messages.
func (h *handlers) logActivity(e *core.RequestEvent) error {
	s := sess(e)
	id := e.Request.PathValue("id")
	p, err := h.leadPage(e, id)
	if err != nil {
		return err
	}
	f := activityForm{
		Kind: e.Request.FormValue("kind"), Summary: strings.TrimSpace(e.Request.FormValue("summary")),
		Outcome: strings.TrimSpace(e.Request.FormValue("outcome")), At: e.Request.FormValue("at"),
		Internal: s.kind == "internal" && e.Request.FormValue("internal") != "", Errors: map[string]string{},
	}
	at := h.now()
	if !slices.Contains(activityKinds, f.Kind) {
		f.Errors["kind"] = p.T("form.required")
	}
	if f.Summary == "" {
		f.Errors["summary"] = p.T("form.required")
	}
	if f.At != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", f.At, h.i18n.tz)
		if err != nil {
			f.Errors["at"] = p.T("form.invalid_date")
		}
		at = t
	} else if f.Kind == "meeting" {
		f.Errors["at"] = p.T("activity.meeting_needs_date")
	}
	if len(f.Errors) == 0 {
		// the author is set by the write path; partners never send `internal`
		body := map[string]any{"lead": id, "kind": f.Kind, "summary": f.Summary, "outcome": f.Outcome, "at": at.UTC()}
		if s.kind == "internal" {
			body["internal"] = f.Internal
		}
		if _, err := writepath.CreateFor(e.App, access.ByRequest(e), "activities", body); err != nil {
			var de *domain.Error
			if !errors.As(err, &de) {
				return err
			}
			f.Errors[formField(de, activityFields, "summary")] = p.Err(de)
		}
	}
	if len(f.Errors) == 0 && f.Kind == "meeting" {
		if err := h.setMeeting(e, id, at); err != nil {
			return err
		}
	}
	if !isHX(e) && len(f.Errors) == 0 {
		return e.Redirect(http.StatusSeeOther, "/leads/"+id)
	}
	status := http.StatusOK
	if len(f.Errors) > 0 {
		status = htmlStatusInvalid
		p.Form = f
	} else {
		// reload: the new activity and the meeting date
		if p, err = h.leadPage(e, id); err != nil {
			return err
		}
		p.Form = activityForm{Kind: "call", Saved: true}
	}
	if !isHX(e) {
		return h.render(e, status, "lead", p)
	}
	return h.fragment(e, status, "lead", "activities", p)
}

// activityFields are the activity form's fields named as the activities
// fields they write.
var activityFields = map[string]string{"kind": "kind", "summary": "summary", "outcome": "outcome", "at": "at"}

// setMeeting stores the meeting date on the lead when the rules let the
// user change it (a partner on its accepted lead); otherwise the activity
// alone records the meeting.
func (h *handlers) setMeeting(e *core.RequestEvent, leadID string, at time.Time) error {
	s := sess(e)
	rec, err := access.ViewFor(e.App, s.user, "leads", leadID)
	if err != nil {
		return err
	}
	body := map[string]any{"meeting_at": at.UTC()}
	ok, err := access.CanDo(e.App, s.user, rec, "update", body)
	if err != nil || !ok {
		return err
	}
	_, err = writepath.UpdateFor(e.App, access.ByRequest(e), "leads", leadID, body)
	return err
}
