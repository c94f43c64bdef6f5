package ui

import (
	"net/http"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/lifecycle"
)

// poolPage is the central pool of unassigned leads for the prospecting
// team, to be qualified on the lead page.
type poolPage struct {
	*page
	Leads     []leadView
	Status    string
	Statuses  []string
	Threshold int
	PageNo    int
	Next      string
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
	settings, err := access.LoadSettings(e.App)
	if err != nil {
		return nil, err
	}
	p := &poolPage{page: h.page(e, "pool", "pool.title"), Statuses: lifecycle.PoolStatuses(), PageNo: pageParam(e),
		Threshold: settings.ScoreThreshold}
	statuses := []any{}
	for _, st := range lifecycle.PoolStatuses() {
		statuses = append(statuses, st)
	}
	if st := e.Request.URL.Query().Get("status"); slices.Contains(lifecycle.PoolStatuses(), st) {
		p.Status = st
		statuses = []any{st}
	}
	q := access.ListQuery{Where: dbx.And(dbx.In("leads.status", statuses...), dbx.HashExp{"leads.partner": ""}), Sort: "-created", Page: p.PageNo, PerPage: 50}
	recs, _, err := access.ListFor(e.App, s.user, "leads", q)
	if err != nil {
		return nil, err
	}
	if p.Leads, err = h.leadViews(s, recs); err != nil {
		return nil, err
	}
	if len(recs) == q.PerPage {
		p.Next = "?status=" + p.Status + "&page=" + itoa(p.PageNo+1)
	}
	return p, nil
}
