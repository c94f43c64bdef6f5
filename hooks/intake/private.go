package intake

import (
	"database/sql"
	"errors"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/privacy"
)

// Private customers (SPEC §3.3.3): a person's name is a contact detail, so
// it lives only in lead_contacts, whose rules show it to a partner once
// that partner has accepted the lead. A private customer's lead carries
// the flag `private` and an empty `company`: a filter or a sort on
// `company` has nothing to find, realtime and expand carry nothing, and
// every text built from the lead (notifications, e-mails, pages) shows a
// neutral label instead. This file keeps that true on every save, whatever
// the path (GuardPrivateLead), and renders the label in API responses
// (LabelPrivate).

// Messages of the company checks (API style: English, field-named).
const (
	msgCompanyRequired = "company is required (for a private customer, set private to true and put the name in the lead's contact)"
	msgPrivateName     = "this lead is a private customer's: its name is a contact detail, so leave company empty and put the name in the lead's contact (lead_contacts); set private to false for a business"
)

// GuardPrivateLead decides the `private` flag of a lead being saved and
// keeps names out of `company`:
//
//   - a lead is private when flagged so, residential, or when its company
//     names a person (privacy.IsPrivate; on an update that changes the
//     company, also when it equals the contact's name);
//   - a lead that is not private needs a company;
//   - a private lead's company must be empty: a label written back by a
//     client (for the lead's place, before or after this write) is emptied, a name sent in this write is refused (nothing is
//     stored), and a company stored before the lead became private (its
//     segment changed to residential) moves to the contact, in the same
//     transaction.
func GuardPrivateLead(e *core.RecordEvent) error {
	rec := e.Record
	company := strings.TrimSpace(rec.GetString("company"))
	changed := rec.IsNew() || company != strings.TrimSpace(rec.Original().GetString("company"))
	lead := privacy.Lead{Company: company, Segment: rec.GetString("segment"), Private: rec.GetBool("private")}
	private := privacy.IsPrivate(lead)
	if !private && company != "" && changed && !rec.IsNew() {
		ct, err := leadContact(e.App, rec.Id)
		if err != nil {
			return err
		}
		if ct != nil {
			lead.FirstName, lead.LastName = ct.GetString("first_name"), ct.GetString("last_name")
			private = privacy.IsPrivate(lead)
		}
	}
	rec.Set("private", private)
	switch {
	case !private && company == "":
		return validation.Errors{"company": validation.NewError("validation_required", msgCompanyRequired)}
	case !private:
		return e.Next()
	case privacy.IsLabel(company, rec.GetString("city"), rec.GetString("department")) ||
		privacy.IsLabel(company, rec.Original().GetString("city"), rec.Original().GetString("department")):
		rec.Set("company", "")
		return e.Next()
	case changed:
		return validation.Errors{"company": validation.NewError("private_customer_name", msgPrivateName)}
	}
	rec.Set("company", "")
	app := e.App
	err := app.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		return keepNameInContact(tx, rec.Id, company)
	})
	e.App = app
	return err
}

// leadContact returns the contact of a lead (nil when it has none). It is
// the lead hooks' own read, never shown to anyone.
func leadContact(app core.App, leadID string) (*core.Record, error) {
	ct, err := app.FindFirstRecordByData("lead_contacts", "lead", leadID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return ct, err
}

// keepNameInContact moves what a private lead's company said into its
// contact (privacy.Keep), creating the contact when the lead has none.
func keepNameInContact(tx core.App, leadID, company string) error {
	ct, err := leadContact(tx, leadID)
	if err != nil {
		return err
	}
	if ct == nil {
		c, err := tx.FindCachedCollectionByNameOrId("lead_contacts")
		if err != nil {
			return err
		}
		ct = core.NewRecord(c)
		ct.Set("lead", leadID)
	}
	kept, changed := privacy.Keep(company, privacy.Contact{
		FirstName: ct.GetString("first_name"), LastName: ct.GetString("last_name"), Title: ct.GetString("title"),
	})
	if !changed {
		return nil
	}
	ct.Set("last_name", cut(kept.LastName, 100))
	ct.Set("title", kept.Title)
	return tx.Save(ct)
}

// cut shortens s to n runes.
func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// LeadName names a lead in the texts stored once for every reader
// (notifications, e-mail subjects, opportunity names): its company, or the
// bilingual noun for a private customer.
func LeadName(lead *core.Record) string {
	if lead.GetBool("private") {
		return privacy.BilingualNoun
	}
	return lead.GetString("company")
}

// LabelPrivate shows a private customer's lead to auth (nil for a guest)
// with the neutral label in the reader's language instead of its (empty)
// company: an API response, an expand, a realtime message, an export row.
// Rendering over an empty stored value: the label holds no secret.
func LabelPrivate(auth, lead *core.Record) {
	if lead.GetBool("private") {
		lead.Set("company", privacy.Label(localeOf(auth), lead.GetString("city"), lead.GetString("department")))
	}
}

// localeOf is the language of a user ("fr" unless they chose "en").
func localeOf(u *core.Record) string {
	if u != nil && u.Collection().Name == "users" && u.GetString("locale") == "en" {
		return "en"
	}
	return "fr"
}
