package ui

import (
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/reports"
)

// dashboardPage is the management dashboard (the admin's landing page;
// every role with a report scope sees it for its own scope): the week's
// intake, offers about to expire, conflicts waiting, partners whose
// acceptance is falling and coverage gaps.
type dashboardPage struct {
	*reportPage
	D        reports.Dashboard
	Expiring []leadView
	Falling  []fallingRow
	Gaps     []deptRef
	CanBoard bool // the distribution board is in the menu
	// NoPartner counts the ready leads of the user's scope that no partner
	// can take (internal roles).
	NoPartner int
	// Lapsed are the partners the user may read whose certificate lapsed
	// (internal roles).
	Lapsed []certificates.LapsedPartner
}

// fallingRow is a partner whose acceptance rate fell: the 30 days before
// the last 30, and the last 30.
type fallingRow struct {
	Partner, Name string
	Before, Now   float64
	Offered       int
}

// deptRef names a département.
type deptRef struct {
	Code, Name string
}

// expiringWindow is how close to its deadline an offer counts as about to
// expire (reports.DashboardFor uses the same).
const expiringWindow = 6 * time.Hour

// dashboard renders the dashboard.
func (h *handlers) dashboard(e *core.RequestEvent) error {
	rp, err := h.reportPage(e, "dashboard", "dashboard.title", false)
	if err != nil {
		return err
	}
	s := sess(e)
	now := h.now()
	p := &dashboardPage{reportPage: rp, CanBoard: s.caps.Board}
	if p.D, err = reports.DashboardFor(e.App, rp.Scope, now); err != nil {
		return err
	}
	// the offers about to expire, listed through the read path
	recs, _, err := access.ListFor(e.App, s.user, "leads", access.ListQuery{
		Where: dbx.And(dbx.HashExp{"leads.status": "offered"},
			dbx.NewExp("leads.accept_by > {:now} AND leads.accept_by <= {:soon}", dbx.Params{"now": now.UTC().Format(types.DefaultDateLayout), "soon": now.Add(expiringWindow).UTC().Format(types.DefaultDateLayout)})),
		Sort: "accept_by", PerPage: 10,
	})
	if err != nil {
		return err
	}
	if p.Expiring, err = h.leadViews(s, recs); err != nil {
		return err
	}
	if p.Internal {
		if p.NoPartner, err = h.noPartnerCount(s); err != nil {
			return err
		}
		if p.Lapsed, err = lapsedVisible(e.App, s.user, now); err != nil {
			return err
		}
	}
	for _, r := range p.D.FallingAcceptance {
		p.Falling = append(p.Falling, fallingRow{Partner: r.Partner, Name: r.Name, Now: r.AcceptedPct, Offered: r.Offered, Before: r.BeforeAcceptedPct})
	}
	for _, code := range p.D.CoverageGaps {
		d, ok := geo.DepartementByCode(code)
		if !ok {
			d.Code, d.Name = code, code
		}
		p.Gaps = append(p.Gaps, deptRef{Code: d.Code, Name: d.Name})
	}
	return h.render(e, http.StatusOK, "dashboard", p)
}

// noPartnerCount counts, through the read path, the ready leads the user
// may see that no partner can take (distribution.WaitingLeadIDsSQL).
func (h *handlers) noPartnerCount(s *session) (int, error) {
	_, res, err := access.ListFor(h.app, s.user, "leads", access.ListQuery{
		Where:   dbx.And(dbx.HashExp{"leads.status": "ready", "leads.held": false}, dbx.NewExp("leads.id IN ("+distribution.WaitingLeadIDsSQL+")")),
		PerPage: 1, Count: true,
	})
	if err != nil || res == nil {
		return 0, err
	}
	return res.TotalItems, nil
}
