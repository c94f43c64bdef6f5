package ui

import (
	"net/http"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
)

// conflictsPageSize is how many held leads the conflicts list shows a page.
const conflictsPageSize = 50

// conflictsPage lists the leads held as channel conflicts that the user
// may read (their territories for a channel manager), oldest first, each
// linking to its page where it is arbitrated.
type conflictsPage struct {
	*page
	Leads       []leadView
	Total       int
	Page, Pages int
	Prev, Next  string
}

// conflicts renders the list of held leads (GET /conflicts?page=N).
func (h *handlers) conflicts(e *core.RequestEvent) error {
	s := sess(e)
	p := &conflictsPage{page: h.page(e, "conflicts", "arbit.list_title")}
	p.Page, _ = strconv.Atoi(e.Request.URL.Query().Get("page"))
	p.Page = max(p.Page, 1)
	recs, res, err := access.ListFor(h.app, s.user, "leads", access.ListQuery{Where: dbx.HashExp{"leads.held": true}, Sort: "created",
		Page: p.Page, PerPage: conflictsPageSize, Count: true})
	if err != nil {
		return err
	}
	if res != nil {
		p.Total, p.Pages = res.TotalItems, res.TotalPages
	}
	if p.Leads, err = h.leadViews(s, recs); err != nil {
		return err
	}
	if err := h.nameConflictPartners(s, p.Leads); err != nil {
		return err
	}
	if p.Page > 1 {
		p.Prev = "/conflicts?page=" + strconv.Itoa(p.Page-1)
	}
	if p.Page < p.Pages {
		p.Next = "/conflicts?page=" + strconv.Itoa(p.Page+1)
	}
	return h.render(e, http.StatusOK, "conflicts", p)
}
