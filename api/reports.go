package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reports"
)

// parseReportFilter reads from/to (YYYY-MM-DD, default: the last 12
// months), partner and department; a partner role may only name its own
// company.
func parseReportFilter(e *core.RequestEvent, s reports.Scope, now time.Time) (reports.Filter, error) {
	q := e.Request.URL.Query()
	f := reports.Period(now, 12)
	if v := q.Get("from"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return f, domain.Invalid("invalid_value", "from", "from must be a date YYYY-MM-DD")
		}
		f.From = t
	}
	if v := q.Get("to"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return f, domain.Invalid("invalid_value", "to", "to must be a date YYYY-MM-DD")
		}
		f.To = t.AddDate(0, 0, 1)
	}
	if !f.From.Before(f.To) {
		return f, domain.Invalid("invalid_value", "from", "from must be before to")
	}
	f.Partner = q.Get("partner")
	if f.Partner != "" && (s.Level == policy.Org || s.Level == policy.Own) && f.Partner != s.Partner {
		return f, domain.Forbidden("not_allowed", "you can only see your own company's figures")
	}
	if d := q.Get("department"); d != "" {
		code, ok := geo.NormalizeDepartement(d)
		if !ok {
			return f, domain.Invalid("invalid_value", "department", "unknown département")
		}
		f.Department = code
	}
	return f, nil
}

// report serves GET /api/prm/reports/{report}: the caller's scope
// (reports.ScopeFor), the period and filters of the query, the figures
// (compute) as JSON, or for the partner scorecard as CSV (format=csv).
func report(compute func(core.App, reports.Scope, reports.Filter) (any, error)) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		now := time.Now()
		s, err := reports.ScopeFor(e.App, e.Auth, now)
		if err != nil {
			return APIError(e, err)
		}
		f, err := parseReportFilter(e, s, now)
		if err != nil {
			return APIError(e, err)
		}
		data, err := compute(e.App, s, f)
		if err != nil {
			return APIError(e, err)
		}
		if e.Request.URL.Query().Get("format") == "csv" {
			rows, ok := data.([]reports.ScorecardRow)
			if !ok {
				return APIError(e, domain.Invalid("invalid_value", "format", "CSV is available for the partner scorecard"))
			}
			q := e.Request.URL.Query()
			key, dir := reports.ScorecardSortParams(q.Get("sort"), q.Get("dir"))
			reports.SortScorecard(rows, key, dir)
			return scorecardCSV(e, s, f, rows)
		}
		return e.JSON(http.StatusOK, map[string]any{"from": f.From.Format("2006-01-02"), "to": f.To.AddDate(0, 0, -1).Format("2006-01-02"), "scope": s.Level, "data": data})
	}
}

// scorecardCSV downloads the scorecard where the matrix grants the export
// of reports; audited, formulas neutralised.
func scorecardCSV(e *core.RequestEvent, s reports.Scope, f reports.Filter, rows []reports.ScorecardRow) error {
	if err := governance.AllowReportExport(e.App, e.Auth, audit.ActorOf(e), "partners", time.Now()); err != nil {
		var denied *governance.ExportDenied
		if errors.As(err, &denied) {
			return e.ForbiddenError("Your role may not export reports.", nil)
		}
		return APIError(e, err)
	}
	if err := audit.Append(e.App, audit.ActorOf(e), governance.ActionExportReports, "reports", "", map[string]any{
		"report": "partners", "rows": len(rows), "from": f.From.Format("2006-01-02"), "to": f.To.Format("2006-01-02"), "partner": f.Partner, "department": f.Department,
	}); err != nil {
		return APIError(e, err)
	}
	e.Response.Header().Set("Content-Type", "text/csv; charset=utf-8")
	e.Response.Header().Set("Content-Disposition", `attachment; filename="relais-scorecard.csv"`)
	return governance.WriteScorecardCSV(e.Response, rows)
}
