package ui

import (
	"errors"
	"net/http"
	"slices"
	"sort"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
)

// boardPage is the channel manager's distribution board: ready leads to
// assign, offers waiting for an answer with their time left, recent
// declines and expiries, and the conflicts queue to arbitrate. Everything
// comes through the read path, so a manager sees their territories only.
type boardPage struct {
	*page
	Ready        []boardLead
	Pending      []leadView
	Answers      []answerView
	Conflicts    []boardLead
	HasConflicts bool
	AssignError  string
	AssignLead   string
}

// boardLead is a lead with the partners it can be assigned to.
type boardLead struct {
	Lead     leadView
	Partners []partnerChoice
}

// partnerChoice is a partner in the assign select, with its load and
// acceptance rate.
type partnerChoice struct {
	ID, Name           string
	Open, Capacity     int
	Accepted, Answered int
	Serves             bool
	Territories        []string
}

// answerView is a declined or expired offer; Lead is empty when the user
// may not see the lead.
type answerView struct {
	LeadID, Partner, Outcome, Reason string
	ReasonCode, ReasonNote           string
	Lead                             leadView
	DecidedAt                        types.DateTime
}

// board renders the distribution board.
func (h *handlers) board(e *core.RequestEvent) error {
	p, err := h.boardPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "board", p)
}

func (h *handlers) boardPage(e *core.RequestEvent) (*boardPage, error) {
	s := sess(e)
	p := &boardPage{page: h.page(e, "board", "board.title")}
	partners, err := h.activePartners(s)
	if err != nil {
		return nil, err
	}
	ready := dbx.And(dbx.HashExp{"leads.status": "ready", "leads.partner": ""})
	p.HasConflicts = h.hasField("leads", "held")
	if p.HasConflicts {
		ready = dbx.And(ready, dbx.HashExp{"leads.held": false})
	}
	recs, _, err := access.ListFor(e.App, s.user, "leads", access.ListQuery{Where: ready, Sort: "-score,created", PerPage: 50})
	if err != nil {
		return nil, err
	}
	leads, err := h.leadViews(s, recs)
	if err != nil {
		return nil, err
	}
	for _, l := range leads {
		p.Ready = append(p.Ready, boardLead{Lead: l, Partners: choicesFor(l, partners)})
	}
	recs, _, err = access.ListFor(e.App, s.user, "leads", access.ListQuery{Where: dbx.HashExp{"leads.status": "offered"}, Sort: "accept_by", PerPage: 50})
	if err != nil {
		return nil, err
	}
	if p.Pending, err = h.leadViews(s, recs); err != nil {
		return nil, err
	}
	if p.Answers, err = h.recentAnswers(s); err != nil {
		return nil, err
	}
	if p.HasConflicts {
		recs, _, err = access.ListFor(e.App, s.user, "leads", access.ListQuery{Where: dbx.HashExp{"leads.held": true}, Sort: "created", PerPage: 50})
		if err != nil {
			return nil, err
		}
		leads, err := h.leadViews(s, recs)
		if err != nil {
			return nil, err
		}
		pn, err := h.names(s, "partners", conflictPartners(leads))
		if err != nil {
			return nil, err
		}
		for _, l := range leads {
			l.ConflictPartner = pn[l.ConflictPartner]
			p.Conflicts = append(p.Conflicts, boardLead{Lead: l, Partners: choicesFor(l, partners)})
		}
	}
	return p, nil
}

func conflictPartners(leads []leadView) []string {
	var ids []string
	for _, l := range leads {
		ids = append(ids, l.ConflictPartner)
	}
	return ids
}

// activePartners lists the active partners the user may see with their
// territories, open load and offer answers.
func (h *handlers) activePartners(s *session) ([]partnerChoice, error) {
	recs, _, err := access.ListFor(h.app, s.user, "partners", access.ListQuery{Where: dbx.HashExp{"partners.status": "active"}, Sort: "name", PerPage: access.MaxPerPage})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.Id)
	}
	stats, err := h.partnerStats(ids)
	if err != nil {
		return nil, err
	}
	out := make([]partnerChoice, 0, len(recs))
	for _, r := range recs {
		st := stats[r.Id]
		out = append(out, partnerChoice{ID: r.Id, Name: r.GetString("name"), Capacity: r.GetInt("capacity"),
			Open: st.open, Accepted: st.accepted, Answered: st.answered, Territories: r.GetStringSlice("territories")})
	}
	return out, nil
}

