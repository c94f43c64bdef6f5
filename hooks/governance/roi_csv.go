package governance

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/relais/relais/hooks/reports"
)

// ROICSVHeader are the columns of the ROI report's CSV (/reports/roi.csv):
// stable, language-independent names like the scorecard's, one row per
// source, then per campaign, then the total. group is source | campaign |
// total; key the source code or the campaign id ("" : none); cost and
// cost_per_won are empty where the page shows "—" (no campaign counts, or
// no won deal to share the cost on).
var ROICSVHeader = []string{"group", "key", "name", "leads", "offered", "accepted", "acceptance_pct", "won", "won_after_acceptance",
	"conversion_pct", "revenue", "cost", "cost_per_won"}

// WriteROICSV writes the ROI report as CSV: names have their spreadsheet
// formulas neutralised, amounts two decimals, rates plain decimals.
func WriteROICSV(out io.Writer, rep reports.ROIReport) error {
	w := csv.NewWriter(out)
	if err := w.Write(ROICSVHeader); err != nil {
		return err
	}
	write := func(group string, rows ...reports.ROIRow) error {
		for _, r := range rows {
			if err := w.Write(roiCSVRecord(group, r)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := write("source", rep.BySource...); err != nil {
		return err
	}
	if err := write("campaign", rep.ByCampaign...); err != nil {
		return err
	}
	if err := write("total", rep.Total); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// roiCSVRecord is one row in the order of ROICSVHeader.
func roiCSVRecord(group string, r reports.ROIRow) []string {
	cost, perWon := "", ""
	if r.HasCost {
		cost = csvMoney(r.Cost)
	}
	if r.CostPerWonOK {
		perWon = csvMoney(r.CostPerWon)
	}
	return []string{group, NeutraliseCell(r.Key), NeutraliseCell(r.Name), strconv.Itoa(r.Leads), strconv.Itoa(r.Offered), strconv.Itoa(r.Accepted),
		csvDecimal(r.AcceptancePct), strconv.Itoa(r.Won), strconv.Itoa(r.WonAfter), csvDecimal(r.ConversionPct), csvMoney(r.Revenue), cost, perWon}
}
