package ui

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/writepath"
)

// partnerKinds and partnerTiers are the values of the partners' kind and
// tier fields.
var (
	partnerKinds = []string{"installer", "reseller", "distributor", "integrator", "referrer"}
	partnerTiers = []string{"pilot", "standard", "strategic"}
)

// partnerForm is the partner form's values (dates as YYYY-MM-DD).
type partnerForm struct {
	ID, Name, SIREN, Kind, Tier, ContractEnd, NotifyEmail, Capacity string
	Territories                                                     []string
}

// partnerFormPage creates (ID empty) or edits a partner. Contract is
// false when the user may not change the contract fields (kind, tier,
// territories, capacity, contract end): they are shown read-only.
type partnerFormPage struct {
	*page
	Form        partnerForm
	Kinds       []string
	Tiers       []string
	Territories []option
	Contract    bool
	Error       string
	Field       string
}

func (h *handlers) partnerFormPage(e *core.RequestEvent, title string) (*partnerFormPage, error) {
	p := &partnerFormPage{page: h.page(e, "partners", title), Kinds: partnerKinds, Tiers: partnerTiers, Contract: true}
	var err error
	p.Territories, err = listOptions(e, "territories")
	return p, err
}

// newPartner renders the empty partner form (partners create).
func (h *handlers) newPartner(e *core.RequestEvent) error {
	p, err := h.partnerFormPage(e, "partner_form.new")
	if err != nil {
		return err
	}
	p.Form = partnerForm{Kind: "installer", Tier: "standard", Capacity: "20"}
	return h.render(e, http.StatusOK, "partner_form", p)
}

// createPartner creates a partner through the write path (the partners
// CreateRule, the audit entry) and opens its page.
func (h *handlers) createPartner(e *core.RequestEvent) error {
	p, err := h.partnerFormPage(e, "partner_form.new")
	if err != nil {
		return err
	}
	f := readPartnerForm(e)
	body, err := partnerBody(f, nil)
	if err == nil {
		body["status"] = "active"
		var rec *core.Record
		if rec, err = writepath.CreateFor(e.App, access.ByRequest(e), "partners", body); err == nil {
			setFlash(e, "flash.partner_saved")
			return e.Redirect(http.StatusSeeOther, "/partners/"+rec.Id)
		}
	}
	p.Form = f
	return h.partnerFormError(e, p, err)
}

// editPartner renders the form of a partner the user may update.
func (h *handlers) editPartner(e *core.RequestEvent) error {
	rec, p, err := h.partnerToEdit(e)
	if err != nil {
		return err
	}
	p.Form = partnerFormOf(rec)
	return h.render(e, http.StatusOK, "partner_form", p)
}

// updatePartner saves the changed fields of a partner through the write
// path (the partners UpdateRule: a channel manager changes the name,
// SIREN and notification e-mail of its territories' partners, not their
// contract).
func (h *handlers) updatePartner(e *core.RequestEvent) error {
	rec, p, err := h.partnerToEdit(e)
	if err != nil {
		return err
	}
	f := readPartnerForm(e)
	f.ID = rec.Id
	body, err := partnerBody(f, rec)
	if err == nil && len(body) > 0 {
		_, err = writepath.UpdateFor(e.App, access.ByRequest(e), "partners", rec.Id, body)
	}
	if err == nil {
		setFlash(e, "flash.partner_saved")
		return e.Redirect(http.StatusSeeOther, "/partners/"+rec.Id)
	}
	p.Form = f
	return h.partnerFormError(e, p, err)
}

// partnerToEdit loads a partner the user may view and update (404 / 403
// otherwise) and its form page.
func (h *handlers) partnerToEdit(e *core.RequestEvent) (*core.Record, *partnerFormPage, error) {
	s := sess(e)
	rec, err := access.ViewFor(e.App, s.user, "partners", e.Request.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	ok, err := access.CanDo(e.App, s.user, rec, "update", map[string]any{"name": rec.GetString("name")})
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, errForbidden
	}
	p, err := h.partnerFormPage(e, "")
	if err != nil {
		return nil, nil, err
	}
	p.Title = p.T("partner_form.edit", "Name", rec.GetString("name"))
	if p.Contract, err = access.CanDo(e.App, s.user, rec, "update", map[string]any{"tier": rec.GetString("tier")}); err != nil {
		return nil, nil, err
	}
	return rec, p, nil
}

