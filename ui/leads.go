package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/lifecycle"
)

// leadsPage lists the leads the user may see ("my leads" for partners),
// with a status filter and pages.
type leadsPage struct {
	*page
	Leads    []leadView
	Status   string
	Statuses []string
	PageNo   int
	Prev     string
	Next     string
}

// listLeads shows exactly what GET /api/collections/leads/records would
// list for the user (same ListRule), newest activity first.
func (h *handlers) listLeads(e *core.RequestEvent) error {
	s := sess(e)
	p := &leadsPage{page: h.page(e, "leads", "leads.title"), Statuses: lifecycle.Statuses(), PageNo: pageParam(e)}
	if s.kind == "partner" {
		p.Title = p.T("leads.title_partner")
	}
	perPage, err := leadsPerPage(e.App, s)
	if err != nil {
		return err
	}
	q := access.ListQuery{Sort: "-updated,-created", Page: p.PageNo, PerPage: perPage}
	if st := e.Request.URL.Query().Get("status"); lifecycle.Valid(st) {
		p.Status = st
		q.Where = dbx.HashExp{"leads.status": st}
	}
	recs, _, err := access.ListFor(e.App, s.user, "leads", q)
	if err != nil {
		return err
	}
	if p.Leads, err = h.leadViews(s, recs); err != nil {
		return err
	}
	link := func(page int) string {
		v := url.Values{}
		if p.Status != "" {
			v.Set("status", p.Status)
		}
		v.Set("page", strconv.Itoa(page))
		return "/leads?" + v.Encode()
	}
	if p.PageNo > 1 {
		p.Prev = link(p.PageNo - 1)
	}
	if len(recs) == q.PerPage {
		p.Next = link(p.PageNo + 1)
	}
	return h.render(e, http.StatusOK, "leads", p)
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
