package ui

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/reportcalc"
	"github.com/relais/relais/hooks/reports"
)

// The ROI report page (/reports/roi) and its CSV (POST /reports/roi.csv):
// leads, acceptance, conversion, revenue, campaign cost and cost per won
// deal by source and by campaign over a period (reports.ROI). Who sees it:
// internal roles whose reports cell reads `all` (admins by default;
// caps.ROI, reports.MayROI); channel managers, sales, teleoperators and
// every partner role get 404 (the menu does not show it). The CSV needs
// the export right on reports (the matrix's flag, or an export grant which
// it uses up) and is audited (governance.StartReportExport).

// roiPeriods are the period presets of the ROI page; "custom" reads from/to.
var roiPeriods = []string{"month", "quarter", "year"}

// roiMaxDays bounds a custom period (about five years).
const roiMaxDays = 5 * 366

// roiPeriod is the period of the page: a preset or custom dates.
type roiPeriod struct {
	Key      string    // month | quarter | year | custom
	From, To time.Time // [From, To) in whole UTC days
	FromDate string    // the first day, YYYY-MM-DD
	ToDate   string    // the last day (included), YYYY-MM-DD
}

// parseROIPeriod reads period (a preset) or from/to (days, both included);
// the default is the last 12 months. Bad dates are a request error.
func parseROIPeriod(q url.Values, now time.Time) (roiPeriod, error) {
	today := reportcalc.DayStart(now)
	p := roiPeriod{Key: q.Get("period")}
	switch {
	case q.Get("from") != "" || q.Get("to") != "":
		from, err1 := time.Parse("2006-01-02", q.Get("from"))
		to, err2 := time.Parse("2006-01-02", q.Get("to"))
		if err1 != nil || err2 != nil || to.Before(from) || to.Sub(from) > roiMaxDays*24*time.Hour {
			return p, &uiError{status: http.StatusBadRequest, msg: "roi.period.invalid"}
		}
		p.Key, p.From, p.To = "custom", from, to.AddDate(0, 0, 1)
	case p.Key == "month":
		p.From, p.To = time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC), today.AddDate(0, 0, 1)
	case p.Key == "quarter":
		f := reports.Period(now, 3)
		p.From, p.To = f.From, f.To
	default:
		f := reports.Period(now, 12)
		p.Key, p.From, p.To = "year", f.From, f.To
	}
	p.FromDate, p.ToDate = p.From.Format("2006-01-02"), p.To.AddDate(0, 0, -1).Format("2006-01-02")
	return p, nil
}

// roiBar is one bar of the page's charts: a native <meter> (no script,
// no style attribute) with its label and printed value, readable at any
// width.
type roiBar struct {
	Label, Text string
	Value, Max  float64
}

// roiPage is the data of the ROI view.
type roiPage struct {
	*reportPage
	Period  roiPeriod
	Presets []string
	Rep     reports.ROIReport
	Revenue []roiBar // revenue by source
	PerWon  []roiBar // cost per won deal by campaign
	CanCSV  bool     // the export right on reports (matrix or grant)
}

// roiPageFor computes the page of the request's period.
func (h *handlers) roiPageFor(e *core.RequestEvent, q url.Values) (*roiPage, error) {
	s := sess(e)
	rp, err := h.reportPage(e, "roi", "roi.title", false)
	if err != nil {
		return nil, err
	}
	rp.page.Active = "roi"
	per, err := parseROIPeriod(q, h.now())
	if err != nil {
		return nil, err
	}
	rep, err := reports.ROI(e.App, s.user, rp.Scope, reports.Filter{From: per.From, To: per.To})
	if errors.Is(err, domain.ErrForbidden) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	p := &roiPage{reportPage: rp, Period: per, Presets: roiPeriods, Rep: rep}
	p.bars()
	return p, nil
}

// bars fills the two charts from the report.
func (p *roiPage) bars() {
	var top float64
	for _, r := range p.Rep.BySource {
		top = max(top, r.Revenue)
	}
	for _, r := range p.Rep.BySource {
		p.Revenue = append(p.Revenue, roiBar{Label: p.SourceName(r.Key), Text: p.Money(r.Revenue), Value: r.Revenue, Max: max(top, 1)})
	}
	top = 0
	for _, r := range p.Rep.ByCampaign {
		top = max(top, r.CostPerWon)
	}
	for _, r := range p.Rep.ByCampaign {
		if r.Key == "" {
			continue
		}
		b := roiBar{Label: r.Name, Text: "—", Max: max(top, 1)}
		if r.CostPerWonOK {
			b.Value, b.Text = r.CostPerWon, p.Money(r.CostPerWon)
		}
		p.PerWon = append(p.PerWon, b)
	}
}

// roiTable is one table of the page: by source or by campaign.
type roiTable struct {
	ID, Head string // element id, i18n id of the first column
	Sources  bool   // rows are sources (translated), else campaigns
	Rows     []reports.ROIRow
}

// SourceTable is the table by source.
func (p *roiPage) SourceTable() roiTable {
	return roiTable{ID: "roi-sources", Head: "roi.source", Sources: true, Rows: p.Rep.BySource}
}

// CampaignTable is the table by campaign.
func (p *roiPage) CampaignTable() roiTable {
	return roiTable{ID: "roi-campaigns", Head: "roi.campaign", Rows: p.Rep.ByCampaign}
}

// SourceName translates a lead source ("" : no source).
func (p *roiPage) SourceName(key string) string {
	if key == "" {
		return p.T("roi.no_source")
	}
	return p.Label("source", key)
}

// PresetLink is the page for a period preset.
func (p *roiPage) PresetLink(key string) string { return "/reports/roi?period=" + url.QueryEscape(key) }

// roiReport shows the ROI page.
func (h *handlers) roiReport(e *core.RequestEvent) error {
	p, err := h.roiPageFor(e, e.Request.URL.Query())
	if err != nil {
		return err
	}
	ok, _, err := governance.ExportRight(e.App, sess(e).user, "reports", h.now())
	if err != nil {
		return err
	}
	p.CanCSV = ok
	return h.render(e, http.StatusOK, "roi", p)
}

// roiReportCSV downloads the page's report as CSV (governance.WriteROICSV):
// a POST with the page's CSRF token, as it may use up an export grant; a
// role without the export right gets a page that says so (403, audited).
func (h *handlers) roiReportCSV(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return &uiError{status: http.StatusBadRequest, msg: "error.request"}
	}
	p, err := h.roiPageFor(e, e.Request.PostForm)
	if err != nil {
		return err
	}
	err = governance.StartReportExport(e.App, sess(e).user, audit.ActorOf(e), "roi", map[string]any{
		"rows": len(p.Rep.BySource) + len(p.Rep.ByCampaign) + 1, "from": p.Period.FromDate, "to": p.Period.ToDate, "via": "ui",
	}, h.now())
	var denied *governance.ExportDenied
	var de *domain.Error
	switch {
	case errors.As(err, &denied), errors.As(err, &de) && de.Code == "grant_used":
		return &uiError{status: http.StatusForbidden, msg: "gov.export.refused"}
	case err != nil:
		return err
	}
	hd := e.Response.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="relais-roi-`+p.Period.FromDate+`-`+p.Period.ToDate+`.csv"`)
	e.Response.WriteHeader(http.StatusOK)
	return governance.WriteROICSV(e.Response, p.Rep)
}
