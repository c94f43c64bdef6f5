package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// leadsPage lists the leads the user may see ("my leads" for partners),
// with a status filter and pages.
type leadsPage struct {
	*page
	Leads    []leadView
	Status   string
	Statuses []string
	// listNav: the search, sort, total and pager; All and StatusLinks
	// keep the search.
	listNav
	All         string
	StatusLinks []statusLink
	// Partner filters the list on one partner (its page links here).
	Partner, PartnerName string
}

// statusLink is one status chip of the leads list.
type statusLink struct {
	Status string
	URL    string
}

// listLeads shows exactly what GET /api/collections/leads/records would
// list for the user (same ListRule), newest activity first.
func (h *handlers) listLeads(e *core.RequestEvent) error {
	s := sess(e)
	p := &leadsPage{page: h.page(e, "leads", "leads.title"), listNav: listNav{PageNo: pageParam(e)}}
	if s.kind == "partner" {
		p.Title = p.T("leads.title_partner")
	}
	statuses, err := leadStatusesOf(e.App, s)
	if err != nil {
		return err
	}
	p.Statuses = statuses
	perPage, err := leadsPerPage(e.App, s)
	if err != nil {
		return err
	}
	q := access.ListQuery{Sort: leadSorts[""], Page: p.PageNo, PerPage: perPage, Count: true}
	if st := e.Request.URL.Query().Get("sort"); st != "" && leadSorts[st] != "" {
		p.Sort, q.Sort = st, leadSorts[st]
	}
	where := []dbx.Expression{}
	if st := e.Request.URL.Query().Get("status"); slices.Contains(p.Statuses, st) {
		p.Status = st
		where = append(where, dbx.HashExp{"leads.status": st})
	}
	p.Q = strings.TrimSpace(e.Request.URL.Query().Get("q"))
	if err := h.leadPartnerFilter(e, p, &where); err != nil {
		return err
	}
	search, err := newLeadSearch(e.App, s.user, p.Q)
	if err != nil {
		return err
	}
	others := slices.Clone(where)
	if search != nil {
		cond, err := search.where(e.App, p.Sort == "", perPage)
		if err != nil {
			return err
		}
		where = append(where, cond)
		q.Count = false
	}
	if len(where) > 0 {
		q.Where = dbx.And(where...)
	}
	recs, res, err := access.ListFor(e.App, s.user, "leads", q)
	if err != nil {
		return err
	}
	total := res.TotalItems
	if search != nil {
		if total, err = search.total(e.App, s.user, others, p.PageNo, res.PerPage, len(recs)); err != nil {
			return err
		}
	}
	if p.Leads, err = h.leadViews(s, recs); err != nil {
		return err
	}
	state := listState{Path: "/leads", Q: p.Q, Status: p.Status, Sort: p.Sort, Partner: p.Partner}
	p.All, p.StatusLinks = statusLinks(state, p.Statuses)
	p.fill(state, []string{"company", "city", "score"}, total, res.PerPage)
	return h.render(e, http.StatusOK, "leads", p)
}

// leadStatusesOf are the status filters of the user's leads list: the
// statuses the role can see (policy.LeadStatusesFor, from its kind and its
// read level on leads in the matrix).
func leadStatusesOf(app core.App, s *session) ([]string, error) {
	m, err := access.SharedMatrix(app)
	if err != nil {
		return nil, err
	}
	return policy.LeadStatusesFor(roles.Kind(s.kind), m.Cell(s.role, "leads").Read), nil
}

// leadsPerPage is the partner page cap of the settings for partner roles
// (SPEC §3.3.7), 50 for others.
func leadsPerPage(app core.App, s *session) (int, error) {
	if s.kind == "partner" {
		settings, err := access.LoadSettings(app)
		return settings.PartnerPageCap, err
	}
	return 50, nil
}
