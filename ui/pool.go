package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/lifecycle"
)

// poolPerPage is the page size of the pool.
const poolPerPage = 50

// poolSorts are the sorts of the pool; "" is the newest first.
var poolSorts = map[string]string{
	"": "-created", "created": "created", "-created": "-created",
	"company": "company,-created", "-company": "-company,-created",
	"city": "city,-created", "-city": "-city,-created",
	"score": "score,-created", "-score": "-score,-created",
}

// poolPage is the central pool of unassigned leads for the prospecting
// team, to be qualified on the lead page: searched (company, town, postal
// code, SIREN, a contact's e-mail or name), filtered by status, sorted
// and paged.
type poolPage struct {
	*page
	Leads       []leadView
	Status      string
	Statuses    []string
	Threshold   int
	All         string
	StatusLinks []statusLink
	listNav
}

// pool lists the unassigned pool leads the user may see, newest first.
func (h *handlers) pool(e *core.RequestEvent) error {
	p, err := h.poolPage(e)
	if err != nil {
		return err
	}
	return h.render(e, http.StatusOK, "pool", p)
}

// poolPage builds the pool page of the request's user.
func (h *handlers) poolPage(e *core.RequestEvent) (*poolPage, error) {
	s := sess(e)
	qv := e.Request.URL.Query()
	settings, err := access.LoadSettings(e.App)
	if err != nil {
		return nil, err
	}
	p := &poolPage{page: h.page(e, "pool", "pool.title"), Statuses: lifecycle.PoolStatuses(), Threshold: settings.ScoreThreshold,
		listNav: listNav{PageNo: pageParam(e), Q: strings.TrimSpace(qv.Get("q"))}}
	statuses := []any{}
	for _, st := range lifecycle.PoolStatuses() {
		statuses = append(statuses, st)
	}
	if st := qv.Get("status"); slices.Contains(lifecycle.PoolStatuses(), st) {
		p.Status = st
		statuses = []any{st}
	}
	if _, ok := poolSorts[qv.Get("sort")]; ok {
		p.Sort = qv.Get("sort")
	}
	where := []dbx.Expression{dbx.In("leads.status", statuses...), dbx.HashExp{"leads.partner": ""}}
	search, err := newLeadSearch(e.App, s.user, p.Q)
	if err != nil {
		return nil, err
	}
	others := slices.Clone(where)
	if search != nil {
		cond, err := search.where(e.App, p.Sort == "", poolPerPage)
		if err != nil {
			return nil, err
		}
		where = append(where, cond)
	}
	q := access.ListQuery{Where: dbx.And(where...), Sort: poolSorts[p.Sort], Page: p.PageNo, PerPage: poolPerPage, Count: search == nil}
	recs, res, err := access.ListFor(e.App, s.user, "leads", q)
	if err != nil {
		return nil, err
	}
	total := res.TotalItems
	if search != nil {
		if total, err = search.total(e.App, s.user, others, p.PageNo, res.PerPage, len(recs)); err != nil {
			return nil, err
		}
	}
	if p.Leads, err = h.leadViews(s, recs); err != nil {
		return nil, err
	}
	state := listState{Path: "/pool", Q: p.Q, Status: p.Status, Sort: p.Sort}
	p.All, p.StatusLinks = statusLinks(state, p.Statuses)
	p.fill(state, []string{"company", "city", "score", "created"}, total, res.PerPage)
	return p, nil
}
