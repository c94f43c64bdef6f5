package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/roles"
)

// leadPage is the lead page: the lead, its contact (once the rules allow
// it), activities, and the forms the user may use.
type leadPage struct {
	*page
	Lead        leadView
	Contact     *contactView
	Activities  []activityView
	Offers      []offerView
	Terms       []termsView
	Targets     []string // statuses the user may move the lead to
	CanUpdate   bool
	CanQualify  bool
	CanLog      bool
	CanAccept   bool
	CanICS      bool // the meeting's .ics is offered (agenda.go)
	Colleagues  []option
	Form        activityForm
	StatusForm  statusForm
	Qualify     qualifyForm
	Segments    []string
	Sizes       []string
	ActKinds    []string
	StatusError string
	Reassign    *reassignForm    // lead_reassign.go
	Deal        *leadDeal        // the lead's opportunity (opportunity.go)
	Arbitration *arbitrationView // lead_arbitrate.go
}

// activityView is one activity of a lead. Recording is the activity's id
// when it carries a call recording the user may play (internal roles).
type activityView struct {
	Kind, Summary, Outcome, Author string
	At                             types.DateTime
	Internal                       bool
	Recording                      string
}

// offerView is one offer of the lead's history (internal roles).
type offerView struct {
	Partner, Outcome, Reason string
	ReasonCode, ReasonNote   string
	OfferedAt, DecidedAt     types.DateTime
}

// termsView is a deal terms record (only roles whose rules reach it).
type termsView struct {
	Margin, Discount, Price float64
	Conditions              string
}

// showLead renders a lead the user may view; anything else is a 404 that
// says nothing about the lead.
func (h *handlers) showLead(e *core.RequestEvent) error {
	p, err := h.leadPage(e, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "lead", p)
}

func (h *handlers) leadPage(e *core.RequestEvent, id string) (*leadPage, error) {
	s := sess(e)
	rec, err := access.ViewFor(e.App, s.user, "leads", id)
	if err != nil {
		return nil, err
	}
	// a partner manager's page lists the colleagues (the dispatch form of
	// an entrusted lead, the accept form of an offer): list them first, the
	// assignee's and the authors' names are among them (page memo)
	if st := rec.GetString("status"); s.role == roles.PartnerManager && (lifecycle.Entrusted(st) || st == "offered") {
		if _, err := h.colleagues(s); err != nil {
			return nil, err
		}
	}
	views, err := h.leadViews(s, []*core.Record{rec})
	if err != nil {
		return nil, err
	}
	active := "leads"
	if s.kind == "partner" && rec.GetString("status") == "offered" {
		active = "inbox"
	}
	p := &leadPage{
		page: h.page(e, active, ""), Lead: views[0],
		Segments: segments, Sizes: companySizes, ActKinds: activityKinds,
	}
	p.Title = p.LeadName(p.Lead)
	if contactReadable(s, p.Lead.Status) {
		if p.Contact, err = h.contactOf(s, id); err != nil {
			return nil, err
		}
	}
	if p.Activities, err = h.activitiesOf(s, id); err != nil {
		return nil, err
	}
	if p.CanUpdate, err = access.CanDo(e.App, s.user, rec, "update", map[string]any{}); err != nil {
		return nil, err
	}
	if p.CanUpdate {
		p.Targets = lifecycle.Targets(s.role, roles.Kind(s.kind), p.Lead.Status)
		p.CanQualify = s.kind == "internal" && s.caps.Pool && lifecycle.InPool(p.Lead.Status) && p.Lead.PartnerID == ""
	}
	if p.Reassign, err = h.reassignFormFor(s, p.Lead, p.CanUpdate); err != nil {
		return nil, err
	}
	// after the reassign form: the offers' partners are among the partners it listed
	if s.kind == "internal" {
		if p.Offers, err = h.offersOf(s, id); err != nil {
			return nil, err
		}
		if p.Terms, err = h.termsOf(s, id); err != nil {
			return nil, err
		}
	}
	if p.Deal, err = h.leadDealOf(s, p.Lead); err != nil {
		return nil, err
	}
	if p.Arbitration, err = h.arbitrationFor(s, p.Lead); err != nil {
		return nil, err
	}
	p.CanLog = s.caps.LogActivity
	p.CanAccept = s.kind == "partner" && p.Lead.Status == "offered"
	p.CanICS = canDownloadMeeting(s.kind, p.Lead)
	if p.CanAccept {
		if p.Colleagues, err = h.colleagues(s); err != nil {
			return nil, err
		}
	}
	p.Form = activityForm{Kind: "call"}
	p.Qualify = qualifyFormOf(p.Lead)
	return p, nil
}

func (h *handlers) activitiesOf(s *session, leadID string) ([]activityView, error) {
	recs, _, err := access.ListFor(h.app, s.user, "activities", access.ListQuery{Where: dbx.HashExp{"activities.lead": leadID}, Sort: "-at,-created", PerPage: 100})
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
	out := make([]activityView, 0, len(recs))
	for _, r := range recs {
		v := activityView{
			Kind: r.GetString("kind"), Summary: r.GetString("summary"), Outcome: r.GetString("outcome"),
			Author: names[r.GetString("author")], At: r.GetDateTime("at"), Internal: r.GetBool("internal"),
		}
		if r.GetString("recording") != "" && access.MayDownloadHidden(h.app, s.user, r, "recording") {
			v.Recording = r.Id
		}
		out = append(out, v)
	}
	return out, nil
}

func (h *handlers) offersOf(s *session, leadID string) ([]offerView, error) {
	recs, _, err := access.ListFor(h.app, s.user, "lead_offers", access.ListQuery{Where: dbx.HashExp{"lead_offers.lead": leadID}, Sort: "-created", PerPage: 50})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var pids []string
	for _, r := range recs {
		pids = append(pids, r.GetString("partner"))
	}
	names, err := h.names(s, "partners", pids)
	if err != nil {
		return nil, err
	}
	out := make([]offerView, 0, len(recs))
	for _, r := range recs {
		out = append(out, offerView{
			Partner: names[r.GetString("partner")], Outcome: r.GetString("outcome"), Reason: r.GetString("reason"),
			ReasonCode: r.GetString("reason_code"), ReasonNote: r.GetString("reason_note"),
			OfferedAt: r.GetDateTime("offered_at"), DecidedAt: r.GetDateTime("decided_at"),
		})
	}
	return out, nil
}

func (h *handlers) termsOf(s *session, leadID string) ([]termsView, error) {
	recs, _, err := access.ListFor(h.app, s.user, "deal_terms", access.ListQuery{Where: dbx.HashExp{"deal_terms.lead": leadID}, PerPage: 10})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]termsView, 0, len(recs))
	for _, r := range recs {
		out = append(out, termsView{Margin: r.GetFloat("margin_pct"), Discount: r.GetFloat("discount_pct"), Price: r.GetFloat("purchase_price"), Conditions: r.GetString("conditions")})
	}
	return out, nil
}

// Value lists of the schema shown in forms.
var (
	segments      = []string{"residential", "farm", "business", "industry", "public", "collective"}
	companySizes  = []string{"1", "2-9", "10-49", "50-249", "250+"}
	activityKinds = []string{"call", "meeting", "visit", "note", "email"}
)
