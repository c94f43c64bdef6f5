package ui

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
)

// partnersPage lists the partners the user may see with their load.
type partnersPage struct {
	*page
	Partners []partnerRow
	Status   string
}

type partnerRow struct {
	ID, Name, Kind, Tier, Status string
	ContractEnd                  types.DateTime
	Capacity, Open               int
	Accepted, Answered           int
}

var partnerStatuses = []string{"active", "suspended", "ended"}

// partners lists partners (filtered by status).
func (h *handlers) partners(e *core.RequestEvent) error {
	s := sess(e)
	p := &partnersPage{page: h.page(e, "partners", "partners.title")}
	q := access.ListQuery{Sort: "name", PerPage: access.MaxPerPage}
	if st := e.Request.URL.Query().Get("status"); st == "active" || st == "suspended" || st == "ended" {
		p.Status = st
		q.Where = dbx.HashExp{"partners.status": st}
	}
	recs, _, err := access.ListFor(e.App, s.user, "partners", q)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.Id)
	}
	stats, err := h.partnerStats(ids)
	if err != nil {
		return err
	}
	for _, r := range recs {
		st := stats[r.Id]
		p.Partners = append(p.Partners, partnerRow{
			ID: r.Id, Name: r.GetString("name"), Kind: r.GetString("kind"), Tier: r.GetString("tier"), Status: r.GetString("status"),
			ContractEnd: r.GetDateTime("contract_end"), Capacity: r.GetInt("capacity"), Open: st.open, Accepted: st.accepted, Answered: st.answered,
		})
	}
	return h.render(e, http.StatusOK, "partners", p)
}
