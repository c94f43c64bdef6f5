package governance

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/reports"
)

// Amounts are decimals with cents, never exponent notation; rates and
// hours plain decimals; names neutralised.
func TestWriteScorecardCSV(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteScorecardCSV(&buf, []reports.ScorecardRow{
		{Partner: "p1", Name: "=Soleil", Tier: "standard", Offered: 12, Accepted: 9, AcceptedPct: 75, MedianAcceptH: 2.5, P90AcceptH: 30.1,
			SLABreaches: 1, Declined: 2, Won: 3, ConversionPct: 33.3, Revenue: 1900342, OpenPipeline: 12480.5, DuplicatesRaise: 4},
		{Partner: "p2", Name: "Armor", Revenue: 1e9 + 0.25},
	}))
	assert.Equal(t, "partner,name,tier,offered,accepted,accepted_pct,median_accept_hours,p90_accept_hours,sla_breaches,declined,won,conversion_pct,revenue,open_pipeline,duplicates\n"+
		"p1,'=Soleil,standard,12,9,75,2.5,30.1,1,2,3,33.3,1900342.00,12480.50,4\n"+
		"p2,Armor,,0,0,0,0,0,0,0,0,0,1000000000.25,0.00,0\n", buf.String())
}
