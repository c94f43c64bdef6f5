package ui

import (
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/reports"
)

// scorecardCSVHeader are the CSV columns, the same as the report API's
// GET /api/prm/reports/partners?format=csv.
var scorecardCSVHeader = []string{"partner", "name", "tier", "offered", "accepted", "accepted_pct", "median_accept_hours", "p90_accept_hours",
	"sla_breaches", "declined", "won", "conversion_pct", "revenue", "open_pipeline", "duplicates"}

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
	w := csv.NewWriter(e.Response)
	if err := w.Write(scorecardCSVHeader); err != nil {
		return err
	}
	ff := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, r := range rows {
		if err := w.Write([]string{r.Partner, governance.NeutraliseCell(r.Name), r.Tier, strconv.Itoa(r.Offered), strconv.Itoa(r.Accepted), ff(r.AcceptedPct),
			ff(r.MedianAcceptH), ff(r.P90AcceptH), strconv.Itoa(r.SLABreaches), strconv.Itoa(r.Declined), strconv.Itoa(r.Won),
			ff(r.ConversionPct), ff(r.Revenue), ff(r.OpenPipeline), strconv.Itoa(r.DuplicatesRaise)}); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
