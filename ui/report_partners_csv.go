package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/reports"
)

// partnersReportCSV downloads the scorecard shown by /reports (same scope,
// filters and order) where the matrix grants the export of reports (or a
// running export grant does): audited either way, formulas neutralised.
func (h *handlers) partnersReportCSV(e *core.RequestEvent) error {
	s := sess(e)
	rp, err := h.reportPage(e, "partners", "", true)
	if err != nil {
		return err
	}
	if err := governance.AllowReportExport(e.App, s.user, audit.ActorOf(e), "partners", h.now()); err != nil {
		var denied *governance.ExportDenied
		if errors.As(err, &denied) {
			return errForbidden
		}
		return err
	}
	q := e.Request.URL.Query()
	key, dir := sortParams(q.Get("sort"), q.Get("dir"))
	f := rp.Filter
	rows, err := reports.Scorecard(e.App, rp.Scope, f.hooks())
	if err != nil {
		return err
	}
	sortScorecard(rows, key, dir)
	if err := audit.Append(e.App, audit.ActorOf(e), governance.ActionExportReports, "reports", "", map[string]any{
		"report": "partners", "rows": len(rows), "from": f.From.Format("2006-01-02"), "to": f.To.Format("2006-01-02"),
		"partner": f.Partner, "department": f.Department, "via": "ui",
	}); err != nil {
		return err
	}
	hd := e.Response.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="relais-scorecard-`+f.Period+`.csv"`)
	e.Response.WriteHeader(http.StatusOK)
	return governance.WriteScorecardCSV(e.Response, rows)
}