// partnerFormError re-renders the form with a domain error; other errors
// are returned.
func (h *handlers) partnerFormError(e *core.RequestEvent, p *partnerFormPage, err error) error {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err
	}
	p.Error, p.Field = p.Err(de), de.Field
	return h.render(e, formStatus(de), "partner_form", p)
}

// readPartnerForm reads the submitted form; a contract field left out
// (read-only for the user) stays nil-equivalent: "-" marks it absent.
func readPartnerForm(e *core.RequestEvent) partnerForm {
	_ = e.Request.ParseForm()
	get := func(k string) string {
		if _, ok := e.Request.PostForm[k]; !ok {
			return "-"
		}
		return strings.TrimSpace(e.Request.PostForm.Get(k))
	}
	f := partnerForm{
		Name: get("name"), SIREN: get("siren"), NotifyEmail: get("notify_email"),
		Kind: get("kind"), Tier: get("tier"), Capacity: get("capacity"), ContractEnd: get("contract_end"),
		Territories: e.Request.PostForm["territories"],
	}
	if _, ok := e.Request.PostForm["territories_sent"]; !ok {
		f.Territories = nil
	}
	return f
}

// partnerFormOf fills the form from a partner.
func partnerFormOf(rec *core.Record) partnerForm {
	f := partnerForm{
		ID: rec.Id, Name: rec.GetString("name"), SIREN: rec.GetString("siren"), Kind: rec.GetString("kind"), Tier: rec.GetString("tier"),
		NotifyEmail: rec.GetString("notify_email"), Capacity: strconv.Itoa(rec.GetInt("capacity")), Territories: rec.GetStringSlice("territories"),
	}
	if d := rec.GetDateTime("contract_end"); !d.IsZero() {
		f.ContractEnd = parisDay(d.Time())
	}
	return f
}

// parisDay is the YYYY-MM-DD day of t in Paris time.
func parisDay(t time.Time) string {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		t = t.In(loc)
	}
	return t.Format("2006-01-02")
}

// partnerBody is the record body of the form: every field on create, the
// changed ones on update (cur: the stored partner). Fields marked absent
// ("-") are not sent.
func partnerBody(f partnerForm, cur *core.Record) (map[string]any, error) {
	body := map[string]any{}
	set := func(k, v string) {
		if v != "-" && (cur == nil || cur.GetString(k) != v) {
			body[k] = v
		}
	}
	set("name", f.Name)
	set("kind", f.Kind)
	set("tier", f.Tier)
	set("notify_email", f.NotifyEmail)
	if f.SIREN != "-" && f.SIREN != "" {
		siren, err := dedup.NormalizeSIREN(f.SIREN)
		if err != nil || len(siren) != 9 {
			return nil, domain.Invalid("siren", "siren", "a SIREN has 9 digits")
		}
		f.SIREN = siren
	}
	set("siren", f.SIREN)
	if f.Capacity != "-" {
		n, err := strconv.Atoi(f.Capacity)
		if err != nil || n < 0 {
			return nil, domain.Invalid("validation_invalid_number", "capacity", "the capacity is a number of open leads")
		}
		if cur == nil || cur.GetInt("capacity") != n {
			body["capacity"] = n
		}
	}
	if f.ContractEnd != "-" {
		if err := setContractEnd(body, f.ContractEnd, cur); err != nil {
			return nil, err
		}
	}
	if f.Territories != nil || cur == nil {
		have := []string{}
		if cur != nil {
			have = slices.Clone(cur.GetStringSlice("territories"))
		}
		want := append([]string{}, f.Territories...)
		slices.Sort(have)
		slices.Sort(want)
		if cur == nil || !slices.Equal(have, want) {
			body["territories"] = want
		}
	}
	return body, nil
}

// setContractEnd sets the contract end of a body from a YYYY-MM-DD day
// (empty: none) when it changed.
func setContractEnd(body map[string]any, day string, cur *core.Record) error {
	if day == "" {
		if cur == nil || !cur.GetDateTime("contract_end").IsZero() {
			body["contract_end"] = ""
		}
		return nil
	}
	t, err := endOfDay(day)
	if err != nil {
		return domain.Invalid("validation_invalid_date", "contract_end", "invalid date")
	}
	if cur == nil || cur.GetDateTime("contract_end").IsZero() || parisDay(cur.GetDateTime("contract_end").Time()) != day {
		body["contract_end"] = t.UTC()
	}
	return nil
}
