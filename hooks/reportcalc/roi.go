package reportcalc

import (
	"math"
	"time"
)

// The return on investment of the lead sources and campaigns: for the
// leads created in a period (a cohort), how many were offered, accepted
// and won, the revenue of the won ones, and what the campaigns of the
// period cost.

// ROICounts are the figures of one group of leads created in the period.
type ROICounts struct {
	Leads    int     // created in the period
	Offered  int     // offered to a partner at least once
	Accepted int     // accepted by a partner
	Won      int     // won (with or without a partner)
	WonAfter int     // won after a partner accepted them (conversion)
	Revenue  float64 // total won amount, in euros
}

// Add sums two groups.
func (c ROICounts) Add(o ROICounts) ROICounts {
	return ROICounts{Leads: c.Leads + o.Leads, Offered: c.Offered + o.Offered, Accepted: c.Accepted + o.Accepted,
		Won: c.Won + o.Won, WonAfter: c.WonAfter + o.WonAfter, Revenue: c.Revenue + o.Revenue}
}

// ROIFigures are the derived figures of one row of the ROI report.
type ROIFigures struct {
	AcceptancePct float64 // accepted ÷ offered, %
	ConversionPct float64 // won after acceptance ÷ accepted, % (Conversion)
	Cost          float64 // campaign budgets of the period, in euros
	HasCost       bool    // a campaign with a budget counts in the period
	CostPerWon    float64 // Cost ÷ Won, when CostPerWonOK
	CostPerWonOK  bool    // false: no cost, or no won deal ("—", never a division by zero)
}

// ROI derives a row's figures from its counts and its campaign cost
// (hasCost: at least one campaign counted, even with a zero budget).
func ROI(c ROICounts, cost float64, hasCost bool) ROIFigures {
	f := ROIFigures{
		AcceptancePct: Rate(c.Accepted, c.Offered),
		ConversionPct: Conversion(c.WonAfter, c.Accepted),
		Cost:          round2(cost),
		HasCost:       hasCost,
	}
	f.CostPerWon, f.CostPerWonOK = CostPerWon(cost, hasCost, c.Won)
	return f
}

// CostPerWon is cost ÷ won rounded to the cent; ok is false when there is
// no cost to share (no campaign) or no won deal to share it on.
func CostPerWon(cost float64, hasCost bool, won int) (float64, bool) {
	if !hasCost || won <= 0 {
		return 0, false
	}
	return round2(cost / float64(won)), true
}

// CampaignDates is a campaign's period as stored: either date may be
// missing (zero).
type CampaignDates struct {
	Starts, Ends time.Time
}

// ProratedBudget is the share of a campaign's budget that falls in the
// report period [from, to): the budget spread evenly over the campaign's
// whole days, from the day it starts to the day it ends, both included,
// times the days it shares with the period. A campaign with one date runs
// that one day; a campaign that ends before it starts runs its first day;
// a campaign without dates counts in full in every period (its budget
// cannot be placed in time). counted tells whether the campaign overlaps
// the period at all (false: its cost is 0 and it is left out).
func ProratedBudget(budget float64, d CampaignDates, from, to time.Time) (share float64, counted bool) {
	if d.Starts.IsZero() && d.Ends.IsZero() {
		return round2(budget), true
	}
	start, end := d.Starts, d.Ends
	if start.IsZero() {
		start = end
	}
	if end.IsZero() || end.Before(start) {
		end = start
	}
	start, end = DayStart(start), DayStart(end).AddDate(0, 0, 1)
	lo, hi := maxTime(start, from), minTime(end, to)
	if !lo.Before(hi) {
		return 0, false
	}
	total := end.Sub(start).Hours()
	return round2(budget * hi.Sub(lo).Hours() / total), true
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// round2 rounds an amount to the cent.
func round2(v float64) float64 { return math.Round(v*100) / 100 }
