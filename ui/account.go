package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
)

// accountPage is a customer account: its facts, contacts, leads,
// opportunities and activities, all read for the user through the
// rule-aware read path, and the forms the user may use (edit, add a
// contact, open an opportunity).
type accountPage struct {
	*page
	Account       accountRow
	TerritoryName string
	Contacts      []accountContact
	Leads         []leadView
	Opps          []oppRow
	Activities    []accountActivity
	Segments      []string
	Stages        []string
	// CanEdit: the UpdateRule lets the user change the account.
	CanEdit bool
	Edit    accountForm
	// CanAddContact, CanAddOpp: the matrix lets the role create contacts,
	// opportunities (internal roles: the partners' deal registration has
	// its own page); the CreateRule decides on submit.
	CanAddContact bool
	Contact       contactForm
	CanAddOpp     bool
	Opp           oppForm
}

// accountContact is one contact of an account.
type accountContact struct {
	Name, Title, Email, Phone string
}

// accountActivity is one activity of the account's leads and
// opportunities.
type accountActivity struct {
	Kind, Summary, Outcome, Author string
	At                             types.DateTime
	Internal                       bool
}

// oppStages are the stages an opportunity opened from an account may start
// in (the stage machine refuses the others).
var oppStages = []string{"prospecting", "qualified", "proposal", "negotiation"}

// showAccount renders an account the user may view; anything else is a 404
// that says nothing about the account.
func (h *handlers) showAccount(e *core.RequestEvent) error {
	p, err := h.accountPage(e, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "account", p)
}

// accountPage reads the account and what hangs from it, for the user.
func (h *handlers) accountPage(e *core.RequestEvent, id string) (*accountPage, error) {
	s := sess(e)
	rec, err := access.ViewFor(e.App, s.user, "accounts", id)
	if err != nil {
		return nil, err
	}
	rows, err := h.accountRows(s, []*core.Record{rec})
	if err != nil {
		return nil, err
	}
	p := &accountPage{page: h.page(e, "accounts", ""), Account: rows[0], Segments: segments, Stages: oppStages}
	p.Title = p.Account.Name
	tn, err := h.names(s, "territories", []string{rec.GetString("territory")})
	if err != nil {
		return nil, err
	}
	p.TerritoryName = tn[rec.GetString("territory")]
	if p.CanEdit, err = access.CanDo(e.App, s.user, rec, "update", nil); err != nil {
		return nil, err
	}
	p.Edit = accountFormOf(rec)
	cells, err := h.roleCells(s)
	if err != nil {
		return nil, err
	}
	p.CanAddContact = cells["contacts"]
	p.CanAddOpp = cells["opportunities"] && s.kind == "internal"
	if p.Contacts, err = h.accountContacts(s, id); err != nil {
		return nil, err
	}
	if p.Opps, err = h.oppRows(s, dbx.HashExp{"opportunities.account": id}, "-created", 100); err != nil {
		return nil, err
	}
	if p.Leads, err = h.accountLeads(s, rec, p.Opps); err != nil {
		return nil, err
	}
	if p.Activities, err = h.accountActivities(s, p.Opps, p.Leads); err != nil {
		return nil, err
	}
	return p, nil
}

// roleCells reports, per resource, whether the user's role may create
// records of it (the matrix).
func (h *handlers) roleCells(s *session) (map[string]bool, error) {
	m, err := access.CachedMatrix(h.app)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, res := range []string{"contacts", "opportunities"} {
		out[res] = m.Cell(s.role, res).Create
	}
	return out, nil
}

// accountContacts lists the contacts of an account the user may list.
func (h *handlers) accountContacts(s *session, id string) ([]accountContact, error) {
	recs, _, err := access.ListFor(h.app, s.user, "contacts", access.ListQuery{Where: dbx.HashExp{"contacts.account": id}, Sort: "last_name,first_name", PerPage: 100})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]accountContact, 0, len(recs))
	for _, r := range recs {
		out = append(out, accountContact{
			Name:  strings.TrimSpace(r.GetString("first_name") + " " + r.GetString("last_name")),
			Title: r.GetString("title"), Email: r.GetString("email"), Phone: r.GetString("phone"),
		})
	}
	return out, nil
}

// accountLeads lists the leads of an account that the user may list: the
// leads its opportunities came from, and the leads of the same customer
// (its name and postal code, or for internal roles its SIREN).
func (h *handlers) accountLeads(s *session, rec *core.Record, opps []oppRow) ([]leadView, error) {
	or := []dbx.Expression{}
	var ids []any
	for _, o := range opps {
		if o.LeadID != "" {
			ids = append(ids, o.LeadID)
		}
	}
	if len(ids) > 0 {
		or = append(or, dbx.In("leads.id", ids...))
	}
	// the SIRET is an internal lead field (access.InternalLeadFields): a
	// partner's page never matches on it, it would tell its value
	if siren := rec.GetString("siren"); len(siren) == 9 && s.kind == "internal" {
		or = append(or, dbx.NewExp("leads.siret LIKE {:siren}", dbx.Params{"siren": siren + "%"}))
	}
	if name, pc := rec.GetString("name"), rec.GetString("postal_code"); name != "" && pc != "" {
		or = append(or, dbx.HashExp{"leads.company": name, "leads.postal_code": pc})
	}
	if len(or) == 0 {
		return nil, nil
	}
	recs, _, err := access.ListFor(h.app, s.user, "leads", access.ListQuery{Where: dbx.Or(or...), Sort: "-updated", PerPage: 50})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return h.leadViews(s, recs)
}

// accountActivities lists the latest activities of the account's
// opportunities and leads that the user may list.
func (h *handlers) accountActivities(s *session, opps []oppRow, leads []leadView) ([]accountActivity, error) {
	var oids, lids []any
	for _, o := range opps {
		oids = append(oids, o.ID)
	}
	for _, l := range leads {
		lids = append(lids, l.ID)
	}
	or := []dbx.Expression{}
	if len(oids) > 0 {
		or = append(or, dbx.In("activities.opportunity", oids...))
	}
	if len(lids) > 0 {
		or = append(or, dbx.In("activities.lead", lids...))
	}
	if len(or) == 0 {
		return nil, nil
	}
	recs, _, err := access.ListFor(h.app, s.user, "activities", access.ListQuery{Where: dbx.Or(or...), Sort: "-at,-created", PerPage: 50})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var authors []string
	for _, r := range recs {
		authors = append(authors, r.GetString("author"))
	}
	names, err := h.names(s, "users", authors)
	if err != nil {
		return nil, err
	}
	out := make([]accountActivity, 0, len(recs))
	for _, r := range recs {
		out = append(out, accountActivity{Kind: r.GetString("kind"), Summary: r.GetString("summary"), Outcome: r.GetString("outcome"),
			Author: names[r.GetString("author")], At: r.GetDateTime("at"), Internal: r.GetBool("internal")})
	}
	return out, nil
}
