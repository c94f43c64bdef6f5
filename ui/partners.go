package ui

import (
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// partnersPage lists the partners the user may see with their load.
type partnersPage struct {
	*page
	Partners []partnerRow
	Status   string
	// listNav: the search, sort, total and pager; All and StatusLinks
	// keep the search and sort.
	listNav
	All         string
	StatusLinks []statusLink
}

type partnerRow struct {
	ID, Name, Kind, Tier, Status string
	ContractEnd                  types.DateTime
	Capacity, Open               int
	Accepted, Answered           int
}

var partnerStatuses = []string{"active", "suspended", "ended"}

// partners lists the partners the user may see (what GET
// /api/collections/partners/records lists), searched, filtered by status,
// sorted and paged.
func (h *handlers) partners(e *core.RequestEvent) error {
	s := sess(e)
	query := e.Request.URL.Query()
	p := &partnersPage{page: h.page(e, "partners", "partners.title"), listNav: listNav{PageNo: pageParam(e)}}
	where := []dbx.Expression{}
	if st := query.Get("status"); st == "active" || st == "suspended" || st == "ended" {
		p.Status = st
		where = append(where, dbx.HashExp{"partners.status": st})
	}
	if st := query.Get("sort"); partnerSortable(st) {
		p.Sort = st
	}
	p.Q = strings.TrimSpace(query.Get("q"))
	search, err := partnerSearchWhere(e.App, s.user, p.Q)
	if err != nil {
		return err
	}
	if search != nil {
		where = append(where, search)
	}
	var cond dbx.Expression
	if len(where) > 0 {
		cond = dbx.And(where...)
	}
	res, err := h.listPartners(s.user, cond, p.Sort, p.PageNo)
	if err != nil {
		return err
	}
	for _, r := range res.recs {
		st := res.stats[r.Id]
		p.Partners = append(p.Partners, partnerRow{
			ID: r.Id, Name: r.GetString("name"), Kind: r.GetString("kind"), Tier: r.GetString("tier"), Status: r.GetString("status"),
			ContractEnd: r.GetDateTime("contract_end"), Capacity: r.GetInt("capacity"), Open: st.open, Accepted: st.accepted, Answered: st.answered,
		})
	}
	p.links(res.total)
	return h.render(e, http.StatusOK, "partners", p)
}

// links fills the total, pager, status and sort links of the page.
func (p *partnersPage) links(total int) {
	state := listState{Path: "/partners", Q: p.Q, Status: p.Status, Sort: p.Sort}
	p.All, p.StatusLinks = statusLinks(state, partnerStatuses)
	p.fill(state, []string{"name", "tier", "contract_end", "rate"}, total, partnersPerPage)
}
