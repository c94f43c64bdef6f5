package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/api"
	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
)

// opportunityPage is one opportunity: its facts, the stage form for those
// who may update it, and the validation of a pending win for those who
// decide.
type opportunityPage struct {
	*page
	Opp         oppView
	Conflicts   []conflictView // internal roles: the registration's conflicts
	CanUpdate   bool
	CanValidate bool
	Stages      []string
	Form        stageForm
	Validate    decideForm
}

// stageForm moves an opportunity (won needs an amount, lost a reason).
type stageForm struct {
	Stage, Amount, CloseDate, LostReason string
	Errors                               map[string]string
}

// stageFields are the stage form's fields by the field a domain error
// names.
var stageFields = map[string]string{"stage": "stage", "amount": "amount", "close_date": "close_date", "deal_lost_reason": "lost_reason"}

// showOpportunity renders an opportunity the user may view; anything else
// is a 404 that says nothing about it.
func (h *handlers) showOpportunity(e *core.RequestEvent) error {
	p, err := h.opportunityPage(e, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "opportunity", p)
}

func (h *handlers) opportunityPage(e *core.RequestEvent, id string) (*opportunityPage, error) {
	s := sess(e)
	rec, err := access.ViewFor(e.App, s.user, "opportunities", id)
	if err != nil {
		return nil, err
	}
	views, err := h.oppViews(s, []*core.Record{rec})
	if err != nil {
		return nil, err
	}
	p := &opportunityPage{page: h.page(e, "opportunities", ""), Opp: views[0], Stages: deals.Stages()}
	p.Title = p.Opp.Title()
	p.Form = stageForm{Stage: p.Opp.Stage}
	if p.Opp.Registration == "pending" || p.Opp.Registration == "rejected" {
		p.Active = "registrations"
	}
	if s.kind == "internal" {
		if p.Conflicts, err = h.conflictViews(s, p.Opp.Conflicts); err != nil {
			return nil, err
		}
	}
	if p.CanUpdate, err = access.CanDo(e.App, s.user, rec, "update", map[string]any{}); err != nil {
		return nil, err
	}
	p.CanUpdate = p.CanUpdate && (p.Opp.Registration == "" || p.Opp.Registration == "approved")
	p.CanValidate = s.caps.DecideDeals && p.CanUpdate && p.Opp.WonPending
	return p, nil
}

// moveStage changes the stage of an opportunity (deals.MoveStage, the
// same operation as POST /api/prm/opportunities/{id}/stage): a win above
// the validation amount by a partner waits for a validator.
func (h *handlers) moveStage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	p, err := h.opportunityPage(e, id)
	if err != nil {
		return err
	}
	if !p.CanUpdate {
		return errNotFound
	}
	val := func(k string) string { return strings.TrimSpace(e.Request.FormValue(k)) }
	f := stageForm{Stage: val("stage"), Amount: val("amount"), CloseDate: val("close_date"), LostReason: val("lost_reason"), Errors: map[string]string{}}
	in := deals.StageInput{Stage: f.Stage, CloseDate: f.CloseDate, LostReason: f.LostReason}
	if f.Amount != "" {
		amount, msg := amountField(p.locale, f.Amount)
		if msg != "" {
			f.Errors["amount"] = msg
		}
		in.Amount = &amount
	}
	var outcome deals.Outcome
	if len(f.Errors) == 0 {
		_, outcome, err = deals.MoveStage(e.App, access.ByRequest(e), id, in)
		var de *domain.Error
		if err != nil && !errors.As(err, &de) {
			return err
		}
		if de != nil {
			de = renamedErr(de, "lost_reason", "deal_lost_reason")
			f.Errors[formField(de, stageFields, "stage")] = p.Err(de)
		}
	}
	if len(f.Errors) > 0 {
		p.Form = f
		return h.render(e, htmlStatusInvalid, "opportunity", p)
	}
	flash := "deals.stage_saved"
	if outcome == deals.Pending {
		flash = "deals.win_pending_flash"
	}
	return h.done(e, "/opportunities/"+id, flash, h.reloadOpportunity(e, id))
}

