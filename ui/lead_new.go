package ui

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/lifecycle"
)

// leadNewPage is the form of a lead taken from a phone call, and what
// became of the last one.
type leadNewPage struct {
	*page
	Form     leadForm
	Segments []string
	Sizes    []string
	Result   *leadResult
}

// leadForm is the phone-call form.
type leadForm struct {
	Company, SIRET, PostalCode, City, Segment, Size, Interest, Score, Value string
	FirstName, LastName, Title, Email, Phone                                string
	Private, Consent                                                        bool
	Errors                                                                  map[string]string
}

// leadResult tells what became of a lead just created: offered to a
// partner, held as a duplicate (of what kind of record, held by which
// partner when the user may read partners), waiting for a partner, or in
// the pool to qualify.
type leadResult struct {
	ID, Name, Outcome string // offered | held | waiting | pool
	Partner           string // the partner it is offered to
	ConflictKind      string
	ConflictPartner   string
	CanOpen           bool // the user may still open the lead
}

// leadFormFields maps the ingest's field names to the form's.
var leadFormFields = map[string]string{
	"company": "company", "siret": "siret", "postal_code": "postal_code", "city": "city", "segment": "segment",
	"company_size": "company_size", "interest": "interest", "score": "score", "estimated_value": "estimated_value",
	"contact.first_name": "first_name", "contact.last_name": "last_name", "contact.title": "title",
	"contact.email": "email", "contact.phone": "phone",
}

func (h *handlers) leadNewPage(e *core.RequestEvent) *leadNewPage {
	return &leadNewPage{page: h.page(e, "lead_new", "leadnew.title"), Segments: segments, Sizes: companySizes, Form: leadForm{Errors: map[string]string{}}}
}

// newLead shows the phone-call form.
func (h *handlers) newLead(e *core.RequestEvent) error {
	return h.render(e, http.StatusOK, "lead_new", h.leadNewPage(e))
}

// createLead creates the lead of a phone call through the intake of the
// REST API (intake.Intake.Ingest: département and territory, duplicate
// check and conflict hold, ready at the score threshold), offers a ready
// lead in the same transaction (distribution.AtIngest, as POST
// /api/prm/leads/ingest does) and says what became of it, with an empty form for the next call.
func (h *handlers) createLead(e *core.RequestEvent) error {
	s := sess(e)
	if !intake.MayIngest(e.App, s.user) {
		return errNotFound
	}
	p := h.leadNewPage(e)
	f, in := readLeadForm(e, p.locale)
	if len(f.Errors) > 0 {
		p.Form = f
		return h.render(e, htmlStatusInvalid, "lead_new", p)
	}
	it, err := intake.NewIntake(e.App)
	if err != nil {
		return err
	}
	it.DistributeReady(distribution.AtIngest{})
	res, err := it.Ingest(e.App, audit.ActorOf(e), s.user, in)
	var de *domain.Error
	if errors.As(err, &de) {
		f.Errors[formField(de, leadFormFields, "form")] = p.Err(de)
		p.Form = f
		return h.render(e, htmlStatusInvalid, "lead_new", p)
	}
	if err != nil {
		return err
	}
	lead := res.Lead
	if res.DistributionErr != nil {
		// the lead is stored, ready: the distribution job offers it
		e.App.Logger().Error("distribution of a phone lead failed", "lead", lead.Id, "error", res.DistributionErr)
	}
	if p.Result, err = h.leadResultOf(s, lead, res.Held); err != nil {
		return err
	}
	return h.render(e, http.StatusCreated, "lead_new", p)
}

// leadResultOf reads what became of a lead just created.
func (h *handlers) leadResultOf(s *session, lead *core.Record, held bool) (*leadResult, error) {
	r := &leadResult{ID: lead.Id, Name: lead.GetString("company")}
	if lead.GetBool("private") {
		r.Name = "" // the page shows a neutral label: the name stays in the contact
	}
	switch {
	case held:
		r.Outcome = "held"
		r.ConflictKind = lead.GetString("conflict_kind")
		pn, err := h.names(s, "partners", []string{lead.GetString("conflict_partner")})
		if err != nil {
			return nil, err
		}
		r.ConflictPartner = pn[lead.GetString("conflict_partner")]
	case lead.GetString("status") == lifecycle.StatusReady:
		out, err := distribution.OutcomeOf(h.app, lead.Id)
		if err != nil {
			return nil, err
		}
		r.Outcome, r.Partner = "waiting", ""
		if out.Offered {
			r.Outcome, r.Partner = "offered", out.PartnerName
		}
	default:
		r.Outcome = "pool"
	}
	_, err := access.ViewFor(h.app, s.user, "leads", lead.Id)
	switch {
	case err == nil:
		r.CanOpen = true
	case !errors.Is(err, domain.ErrNotVisible):
		return nil, err
	}
	return r, nil
}

// readLeadForm reads the phone-call form into an ingest input (source
// phone); the checks are the intake's, but for the numbers the form
// reads itself.
func readLeadForm(e *core.RequestEvent, l *locale) (leadForm, intake.IngestInput) {
	v := func(k string) string { return strings.TrimSpace(e.Request.FormValue(k)) }
	f := leadForm{
		Company: v("company"), SIRET: v("siret"), PostalCode: v("postal_code"), City: v("city"), Segment: v("segment"),
		Size: v("company_size"), Interest: v("interest"), Score: v("score"), Value: v("estimated_value"),
		FirstName: v("first_name"), LastName: v("last_name"), Title: v("title"), Email: v("email"), Phone: v("phone"),
		Private: e.Request.FormValue("private") == "1", Consent: e.Request.FormValue("consent") == "1", Errors: map[string]string{},
	}
	in := intake.IngestInput{
		Company: f.Company, SIRET: f.SIRET, PostalCode: f.PostalCode, City: f.City, Segment: f.Segment, CompanySize: f.Size,
		Interest: f.Interest, Source: "phone", Private: f.Private, Consent: f.Consent,
		Contact: &intake.ContactInput{FirstName: f.FirstName, LastName: f.LastName, Title: f.Title, Email: f.Email, Phone: f.Phone},
	}
	if f.PostalCode == "" {
		f.Errors["postal_code"] = l.T("form.required")
	}
	if f.Segment != "" && !slices.Contains(segments, f.Segment) {
		f.Errors["segment"] = l.T("form.invalid")
	}
	if f.Score != "" {
		n, err := strconv.Atoi(f.Score)
		if err != nil || n < 0 || n > 100 {
			f.Errors["score"] = l.T("qualify.score_range")
		}
		in.Score = &n
	}
	if f.Value != "" {
		var msg string
		if in.EstimatedValue, msg = amountField(l, f.Value); msg != "" {
			f.Errors["estimated_value"] = msg
		}
	}
	return f, in
}
