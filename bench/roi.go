package bench

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/reports"
)

// The ROI figures: the web UI's ROI report by source and campaign
// (/reports/roi, HTML through the session, the report scope and the read
// path of the campaigns) as the admin, over the last 12 and 3 months,
// alternated with the raw SQL that groups the same leads (the leads
// created in the period by source and campaign, with their counts and
// revenue). Target: under a second at 1M leads.

// rawROI is the raw reference: one grouped scan of the period's leads,
// through the covering index in group order (idx_leads_roi).
const rawROI = `SELECT source, campaign, COUNT(*) AS n,
	SUM(offers_count > 0 OR offered_at != '' OR accepted_at != '') AS offered, SUM(accepted_at != '') AS accepted,
	SUM(status = 'won') AS won, SUM(status = 'won' AND accepted_at != '') AS won_after,
	total(CASE WHEN status = 'won' AND won_amount BETWEEN 0 AND 1000000000 THEN won_amount ELSE 0 END) AS revenue
	FROM leads WHERE +created >= {:from} AND +created < {:to} GROUP BY source, campaign`

// ROIScenarios are the ROI page over 12 and 3 months, as the admin.
func (e *Env) ROIScenarios() []ListScenario {
	mk := func(period string, months int) ListScenario {
		s := ListScenario{Name: fmt.Sprintf("admin: ROI by source and campaign, %d months (HTML)", months), env: e, accounts: []Account{e.Admin}, ui: true}
		s.urlAt = func(int) string { return "/reports/roi?period=" + period }
		s.rawAt = func(int) (string, dbx.Params) {
			per := reports.Period(time.Now(), months)
			return rawROI, dbx.Params{"from": dbTime(per.From), "to": dbTime(per.To)}
		}
		return s
	}
	return []ListScenario{mk("year", 12), mk("quarter", 3)}
}

// runROI measures the ROI page (target < 1 s).
func (e *Env) runROI(figs []Figure, o RunOptions) ([]Figure, error) {
	if !o.runs("roi") {
		return figs, nil
	}
	for _, s := range e.ROIScenarios() {
		fmt.Fprintf(o.Log, "  %s …\n", s.Name)
		page, raw, err := pair(o.Iterations, 0, s.REST, s.Raw)
		if err != nil {
			return figs, err
		}
		f := Figure{Name: s.Name, Unit: "ms", Value: ms(Median(page)), P95: ms(Percentile(page, 95)), Raw: ms(Median(raw)),
			Target: "< 1 s", Runs: len(page)}
		f.Met = met(f.Value < 1000)
		figs = append(figs, f)
	}
	return figs, nil
}
