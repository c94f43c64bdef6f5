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

// contactForm adds a contact to an account.
type contactForm struct {
	FirstName, LastName, Title, Email, Phone string
	Errors                                   map[string]string
}

// oppForm opens an opportunity from an account.
type oppForm struct {
	Name, Stage, Amount, CloseDate string
	Errors                         map[string]string
}

// contactFields and oppFields map record fields to form fields.
var (
	contactFields = map[string]string{"first_name": "first_name", "last_name": "last_name", "title": "title", "email": "email", "phone": "phone"}
	oppFields     = map[string]string{"name": "name", "stage": "stage", "amount": "amount", "close_date": "close_date"}
)

// addContact adds a contact to an account through the rule-checked write
// path (the contacts' CreateRule reads the account's owner, partner or
// territory).
func (h *handlers) addContact(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	p, err := h.accountPage(e, id)
	if err != nil {
		return err
	}
	if !p.CanAddContact {
		return errNotFound
	}
	v := func(k string) string { return strings.TrimSpace(e.Request.FormValue(k)) }
	f := contactForm{FirstName: v("first_name"), LastName: v("last_name"), Title: v("title"), Email: v("email"), Phone: v("phone"), Errors: map[string]string{}}
	if f.FirstName == "" && f.LastName == "" {
		f.Errors["last_name"] = p.T("form.required")
	}
	if len(f.Errors) == 0 {
		body := map[string]any{"account": id, "first_name": f.FirstName, "last_name": f.LastName, "title": f.Title, "email": f.Email, "phone": f.Phone}
		_, err := writepath.CreateFor(e.App, access.ByRequest(e), "contacts", body)
		if err == nil {
			setFlash(e, "flash.contact_added")
			return e.Redirect(http.StatusSeeOther, "/accounts/"+id+"#contacts")
		}
		if !writeErrorOn(p.page, f.Errors, contactFields, err) {
			return err
		}
	}
	p.Contact = f
	return h.render(e, htmlStatusInvalid, "account", p)
}

// addOpportunity opens an opportunity on an account through the
// rule-checked write path (writepath.CreateFor → deals.PrepareOpportunity:
// the stage machine, the territory and company from the account).
func (h *handlers) addOpportunity(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	p, err := h.accountPage(e, id)
	if err != nil {
		return err
	}
	if !p.CanAddOpp {
		return errNotFound
	}
	v := func(k string) string { return strings.TrimSpace(e.Request.FormValue(k)) }
	f := oppForm{Name: v("name"), Stage: v("stage"), Amount: v("amount"), CloseDate: v("close_date"), Errors: map[string]string{}}
	body := map[string]any{"account": id, "name": f.Name, "stage": f.Stage}
	if f.Name == "" {
		body["name"] = p.Account.Name
	}
	if !slices.Contains(oppStages, f.Stage) {
		f.Errors["stage"] = p.T("form.invalid")
	}
	if f.Amount != "" {
		amount, msg := amountField(p.locale, f.Amount)
		if msg != "" {
			f.Errors["amount"] = msg
		}
		body["amount"] = amount
	}
	if f.CloseDate != "" {
		d, err := time.Parse(time.DateOnly, f.CloseDate)
		if err != nil {
			f.Errors["close_date"] = p.T("form.invalid_date")
		}
		body["close_date"] = d.UTC().Format("2006-01-02 15:04:05.000Z")
	}
	if len(f.Errors) == 0 {
		_, err := writepath.CreateFor(e.App, access.ByRequest(e), "opportunities", body)
		if err == nil {
			setFlash(e, "flash.opportunity_created")
			return e.Redirect(http.StatusSeeOther, "/accounts/"+id+"#opportunities")
		}
		if !writeErrorOn(p.page, f.Errors, oppFields, err) {
			return err
		}
	}
	p.Opp = f
	return h.render(e, htmlStatusInvalid, "account", p)
}

// writeErrorOn puts a refused write on a form's errors (by field, else on
// the whole form); false for an error that is not the user's.
func writeErrorOn(p *page, errs map[string]string, fields map[string]string, err error) bool {
	var de *domain.Error
	switch {
	case errors.As(err, &de):
		errs[formField(de, fields, "form")] = p.Err(de)
	case errors.Is(err, domain.ErrForbidden), errors.Is(err, domain.ErrNotVisible):
		errs["form"] = p.T("acct.not_allowed")
	default:
		return false
	}
	return true
}
