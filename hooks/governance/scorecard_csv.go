package governance

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/relais/relais/hooks/money"
	"github.com/relais/relais/hooks/reports"
)

// ScorecardCSVHeader are the columns of the partner scorecard's CSV, the
// same for the report API (GET /api/prm/reports/partners?format=csv) and
// the UI's download (/reports/partners.csv).
var ScorecardCSVHeader = []string{"partner", "name", "tier", "offered", "accepted", "accepted_pct", "median_accept_hours", "p90_accept_hours",
	"sla_breaches", "declined", "won", "conversion_pct", "revenue", "open_pipeline", "duplicates"}

// WriteScorecardCSV writes the scorecard rows, in their order, as CSV: the
// one writer of both downloads. Names have their spreadsheet formulas
// neutralised; amounts are written as decimals with two places
// ("1900342.50"), rates and hours as plain decimals, never in exponent
// notation.
func WriteScorecardCSV(out io.Writer, rows []reports.ScorecardRow) error {
	w := csv.NewWriter(out)
	if err := w.Write(ScorecardCSVHeader); err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Write(scorecardCSVRecord(r)); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// scorecardCSVRecord is one row in the order of ScorecardCSVHeader.
func scorecardCSVRecord(r reports.ScorecardRow) []string {
	return []string{r.Partner, NeutraliseCell(r.Name), r.Tier, strconv.Itoa(r.Offered), strconv.Itoa(r.Accepted), csvDecimal(r.AcceptedPct),
		csvDecimal(r.MedianAcceptH), csvDecimal(r.P90AcceptH), strconv.Itoa(r.SLABreaches), strconv.Itoa(r.Declined), strconv.Itoa(r.Won),
		csvDecimal(r.ConversionPct), csvMoney(r.Revenue), csvMoney(r.OpenPipeline), strconv.Itoa(r.DuplicatesRaise)}
}

// csvDecimal writes a rate or a duration as the shortest plain decimal.
func csvDecimal(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// csvMoney writes an amount in euros with its two decimals.
func csvMoney(v float64) string { return strconv.FormatFloat(money.Round(v), 'f', 2, 64) }