// choicesFor orders the partners for a lead: those serving its territory
// first (the others only when none does), least loaded first.
func choicesFor(l leadView, all []partnerChoice) []partnerChoice {
	var serving []partnerChoice
	for _, c := range all {
		if slices.Contains(c.Territories, l.TerritoryID) {
			c.Serves = true
			serving = append(serving, c)
		}
	}
	if len(serving) == 0 {
		serving = append(serving, all...)
	}
	sort.SliceStable(serving, func(i, j int) bool { return serving[i].Open < serving[j].Open })
	return serving
}

// partnerLoad is the open load and offer answers of a partner.
type partnerLoad struct {
	open, accepted, answered int
}

// partnerStats counts, for partners the user may already see, their open
// leads and their answered offers. These are aggregates over all of a
// partner's leads (its load against its capacity, as the distribution
// engine sees it); no lead record is read or shown.
func (h *handlers) partnerStats(ids []string) (map[string]partnerLoad, error) {
	out := map[string]partnerLoad{}
	if len(ids) == 0 {
		return out, nil
	}
	in := make([]any, 0, len(ids))
	for _, id := range ids {
		in = append(in, id)
	}
	open := make([]any, 0, 4)
	for _, st := range lifecycle.EntrustedStatuses() {
		open = append(open, st)
	}
	var loads []struct {
		Partner string `db:"partner"`
		N       int    `db:"n"`
	}
	err := h.app.DB().Select("partner", "COUNT(*) AS n").From("leads").
		Where(dbx.And(dbx.In("partner", in...), dbx.In("status", open...))).GroupBy("partner").All(&loads)
	if err != nil {
		return nil, err
	}
	for _, l := range loads {
		st := out[l.Partner]
		st.open = l.N
		out[l.Partner] = st
	}
	var answers []struct {
		Partner  string `db:"partner"`
		Accepted int    `db:"accepted"`
		Answered int    `db:"answered"`
	}
	err = h.app.DB().Select("partner", "SUM(outcome = 'accepted') AS accepted", "COUNT(*) AS answered").From("lead_offers").
		Where(dbx.And(dbx.In("partner", in...), dbx.In("outcome", "accepted", "declined", "expired"))).GroupBy("partner").All(&answers)
	if err != nil {
		return nil, err
	}
	for _, a := range answers {
		st := out[a.Partner]
		st.accepted, st.answered = a.Accepted, a.Answered
		out[a.Partner] = st
	}
	return out, nil
}

// recentAnswers lists the latest declined and expired offers the user may
// see.
func (h *handlers) recentAnswers(s *session) ([]answerView, error) {
	recs, _, err := access.ListFor(h.app, s.user, "lead_offers", access.ListQuery{
		Where: dbx.In("lead_offers.outcome", "declined", "expired"), Sort: "-decided_at", PerPage: 20,
	})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var lids, pids []string
	for _, r := range recs {
		lids = append(lids, r.GetString("lead"))
		pids = append(pids, r.GetString("partner"))
	}
	pn, err := h.names(s, "partners", pids)
	if err != nil {
		return nil, err
	}
	leads, err := h.visibleLeads(s, lids)
	if err != nil {
		return nil, err
	}
	out := make([]answerView, 0, len(recs))
	for _, r := range recs {
		out = append(out, answerView{LeadID: r.GetString("lead"), Lead: leads[r.GetString("lead")], Partner: pn[r.GetString("partner")],
			Outcome: r.GetString("outcome"), Reason: r.GetString("reason"), ReasonCode: r.GetString("reason_code"), ReasonNote: r.GetString("reason_note"),
			DecidedAt: r.GetDateTime("decided_at")})
	}
	return out, nil
}

// visibleLeads maps lead ids to their views, for the leads the user may
// see.
func (h *handlers) visibleLeads(s *session, ids []string) (map[string]leadView, error) {
	out := map[string]leadView{}
	var in []any
	for _, id := range ids {
		if id != "" {
			in = append(in, id)
		}
	}
	if len(in) == 0 {
		return out, nil
	}
	recs, _, err := access.ListFor(h.app, s.user, "leads", access.ListQuery{Where: dbx.In("leads.id", in...), PerPage: access.MaxPerPage})
	if err != nil {
		return nil, err
	}
	views, err := h.leadViews(s, recs)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		out[v.ID] = v
	}
	return out, nil
}
