package ui

import (
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/reports"
)

// figuresPage is a partner company's own figures (partner managers): its
// leads by status now, and over the report period the offers, acceptance,
// conversion and revenue of the partner scorecard — the same row, computed
// by reports.Scorecard with the same scope and period as /reports, the
// report API and its CSV, so that no two pages disagree.
type figuresPage struct {
	*reportPage
	ByStatus []statusCount
	Row      reports.ScorecardRow
}

type statusCount struct {
	Status string
	Count  int
}

// figures computes the company's figures: the leads by status through the
// read path, the period's figures from the scorecard.
func (h *handlers) figures(e *core.RequestEvent) error {
	s := sess(e)
	rp, err := h.reportPage(e, "figures", "figures.title", true)
	if err != nil {
		return err
	}
	rp.page.Active = "figures"
	p := &figuresPage{reportPage: rp}
	for _, st := range lifecycle.Statuses() {
		if lifecycle.InPool(st) {
			continue
		}
		_, res, err := access.ListFor(e.App, s.user, "leads", access.ListQuery{Where: dbx.HashExp{"leads.status": st}, PerPage: 1, Count: true})
		if err != nil {
			return err
		}
		p.ByStatus = append(p.ByStatus, statusCount{Status: st, Count: res.TotalItems})
	}
	rows, err := reports.Scorecard(e.App, rp.Scope, rp.Filter.hooks())
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.Partner == rp.Scope.Partner {
			p.Row = r
		}
	}
	return h.render(e, http.StatusOK, "figures", p)
}
