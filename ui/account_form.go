package ui

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/writepath"
)

// accountForm is the form that creates or edits an account.
type accountForm struct {
	Name, SIREN, PostalCode, City, Segment string
	Errors                                 map[string]string
	// Matches are the records the account shares a duplicate key with,
	// as the user may learn of them (deals.AccountMatches); Confirm asks
	// to create it anyway (a duplicate of a visible account only);
	// Refused says that the rules refused it (a customer entrusted to a
	// partner: the channel manager arbitrates).
	Matches []matchView
	Confirm bool
	Refused bool
}

// matchView is a duplicate shown on the account form.
type matchView struct {
	Kind, Name, URL, PartnerName, KeyKind, Key string
	Visible, Entrusted                         bool
}

// accountNewPage is the page of the new account form.
type accountNewPage struct {
	*page
	Form     accountForm
	Segments []string
}

// accountFields maps the record fields of an account to its form fields.
var accountFields = map[string]string{"name": "name", "siren": "siren", "postal_code": "postal_code", "city": "city", "segment": "segment"}

func accountFormOf(r *core.Record) accountForm {
	return accountForm{Name: r.GetString("name"), SIREN: r.GetString("siren"), PostalCode: r.GetString("postal_code"),
		City: r.GetString("city"), Segment: r.GetString("segment")}
}

// readAccountForm reads and checks the account form: the form with its
// field errors, and the record fields to write when it has none. A SIRET
// is stored as its SIREN.
func readAccountForm(e *core.RequestEvent, l *locale) (accountForm, map[string]any) {
	v := func(k string) string { return strings.TrimSpace(e.Request.FormValue(k)) }
	f := accountForm{Name: v("name"), SIREN: v("siren"), PostalCode: v("postal_code"), City: v("city"), Segment: v("segment"), Errors: map[string]string{}}
	if f.Name == "" {
		f.Errors["name"] = l.T("form.required")
	}
	if f.SIREN != "" {
		siren, err := dedup.NormalizeSIREN(f.SIREN)
		if err != nil {
			f.Errors["siren"] = l.T("acct.siren_invalid")
		} else {
			f.SIREN = siren
		}
	}
	if f.Segment != "" && !slices.Contains(segments, f.Segment) {
		f.Errors["segment"] = l.T("form.invalid")
	}
	return f, map[string]any{"name": f.Name, "siren": f.SIREN, "postal_code": f.PostalCode, "city": f.City, "segment": f.Segment}
}

// newAccount shows the empty account form.
func (h *handlers) newAccount(e *core.RequestEvent) error {
	if !sess(e).caps.CreateAccounts {
		return errNotFound
	}
	p := &accountNewPage{page: h.page(e, "accounts", "acct.new_title"), Segments: segments}
	return h.render(e, http.StatusOK, "account_new", p)
}

// createAccount creates an account through the rule-checked write path
// (writepath.CreateFor: the CreateRule, the owner, the channel conflict
// check). Before writing, the records it shares a duplicate key with are
// shown (which record, on which key) and a duplicate of an account the
// user sees must be confirmed; a customer entrusted to another partner is
// refused for internal users.
func (h *handlers) createAccount(e *core.RequestEvent) error {
	s := sess(e)
	if !s.caps.CreateAccounts {
		return errNotFound
	}
	p := &accountNewPage{page: h.page(e, "accounts", "acct.new_title"), Segments: segments}
	f, body := readAccountForm(e, p.locale)
	p.Form = f
	if len(f.Errors) > 0 {
		return h.render(e, htmlStatusInvalid, "account_new", p)
	}
	if s.kind == "partner" {
		// a partner's account belongs to its company: the CreateRule
		// reads the partner of the submitted record
		body["partner"] = s.user.GetString("partner")
	}
	draft, err := h.accountDraft(s, body)
	if err != nil {
		return err
	}
	matches, err := deals.AccountMatches(e.App, s.user, draft)
	if err != nil {
		return err
	}
	if p.Form.Matches, err = h.matchViews(s, matches); err != nil {
		return err
	}
	if hasVisibleAccount(matches) && e.Request.FormValue("confirm") != "1" {
		p.Form.Confirm = true
		return h.render(e, htmlStatusInvalid, "account_new", p)
	}
	rec, err := writepath.CreateFor(e.App, access.ByRequest(e), "accounts", body)
	if err != nil {
		if ok := accountWriteError(p.locale, &p.Form, err); !ok {
			return err
		}
		return h.render(e, htmlStatusInvalid, "account_new", p)
	}
	setFlash(e, "flash.account_created")
	return e.Redirect(http.StatusSeeOther, "/accounts/"+rec.Id)
}

