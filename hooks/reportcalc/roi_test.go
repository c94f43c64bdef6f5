package reportcalc

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestROIFigures(t *testing.T) {
	cases := []struct {
		name    string
		c       ROICounts
		cost    float64
		hasCost bool
		want    ROIFigures
	}{
		{"nothing at all", ROICounts{}, 0, false, ROIFigures{}},
		{"zero won deals: no cost per won deal, no division by zero",
			ROICounts{Leads: 10, Offered: 8, Accepted: 4}, 3000, true,
			ROIFigures{AcceptancePct: 50, Cost: 3000, HasCost: true}},
		{"won deals without a campaign: no cost per won deal",
			ROICounts{Leads: 10, Offered: 10, Accepted: 5, Won: 2, WonAfter: 2, Revenue: 9000}, 0, false,
			ROIFigures{AcceptancePct: 50, ConversionPct: 40}},
		{"a campaign of budget 0 costs 0 per won deal",
			ROICounts{Leads: 3, Offered: 3, Accepted: 3, Won: 1, WonAfter: 1}, 0, true,
			ROIFigures{AcceptancePct: 100, ConversionPct: 33.3, HasCost: true, CostPerWonOK: true}},
		{"cost shared on every won deal, rounded to the cent",
			ROICounts{Leads: 30, Offered: 20, Accepted: 15, Won: 3, WonAfter: 2, Revenue: 1}, 1000, true,
			ROIFigures{AcceptancePct: 75, ConversionPct: 13.3, Cost: 1000, HasCost: true, CostPerWon: 333.33, CostPerWonOK: true}},
		{"accepted without an offer count (no division by zero)",
			ROICounts{Leads: 2, Accepted: 1}, 0, false,
			ROIFigures{ConversionPct: 0}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, ROI(c.c, c.cost, c.hasCost), c.name)
	}
}

func TestROICountsAdd(t *testing.T) {
	a := ROICounts{Leads: 1, Offered: 2, Accepted: 3, Won: 4, WonAfter: 5, Revenue: 6.5}
	assert.Equal(t, ROICounts{Leads: 2, Offered: 4, Accepted: 6, Won: 8, WonAfter: 10, Revenue: 13}, a.Add(a))
}

func TestProratedBudget(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// the period: March 2026, [1 March, 1 April)
	from, to := day("2026-03-01"), day("2026-04-01")
	cases := []struct {
		name    string
		budget  float64
		d       CampaignDates
		share   float64
		counted bool
	}{
		{"inside the period: in full", 3100, CampaignDates{day("2026-03-05"), day("2026-03-20")}, 3100, true},
		{"whole period of a longer campaign (89 days): its 31 days", 8900, CampaignDates{day("2026-02-01"), day("2026-04-30")}, 3100, true},
		{"starts before, ends inside", 2000, CampaignDates{day("2026-02-20"), day("2026-03-09")}, 1000, true},
		{"ends the day before the period", 2000, CampaignDates{day("2026-02-01"), day("2026-02-28")}, 0, false},
		{"starts on the period's end", 2000, CampaignDates{day("2026-04-01"), day("2026-04-30")}, 0, false},
		{"ends on the period's first day", 3000, CampaignDates{day("2026-02-27"), day("2026-03-01")}, 1000, true},
		{"one day (start only)", 500, CampaignDates{Starts: day("2026-03-31")}, 500, true},
		{"one day (end only), outside", 500, CampaignDates{Ends: day("2026-04-02")}, 0, false},
		{"ends before it starts: its first day", 500, CampaignDates{day("2026-03-10"), day("2026-03-01")}, 500, true},
		{"no dates: in full in any period", 1234.5, CampaignDates{}, 1234.5, true},
		{"thirds rounded to the cent", 100, CampaignDates{day("2026-03-30"), day("2026-04-01")}, 66.67, true},
		{"times within a day count from the day's start", 200, CampaignDates{day("2026-03-31").Add(15 * time.Hour), day("2026-04-01").Add(9 * time.Hour)}, 100, true},
	}
	for _, c := range cases {
		share, counted := ProratedBudget(c.budget, c.d, from, to)
		assert.Equal(t, c.counted, counted, c.name)
		assert.InDelta(t, c.share, share, 1e-9, c.name)
	}
}