// reloadOpportunity reads the opportunity page again after a change.
func (h *handlers) reloadOpportunity(e *core.RequestEvent, id string) func() (viewData, string, error) {
	return func() (viewData, string, error) {
		p, err := h.opportunityPage(e, id)
		return p, "opportunity", err
	}
}

// validateWin decides a pending win (deals.ValidateWin): approve, or
// refuse with a note the partner reads.
func (h *handlers) validateWin(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	approve := e.Request.FormValue("approve") == "1"
	note := strings.TrimSpace(e.Request.FormValue("note"))
	_, err := deals.ValidateWin(e.App, access.ByRequest(e), id, approve, note)
	var de *domain.Error
	if err != nil && !errors.As(err, &de) {
		return err
	}
	if de == nil {
		flash := "deals.win_refused"
		if approve {
			flash = "deals.win_validated"
		}
		return h.done(e, "/opportunities/"+id, flash, h.reloadOpportunity(e, id))
	}
	p, err := h.opportunityPage(e, id)
	if err != nil {
		return err
	}
	p.Validate = decideForm{ID: id, Reason: note, Error: p.Err(renamedErr(de, "note", "win_note"))}
	return h.render(e, api.HTTPStatus(de), "opportunity", p)
}

// renamedErr is de with its field renamed from → to (for the message of a
// form field that shares its name with another form's).
func renamedErr(de *domain.Error, from, to string) *domain.Error {
	if de.Field != from {
		return de
	}
	return &domain.Error{Code: de.Code, Kind: de.Kind, Message: de.Message, Field: to}
}

// leadDeal is the opportunity block of the lead page: the lead's
// opportunity when the user may see it, else whether they may open one.
type leadDeal struct {
	ID, Title string
	CanOpen   bool
	Error     string
}

// leadDealOf returns the opportunity block of a lead (nil: none for this
// role or this lead): opening needs a worked lead and a role that creates
// opportunities (deals.OpportunityFromLead checks again).
func (h *handlers) leadDealOf(s *session, lead leadView) (*leadDeal, error) {
	if !s.caps.Deals {
		return nil, nil
	}
	// its id and title only: no total, none of the names oppViews adds
	recs, _, err := access.ListFor(h.app, s.user, "opportunities", access.ListQuery{Where: dbx.HashExp{"opportunities.lead": lead.ID}, PerPage: 1})
	if err != nil && !errors.Is(err, domain.ErrForbidden) {
		return nil, err
	}
	if len(recs) > 0 {
		v := newOppView(s, recs[0])
		return &leadDeal{ID: v.ID, Title: v.Title()}, nil
	}
	if s.caps.OpenDeal && lifecycle.Worked(lead.Status) {
		return &leadDeal{CanOpen: true}, nil
	}
	return nil, nil
}

// openOpportunity opens the opportunity of a worked lead from its page
// (deals.OpportunityFromLead, the same as POST
// /api/prm/leads/{id}/opportunity) and shows it.
func (h *handlers) openOpportunity(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	rec, err := deals.OpportunityFromLead(e.App, access.ByRequest(e), id, deals.OpportunityInput{})
	var de *domain.Error
	if err != nil && !errors.As(err, &de) {
		return err
	}
	if de == nil {
		if isHX(e) {
			e.Response.Header().Set("HX-Redirect", "/opportunities/"+rec.Id)
			return e.NoContent(http.StatusNoContent)
		}
		return e.Redirect(http.StatusSeeOther, "/opportunities/"+rec.Id)
	}
	p, perr := h.leadPage(e, id)
	if perr != nil {
		return perr
	}
	if p.Deal == nil {
		p.Deal = &leadDeal{}
	}
	p.Deal.Error = p.Err(de)
	return h.render(e, api.HTTPStatus(de), "lead", p)
}
