package ui

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/lifecycle"
)

// reassignPage lists the leads in progress (accepted, contacted, meeting)
// at partners that are no longer active (suspended, ended), for a channel
// manager to hand each to another partner; ?partner= keeps one partner's.
// The read path decides which leads the user sees (his territories).
type reassignPage struct {
	*page
	Leads    []leadView
	Partners []option
	Partner  string
}

// reassignList renders the leads to reassign.
func (h *handlers) reassignList(e *core.RequestEvent) error {
	s := sess(e)
	p := &reassignPage{page: h.page(e, "board", "reassign.list_title"), Partner: e.Request.URL.Query().Get("partner")}
	statuses := make([]any, 0, 3)
	for _, st := range lifecycle.PipelineStatuses() {
		statuses = append(statuses, st)
	}
	where := dbx.And(dbx.In("leads.status", statuses...), dbx.NewExp("leads.partner IN (SELECT id FROM partners WHERE status != 'active')"))
	if p.Partner != "" {
		where = dbx.And(where, dbx.HashExp{"leads.partner": p.Partner})
	}
	recs, _, err := access.ListFor(e.App, s.user, "leads", access.ListQuery{Where: where, Sort: "partner,created", PerPage: access.MaxPerPage})
	if err != nil {
		return err
	}
	if p.Leads, err = h.leadViews(s, recs); err != nil {
		return err
	}
	if len(p.Leads) > 0 {
		if p.Partners, err = h.reassignPartners(s, ""); err != nil {
			return err
		}
	}
	return h.render(e, http.StatusOK, "reassign", p)
}
