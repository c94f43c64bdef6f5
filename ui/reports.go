package ui

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reports"
	"github.com/relais/relais/hooks/roles"
)

// The report pages (SPEC §4.7): the dashboard, the partner scorecard, the
// funnel and trend charts and the map by département. Their figures come
// from the report functions of package hooks, which scope every query by
// the matrix's `reports` cell (reports.ScopeFor): admins see the whole
// network, channel managers their territories, a partner manager their
// company, a salesperson or a teleoperator their own leads. This file holds
// what the pages share: the scope middleware, the filters and the links.

// reportScopeKey stores the request's reports.Scope.
const reportScopeKey = "relais.ui.reportScope"

// mwReports resolves the user's report scope once per request; a role
// without one (integrations by default) gets 403, like the report API.
func (h *handlers) mwReports() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{Id: "relaisUIReports", Func: func(e *core.RequestEvent) error {
		s := sess(e)
		if s == nil {
			return errForbidden
		}
		scope, err := reports.ScopeFor(e.App, s.user, h.now())
		if errors.Is(err, domain.ErrForbidden) {
			return errForbidden
		}
		if err != nil {
			return err
		}
		e.Set(reportScopeKey, scope)
		return e.Next()
	}}
}

// reportsAllowed mirrors the conditions of reports.ScopeFor on a
// role's `reports` read level and kind, for the menu (the session has the
// matrix cells at hand; the pages themselves ask reports.ScopeFor).
// TestReportsMenuFollowsScopeForReports keeps the two in step.
func reportsAllowed(level, kind string) bool {
	switch policy.Level(level) {
	case "", policy.None:
		return false
	case policy.Org:
		return kind == string(roles.Partner) // the scope is the user's company
	}
	return true
}

// reportPeriods are the windows of the period selector, in months back
// from now; the last is the default.
var reportPeriods = []struct {
	Key    string
	Months int
}{{"month", 1}, {"quarter", 3}, {"year", 12}}

const defaultPeriod = "year"

// reportFilter is what the report pages are narrowed to: a period, a
// département, a partner.
type reportFilter struct {
	Period      string
	From, To    time.Time
	Department  string // INSEE code
	DeptName    string
	Partner     string // partner id
	PartnerName string
}

func (f reportFilter) hooks() reports.Filter {
	return reports.Filter{From: f.From, To: f.To, Partner: f.Partner, Department: f.Department}
}

// reportParams are the query parameters report links carry over; the
// first three are the filters shared by every tab.
var reportParams = []string{"period", "department", "partner", "sort", "dir", "metric"}

// reportPage is the common data of the report pages.
type reportPage struct {
	*page
	Tab       string // dashboard | partners | charts | map
	Scope     reports.Scope
	Internal  bool // internal roles: coverage, gaps and conflicts
	Filter    reportFilter
	Periods   []string
	HasFilter bool // the page has the filter bar
	query     url.Values
}

// reportPage builds the common data: the page, the scope and, when the
// page has them, the filters (period, département, partner). A partner
// role naming another company gets 403; an unknown département 400.
func (h *handlers) reportPage(e *core.RequestEvent, tab, titleID string, filters bool) (*reportPage, error) {
	s := sess(e)
	scope, ok := e.Get(reportScopeKey).(reports.Scope)
	if !ok {
		return nil, errForbidden
	}
	active := "reports"
	if tab == "dashboard" && s.caps.Dashboard {
		active = "dashboard"
	}
	p := &reportPage{page: h.page(e, active, titleID), Tab: tab, Scope: scope, Internal: scope.Internal, HasFilter: filters, query: url.Values{}}
	for _, per := range reportPeriods {
		p.Periods = append(p.Periods, per.Key)
	}
	q := e.Request.URL.Query()
	for _, k := range reportParams {
		if v := q.Get(k); v != "" {
			p.query.Set(k, v)
		}
	}
	if !filters {
		return p, nil
	}
	f, err := h.parseReportFilter(e, s, scope, q)
	if err != nil {
		return nil, err
	}
	p.Filter = f
	if f.Period == defaultPeriod {
		p.query.Del("period")
	} else {
		p.query.Set("period", f.Period)
	}
	p.query.Del("department")
	if f.Department != "" {
		p.query.Set("department", f.Department)
	}
	return p, nil
}

// parseReportFilter reads period, department and partner.
func (h *handlers) parseReportFilter(e *core.RequestEvent, s *session, scope reports.Scope, q url.Values) (reportFilter, error) {
	now := h.now()
	f := reportFilter{Period: defaultPeriod}
	months := 12
	for _, per := range reportPeriods {
		if per.Key == q.Get("period") {
			f.Period, months = per.Key, per.Months
		}
	}
	// whole UTC days, which the report rollups answer
	period := reports.Period(now, months)
	f.From, f.To = period.From, period.To
	if d := q.Get("department"); d != "" {
		dep, ok := geo.DepartementByCode(d)
		if !ok {
			return f, &uiError{status: http.StatusBadRequest, msg: "error.request"}
		}
		f.Department, f.DeptName = dep.Code, dep.Name
	}
	if pid := q.Get("partner"); pid != "" {
		if (scope.Level == policy.Org || scope.Level == policy.Own) && pid != scope.Partner {
			return f, errForbidden // only one's own company
		}
		names, err := h.names(s, "partners", []string{pid})
		if err != nil {
			return f, err
		}
		if names[pid] == "" {
			return f, errNotFound
		}
		f.Partner, f.PartnerName = pid, names[pid]
	}
	return f, nil
}

// Link returns path with the page's current parameters, overridden by
// key/value pairs (an empty value removes the key).
func (p *reportPage) Link(path string, kv ...string) string {
	v := url.Values{}
	for k, vs := range p.query {
		v[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// TabLink returns the link to a report page with the shared filters only
// (period, département, partner), overridden by key/value pairs.
func (p *reportPage) TabLink(path string, kv ...string) string {
	v := url.Values{}
	for _, k := range reportParams[:3] {
		if x := p.query.Get(k); x != "" {
			v.Set(k, x)
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// ScopeLabel says whose figures the page shows.
func (p *reportPage) ScopeLabel() string {
	return p.T("reports.scope." + string(p.Scope.Level))
}

// PctOf formats a percentage given in 0–100 (the report figures).
func (p *reportPage) PctOf(v float64) string { return p.Pct(v / 100) }

// Hours formats a delay in hours with one decimal, per language.
func (p *reportPage) Hours(v float64) string {
	return p.num.Sprintf("%.1f", v) + "\u00a0h"
}

// monthLabel formats "2026-03" as "mars 26" / "Mar 26".
func (p *reportPage) monthLabel(ym string) string {
	t, err := time.Parse("2006-01", ym)
	if err != nil {
		return ym
	}
	return p.month(t.Month()) + " " + t.Format("06")
}
