package ui

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/roles"
)

// inboxPage is the partner inbox: the open offers of the user (a
// salesperson) or of the company (a partner manager), soonest deadline first.
type inboxPage struct {
	*page
	Offers     []offerCard
	Colleagues []option // partner managers may dispatch when accepting
}

// offerCard is one offer of the inbox; also the fragment swapped in place
// by accept and decline.
type offerCard struct {
	*page
	Lead       leadView
	Colleagues []option
	State      string // open | accepted | declined | closed
	Contact    *contactView
	Error      string
	Reasons    []option
}

// inbox lists the offers (leads in status offered) the user may see.
func (h *handlers) inbox(e *core.RequestEvent) error {
	s := sess(e)
	p := &inboxPage{page: h.page(e, "inbox", "inbox.title")}
	settings, err := access.LoadSettings(e.App)
	if err != nil {
		return err
	}
	recs, _, err := access.ListFor(e.App, s.user, "leads", access.ListQuery{
		Where: dbx.HashExp{"leads.status": "offered"}, Sort: "accept_by", PerPage: settings.PartnerPageCap,
	})
	if err != nil {
		return err
	}
	// the colleagues first: the assignees' names are among them
	if p.Colleagues, err = h.colleagues(s); err != nil {
		return err
	}
	leads, err := h.leadViews(s, recs)
	if err != nil {
		return err
	}
	for _, l := range leads {
		p.Offers = append(p.Offers, h.offerCard(p.page, l, p.Colleagues))
	}
	return h.render(e, http.StatusOK, "inbox", p)
}

func (h *handlers) offerCard(p *page, l leadView, colleagues []option) offerCard {
	return offerCard{page: p, Lead: l, Colleagues: colleagues, State: "open", Reasons: declineReasons(p)}
}

// colleagues lists the active users of a partner manager's company (the
// users rules decide who is listed); nil for other roles.
func (h *handlers) colleagues(s *session) ([]option, error) {
	if s.role != roles.PartnerManager {
		return nil, nil
	}
	if list, ok := s.memo.colleaguesList(); ok {
		return list, nil
	}
	recs, _, err := access.ListFor(h.app, s.user, "users", access.ListQuery{
		Where: dbx.HashExp{"users.partner": s.user.GetString("partner"), "users.active": true}, Sort: "name", PerPage: access.MaxPerPage,
	})
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(recs))
	for _, r := range recs {
		out = append(out, option{Value: r.Id, Label: r.GetString("name")})
		s.memo.setName("users", r.Id, r.GetString("name")) // read through the read path: names() may reuse it
	}
	s.memo.setColleagues(out)
	return out, nil
}
