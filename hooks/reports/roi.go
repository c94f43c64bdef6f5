package reports

import (
	"slices"
	"sort"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reportcalc"
)

// The ROI report compares the lead sources and the campaigns: for the
// leads created in the period, how many were offered, accepted and won,
// the revenue won, what the campaigns cost in the period (their budget
// prorated over their days: reportcalc.ProratedBudget) and the cost per
// won deal. Budgets are management data: the report is for internal roles
// whose reports cell reads `all` (MayROI); partner roles never reach it.

// ROISources are the lead sources in the report's order (leads.source).
var ROISources = []string{"web", "phone", "campaign", "import", "api", "partner"}

// ROIRow is one source or campaign of the ROI report. Key is the source
// or the campaign id ("" : leads without a source / without a campaign).
type ROIRow struct {
	Key, Name string
	reportcalc.ROICounts
	reportcalc.ROIFigures
}

// ROIReport is the ROI report of a period.
type ROIReport struct {
	From, To   time.Time
	BySource   []ROIRow
	ByCampaign []ROIRow
	Total      ROIRow
}

// MayROI tells whether a report scope may see the ROI report: internal
// roles that read every report (consolidated figures, campaign budgets).
func MayROI(s Scope) bool { return s.Internal && s.Level == policy.All }

// campaignCost is a campaign's cost in the period.
type campaignCost struct {
	name, source string
	cost         float64
	counted      bool
}

// ROI computes the report of the period f.From–f.To for user (whose
// scope is s); a scope that may not see it gets domain.ErrForbidden. The
// campaigns come through the read path (access.ListFor), the leads'
// figures from one grouped query (qROI).
func ROI(app core.App, user *core.Record, s Scope, f Filter) (ROIReport, error) {
	rep := ROIReport{From: f.From, To: f.To}
	if !MayROI(s) {
		return rep, domain.ErrForbidden
	}
	camps, order, err := campaignCosts(app, user, f)
	if err != nil {
		return rep, err
	}
	where, p := s.leadsWhere(Filter{})
	rows := []struct {
		Source   string  `db:"source"`
		Campaign string  `db:"campaign"`
		N        int     `db:"n"`
		Offered  int     `db:"offered"`
		Accepted int     `db:"accepted"`
		Won      int     `db:"won"`
		WonAfter int     `db:"won_after"`
		Revenue  float64 `db:"revenue"`
	}{}
	if err := app.DB().NewQuery(fill(qROI, "{scope}", where)).Bind(withPeriod(p, f)).All(&rows); err != nil {
		return rep, err
	}
	bySource, byCampaign := map[string]reportcalc.ROICounts{}, map[string]reportcalc.ROICounts{}
	var total reportcalc.ROICounts
	for _, r := range rows {
		c := reportcalc.ROICounts{Leads: r.N, Offered: r.Offered, Accepted: r.Accepted, Won: r.Won, WonAfter: r.WonAfter, Revenue: r.Revenue}
		bySource[r.Source] = bySource[r.Source].Add(c)
		byCampaign[r.Campaign] = byCampaign[r.Campaign].Add(c)
		total = total.Add(c)
	}
	rep.BySource = sourceRows(bySource, camps)
	rep.ByCampaign = campaignRows(byCampaign, camps, order)
	var cost float64
	var counted bool
	for _, c := range camps {
		cost, counted = cost+c.cost, counted || c.counted
	}
	rep.Total = ROIRow{Key: "total", ROICounts: total, ROIFigures: reportcalc.ROI(total, cost, counted)}
	return rep, nil
}

// campaignCosts lists the campaigns user may read (all of them for the
// roles that see the report) with their cost in the period, and their ids
// by name.
func campaignCosts(app core.App, user *core.Record, f Filter) (map[string]campaignCost, []string, error) {
	out := map[string]campaignCost{}
	var order []string
	for page := 1; ; page++ {
		recs, _, err := access.ListFor(app, user, "campaigns", access.ListQuery{Sort: "name,id", Page: page, PerPage: access.MaxPerPage})
		if err != nil {
			return nil, nil, err
		}
		for _, r := range recs {
			d := reportcalc.CampaignDates{Starts: r.GetDateTime("starts").Time(), Ends: r.GetDateTime("ends").Time()}
			share, counted := reportcalc.ProratedBudget(r.GetFloat("budget"), d, f.From, f.To)
			out[r.Id] = campaignCost{name: r.GetString("name"), source: r.GetString("source"), cost: share, counted: counted}
			order = append(order, r.Id)
		}
		if len(recs) < access.MaxPerPage {
			return out, order, nil
		}
	}
}

// sourceRows are the sources with leads in the period or a campaign that
// counts in it, in ROISources order (then leads without a source, then
// any other stored value).
func sourceRows(counts map[string]reportcalc.ROICounts, camps map[string]campaignCost) []ROIRow {
	cost, counted := map[string]float64{}, map[string]bool{}
	for _, c := range camps {
		if c.counted {
			cost[c.source] += c.cost
			counted[c.source] = true
		}
	}
	keys := append([]string(nil), ROISources...)
	var extra []string
	for k := range counts {
		if !slices.Contains(keys, k) && k != "" {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	keys = append(append(keys, extra...), "")
	var out []ROIRow
	for _, k := range keys {
		c, ok := counts[k]
		if !ok && !counted[k] {
			continue
		}
		out = append(out, ROIRow{Key: k, Name: k, ROICounts: c, ROIFigures: reportcalc.ROI(c, cost[k], counted[k])})
	}
	return out
}

// campaignRows are the campaigns with leads in the period or a cost in it,
// by name, then the leads without a campaign (Key "").
func campaignRows(counts map[string]reportcalc.ROICounts, camps map[string]campaignCost, order []string) []ROIRow {
	var out []ROIRow
	for _, id := range order {
		c, ok := counts[id]
		cc := camps[id]
		if !ok && !cc.counted {
			continue
		}
		out = append(out, ROIRow{Key: id, Name: cc.name, ROICounts: c, ROIFigures: reportcalc.ROI(c, cc.cost, cc.counted)})
	}
	// a campaign id the reader cannot list (deleted meanwhile): its leads
	// still count, under its id
	var unknown []string
	for id := range counts {
		if _, ok := camps[id]; !ok && id != "" {
			unknown = append(unknown, id)
		}
	}
	sort.Strings(unknown)
	for _, id := range unknown {
		out = append(out, ROIRow{Key: id, Name: id, ROICounts: counts[id], ROIFigures: reportcalc.ROI(counts[id], 0, false)})
	}
	if c, ok := counts[""]; ok {
		out = append(out, ROIRow{ROICounts: c, ROIFigures: reportcalc.ROI(c, 0, false)})
	}
	return out
}
