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
)

// registrationsPage is the deal registration page: for a partner, the
// "Register a deal" form and its company's (or, for a salesperson, its
// own) registrations; for a channel manager or an admin, the queue of
// registrations to decide, each beside the records it conflicts with.
type registrationsPage struct {
	*page
	Form  regForm
	Mine  []oppView
	Queue []queueItem
	// Decide holds the reject form of one queue item after a refusal.
	Decide decideForm
}

// regForm is the "Register a deal" form; Need is the opportunity's name
// (what the customer wants).
type regForm struct {
	Company, SIRET, PostalCode, Email, Amount, CloseDate, Need string
	Errors                                                     map[string]string
}

// decideForm is the reject form of a queue item with its error.
type decideForm struct {
	ID, Reason, Error string
}

// regFields are the form fields by the registration field a domain error
// names.
var regFields = map[string]string{
	"company": "company", "siret": "siret", "postal_code": "postal_code", "city": "postal_code", "email": "email",
	"amount": "amount", "close_date": "close_date", "name": "need",
}

// registrations renders the registration page of the user's role.
func (h *handlers) registrations(e *core.RequestEvent) error {
	p, err := h.registrationsPage(e, regForm{})
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "registrations", p)
}

func (h *handlers) registrationsPage(e *core.RequestEvent, f regForm) (*registrationsPage, error) {
	s := sess(e)
	p := &registrationsPage{page: h.page(e, "registrations", "deals.registrations.title"), Form: f}
	var err error
	if s.caps.DecideDeals {
		p.Queue, err = h.registrationQueue(s)
		return p, err
	}
	p.Mine, _, err = h.listOpps(s, dbx.NewExp("opportunities.registration_status != ''"), "-created", access.MaxPerPage)
	return p, err
}

// registerDeal submits the "Register a deal" form: every field's error at
// once (deals.CheckRegistration), then deals.RegisterDeal, the same
// operation as POST /api/prm/registrations. The answer never depends on
// what the conflict check found.
func (h *handlers) registerDeal(e *core.RequestEvent) error {
	s := sess(e)
	if s.kind != "partner" {
		return errNotFound
	}
	val := func(k string) string { return strings.TrimSpace(e.Request.FormValue(k)) }
	f := regForm{Company: val("company"), SIRET: val("siret"), PostalCode: val("postal_code"), Email: val("email"),
		Amount: val("amount"), CloseDate: val("close_date"), Need: val("need"), Errors: map[string]string{}}
	l := h.i18n.locale(h.i18n.langFor(e.Request, s.user))
	in := deals.RegistrationInput{Company: f.Company, SIRET: f.SIRET, PostalCode: f.PostalCode, Email: f.Email, CloseDate: f.CloseDate, Name: f.Need}
	if f.Amount != "" {
		var msg string
		if in.Amount, msg = amountField(l, f.Amount); msg != "" {
			f.Errors["amount"] = msg
		}
	}
	pg := &page{locale: l}
	for _, de := range deals.CheckRegistration(in) {
		if k := formField(de, regFields, "company"); f.Errors[k] == "" {
			f.Errors[k] = pg.Err(de)
		}
	}
	if len(f.Errors) == 0 {
		if _, err := deals.RegisterDeal(e.App, access.ByRequest(e), in); err != nil {
			var de *domain.Error
			if !errors.As(err, &de) {
				return err
			}
			f.Errors[formField(de, regFields, "form")] = pg.Err(de)
		}
	}
	if len(f.Errors) > 0 {
		p, err := h.registrationsPage(e, f)
		if err != nil {
			return err
		}
		return h.render(e, htmlStatusInvalid, "registrations", p)
	}
	return h.done(e, "/registrations", "deals.registered", func() (viewData, string, error) {
		p, err := h.registrationsPage(e, regForm{})
		return p, "registrations", err
	})
}

// done answers a successful form post: a plain post is redirected with
// the flash message (no resubmission on reload), an htmx one gets the
// page (page) with it.
func (h *handlers) done(e *core.RequestEvent, to, flash string, page func() (viewData, string, error)) error {
	if !isHX(e) {
		setFlash(e, flash)
		return e.Redirect(http.StatusSeeOther, to)
	}
	p, view, err := page()
	if err != nil {
		return err
	}
	p.base().Flash = p.base().T(flash)
	return h.render(e, http.StatusOK, view, p)
}

// approveRegistration approves a registration of the queue
// (deals.ApproveRegistration: audited, the partner notified).
func (h *handlers) approveRegistration(e *core.RequestEvent) error {
	_, err := deals.ApproveRegistration(e.App, access.ByRequest(e), e.Request.PathValue("id"))
	return h.registrationDecided(e, err, "deals.approved", "")
}

// rejectRegistration rejects a registration of the queue with the reason
// the partner will read (deals.RejectRegistration).
func (h *handlers) rejectRegistration(e *core.RequestEvent) error {
	reason := strings.TrimSpace(e.Request.FormValue("reason"))
	_, err := deals.RejectRegistration(e.App, access.ByRequest(e), e.Request.PathValue("id"), reason)
	return h.registrationDecided(e, renamedField(err, "reason", "reject_reason"), "deals.rejected", reason)
}

// registrationDecided re-renders the queue after a decision, with the refusal next to
// its registration.
func (h *handlers) registrationDecided(e *core.RequestEvent, err error, flash, reason string) error {
	var de *domain.Error
	if err != nil && !errors.As(err, &de) {
		return err
	}
	if de == nil {
		return h.done(e, "/registrations", flash, func() (viewData, string, error) {
			p, err := h.registrationsPage(e, regForm{})
			return p, "registrations", err
		})
	}
	p, err := h.registrationsPage(e, regForm{})
	if err != nil {
		return err
	}
	p.Decide = decideForm{ID: e.Request.PathValue("id"), Reason: reason, Error: p.Err(de)}
	return h.render(e, api.HTTPStatus(de), "registrations", p)
}