// saveAccount edits an account through the rule-checked write path
// (writepath.UpdateFor: the UpdateRule, the channel conflict check).
func (h *handlers) saveAccount(e *core.RequestEvent) error {
	s := sess(e)
	id := e.Request.PathValue("id")
	p, err := h.accountPage(e, id)
	if err != nil {
		return err
	}
	if !p.CanEdit {
		return errNotFound
	}
	f, body := readAccountForm(e, p.locale)
	p.Edit = f
	if len(f.Errors) == 0 {
		_, err := writepath.UpdateFor(e.App, access.ByRequest(e), "accounts", id, body)
		if err == nil {
			setFlash(e, "flash.account_saved")
			return e.Redirect(http.StatusSeeOther, "/accounts/"+id)
		}
		if ok := accountWriteError(p.locale, &p.Edit, err); !ok {
			return err
		}
		if p.Edit.Refused {
			if p.Edit.Matches, err = h.editMatches(s, id, body); err != nil {
				return err
			}
		}
	}
	return h.render(e, htmlStatusInvalid, "account", p)
}

// editMatches are the matches of an account with the edited values.
func (h *handlers) editMatches(s *session, id string, body map[string]any) ([]matchView, error) {
	rec, err := access.ViewFor(h.app, s.user, "accounts", id)
	if err != nil {
		return nil, err
	}
	access.LoadBody(rec, body)
	matches, err := deals.AccountMatches(h.app, s.user, rec)
	if err != nil {
		return nil, err
	}
	return h.matchViews(s, matches)
}

// accountWriteError puts a refused write on the form: a field error, or
// the refusal of a customer entrusted to a partner. It reports false for
// an error that is not a domain error (the caller returns it).
func accountWriteError(l *locale, f *accountForm, err error) bool {
	var de *domain.Error
	if !errors.As(err, &de) {
		if errors.Is(err, domain.ErrForbidden) {
			f.Errors["form"] = l.T("acct.not_allowed")
			return true
		}
		return false
	}
	if de.Code == "account_entrusted" {
		f.Refused = true
		return true
	}
	f.Errors[formField(de, accountFields, "form")] = (&page{locale: l}).Err(de)
	return true
}

// accountDraft is the account the form would create, not saved, so that
// its matches are those of the account written.
func (h *handlers) accountDraft(s *session, body map[string]any) (*core.Record, error) {
	coll, err := h.app.FindCachedCollectionByNameOrId("accounts")
	if err != nil {
		return nil, err
	}
	rec := core.NewRecord(coll)
	access.LoadBody(rec, body)
	return rec, nil
}

// hasVisibleAccount reports whether a match is an account the user sees.
func hasVisibleAccount(ms []deals.AccountMatch) bool {
	for _, m := range ms {
		if m.Kind == "account" && m.Visible {
			return true
		}
	}
	return false
}

// matchViews names the matches for the page: a link to the records the
// user may open, the holding partner's name (read for the user).
func (h *handlers) matchViews(s *session, ms []deals.AccountMatch) ([]matchView, error) {
	var pids []string
	for _, m := range ms {
		pids = append(pids, m.Partner)
	}
	pn, err := h.names(s, "partners", pids)
	if err != nil {
		return nil, err
	}
	out := make([]matchView, 0, len(ms))
	for _, m := range ms {
		v := matchView{Kind: m.Kind, Name: m.Name, Visible: m.Visible, Entrusted: m.Entrusted, PartnerName: pn[m.Partner], KeyKind: m.KeyKind,
			Key: strings.ReplaceAll(m.Key, "|", " · ")}
		if m.Visible {
			switch m.Kind {
			case "account":
				v.URL = "/accounts/" + m.Record
			case "lead":
				v.URL = "/leads/" + m.Record
			}
		}
		out = append(out, v)
	}
	return out, nil
}
