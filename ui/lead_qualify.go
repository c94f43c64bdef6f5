package ui

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/writepath"
)

// qualifyForm is the teleoperator's qualification form of a pool lead.
type qualifyForm struct {
	Score, Segment, Size, Interest, Value, Status, Report string
	Errors                                                map[string]string
}

func qualifyFormOf(l leadView) qualifyForm {
	return qualifyForm{Score: strconv.Itoa(l.Score), Segment: l.Segment, Size: l.Size, Interest: l.Interest,
		Value: strconv.FormatFloat(l.Value, 'f', -1, 64), Status: l.Status}
}

// qualifyLead saves the qualification of a pool lead (score, segment,
// size, need, estimated value, pool status) through the rule-checked
// update, plus the call report as an internal activity. A lead that
// becomes ready is distributed by the lifecycle hooks.
func (h *handlers) qualifyLead(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	p, err := h.leadPage(e, id)
	if err != nil {
		return err
	}
	if !p.CanQualify {
		return errNotFound
	}
	f, body := readQualifyForm(e, p)
	if len(f.Errors) == 0 {
		var de *domain.Error
		switch err := h.saveQualification(e, id, body, f.Report); {
		case errors.As(err, &de):
			field := de.Field
			if field == "" {
				field = "status"
			}
			f.Errors[field] = p.Err(de)
		case err != nil:
			return err
		}
	}
	if len(f.Errors) > 0 {
		p.Qualify = f
		return h.render(e, htmlStatusInvalid, "lead", p)
	}
	msg, err := h.readyMessage(e, p.page, id, p.Lead.Status, f.Status)
	if err != nil {
		return err
	}
	return h.afterQualify(e, id, msg)
}

// afterQualify answers a saved qualification: the lead page again while
// the lead is in the pool, else (distributed) the pool, with the message.
func (h *handlers) afterQualify(e *core.RequestEvent, id, msg string) error {
	p, err := h.leadPage(e, id)
	if errors.Is(err, domain.ErrNotVisible) { // distributed: out of the pool
		pp, err := h.poolPage(e)
		if err != nil {
			return err
		}
		pp.Flash = msg
		e.Response.Header().Set("HX-Push-Url", "/pool")
		return h.render(e, http.StatusOK, "pool", pp)
	}
	if err != nil {
		return err
	}
	if !isHX(e) {
		return e.Redirect(http.StatusSeeOther, "/leads/"+id)
	}
	p.Flash = msg
	if msg == "" {
		p.Flash = p.T("qualify.saved")
	}
	return h.render(e, http.StatusOK, "lead", p)
}

// readyMessage tells the user what became of a lead they just made ready
// (the distribution ran right after the commit): offered to which
// partner, or that no partner can take it; "" for another move.
func (h *handlers) readyMessage(e *core.RequestEvent, p *page, id, from, to string) (string, error) {
	if to != lifecycle.StatusReady || from == to {
		return "", nil
	}
	out, err := distribution.OutcomeOf(e.App, id)
	if err != nil {
		return "", err
	}
	switch {
	case out.Offered:
		return p.T("ready.offered", "Partner", out.PartnerName), nil
	case out.Waiting:
		return p.T("ready.no_partner"), nil
	}
	return p.T("ready.queued"), nil
}

// readQualifyForm reads and checks the qualification form: the form with
// its field errors, and the lead fields to save when it has none.
func readQualifyForm(e *core.RequestEvent, p *leadPage) (qualifyForm, map[string]any) {
	f := qualifyForm{
		Score: strings.TrimSpace(e.Request.FormValue("score")), Segment: e.Request.FormValue("segment"),
		Size: e.Request.FormValue("company_size"), Interest: strings.TrimSpace(e.Request.FormValue("interest")),
		Value: strings.TrimSpace(e.Request.FormValue("estimated_value")), Status: e.Request.FormValue("status"),
		Report: strings.TrimSpace(e.Request.FormValue("report")), Errors: map[string]string{},
	}
	score, err := strconv.Atoi(f.Score)
	if err != nil || score < 0 || score > 100 {
		f.Errors["score"] = p.T("qualify.score_range")
	}
	if f.Segment != "" && !slices.Contains(segments, f.Segment) {
		f.Errors["segment"] = p.T("form.invalid")
	}
	if f.Size != "" && !slices.Contains(companySizes, f.Size) {
		f.Errors["company_size"] = p.T("form.invalid")
	}
	value := 0.0
	if f.Value != "" {
		var msg string
		if value, msg = amountField(p.locale, f.Value); msg != "" {
			f.Errors["estimated_value"] = msg
		}
	}
	if f.Status != p.Lead.Status && !slices.Contains(p.Targets, f.Status) {
		f.Errors["status"] = p.T("status.not_allowed")
	}
	return f, map[string]any{"score": score, "segment": f.Segment, "company_size": f.Size, "interest": f.Interest, "estimated_value": value, "status": f.Status}
}

// saveQualification records the call report (if any) as an internal
// activity and updates the lead, through the rule-checked write path, in
// one transaction. The report comes first: it is written while the lead
// is still in the pool, where the prospecting team may write, whatever
// the status the update then moves the lead to. A lead made ready is
// distributed once this transaction committed (distribution.LeadUpdated).
func (h *handlers) saveQualification(e *core.RequestEvent, id string, body map[string]any, report string) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		if report != "" {
			if _, err := writepath.CreateFor(tx, access.ByRequest(e), "activities", map[string]any{
				"lead": id, "kind": "call", "summary": report, "at": h.now().UTC(), "internal": true,
			}); err != nil {
				return renamedField(err, "summary", "report") // the report is the activity's summary
			}
		}
		_, err := writepath.UpdateFor(tx, access.ByRequest(e), "leads", id, body)
		return err
	})
}
