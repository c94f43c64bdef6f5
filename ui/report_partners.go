package ui

import (
	"net/http"
	"sort"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/reports"
)

// partnersReportPage is the partner scorecard: one row per partner with
// offers in the period (a partner role sees its own row only: the report
// scope decides), sortable by every column, with a CSV download for the
// roles the matrix lets export reports.
type partnersReportPage struct {
	*reportPage
	Rows      []scoreRow
	Columns   []scoreColumn
	Sort, Dir string
	CSV       string // the download link; "" without the export right
}

// scoreRow is a scorecard row with its decline reasons sorted.
type scoreRow struct {
	reports.ScorecardRow
	Reasons []reasonCount
	// Cert is the partner's certificate status (certificates.Status*).
	Cert string
}

type reasonCount struct {
	Reason string
	Count  int
}

// scoreColumn is a sortable column header.
type scoreColumn struct {
	Key, Label string
	Num        bool
	AriaSort   string // ascending | descending | ""
	Href       string // the link that sorts by it (toggles when current)
}

// The scorecard's columns and order are the report package's, which the
// report API's CSV uses too.
var (
	scoreKeys     = reports.ScorecardSortKeys
	sortParams    = reports.ScorecardSortParams
	sortScorecard = reports.SortScorecard
)

// partnersReport renders the scorecard.
func (h *handlers) partnersReport(e *core.RequestEvent) error {
	rp, err := h.reportPage(e, "partners", "report.partners.title", true)
	if err != nil {
		return err
	}
	p := &partnersReportPage{reportPage: rp}
	q := e.Request.URL.Query()
	p.Sort, p.Dir = sortParams(q.Get("sort"), q.Get("dir"))
	rows, err := reports.Scorecard(e.App, rp.Scope, rp.Filter.hooks())
	if err != nil {
		return err
	}
	sortScorecard(rows, p.Sort, p.Dir)
	certs, err := certificates.Statuses(e.App, h.now())
	if err != nil {
		return err
	}
	for _, r := range rows {
		cert := certificates.StatusNone
		if s, ok := certs[r.Partner]; ok {
			cert = s.Status
		}
		p.Rows = append(p.Rows, scoreRow{ScorecardRow: r, Reasons: sortedReasons(r.DeclineReasons), Cert: cert})
	}
	for _, k := range scoreKeys {
		c := scoreColumn{Key: k, Label: p.T("report.col." + k), Num: k != "name"}
		next := "desc"
		if k == "name" {
			next = "asc"
		}
		if k == p.Sort {
			c.AriaSort = map[string]string{"asc": "ascending", "desc": "descending"}[p.Dir]
			next = map[string]string{"asc": "desc", "desc": "asc"}[p.Dir]
		}
		c.Href = p.Link("/reports", "sort", k, "dir", next)
		p.Columns = append(p.Columns, c)
	}
	ok, _, err := governance.ExportRight(e.App, sess(e).user, "reports", h.now())
	if err != nil {
		return err
	}
	if ok {
		p.CSV = p.Link("/reports/partners.csv")
	}
	return h.render(e, http.StatusOK, "report_partners", p)
}

// sortedReasons lists decline reasons, most frequent first.
func sortedReasons(m map[string]int) []reasonCount {
	out := make([]reasonCount, 0, len(m))
	for r, n := range m {
		if r == "" {
			continue
		}
		out = append(out, reasonCount{Reason: r, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}
