// Package reportcalc holds the pure computations of the Relais reports:
// percentiles, rates, funnel shaping and month buckets, table-tested apart
// from the SQL that feeds them.
package reportcalc

import (
	"math"
	"sort"
	"time"
)

// Percentile returns the p-th percentile (0–100) of values by linear
// interpolation between closest ranks; 0 for no values. The input is not
// modified.
func Percentile(values []float64, p float64) float64 {
	if len(values) == 0 {
		return 0
	}
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	if p <= 0 {
		return v[0]
	}
	if p >= 100 {
		return v[len(v)-1]
	}
	rank := p / 100 * float64(len(v)-1)
	lo := int(math.Floor(rank))
	hi := int(math.Ceil(rank))
	return v[lo] + (v[hi]-v[lo])*(rank-float64(lo))
}

// Rate returns part/whole as a percentage rounded to one decimal; 0 when
// whole is 0.
func Rate(part, whole int) float64 {
	if whole <= 0 {
		return 0
	}
	return math.Round(float64(part)*1000/float64(whole)) / 10
}

// FunnelStages are the funnel steps in order.
var FunnelStages = []string{"new", "qualified", "offered", "accepted", "meeting", "won"}

// stageOf maps a lead status (and whether it was ever offered / accepted,
// from its history) to the furthest funnel stage it reached.
func stageOf(status string, offered, accepted bool) int {
	switch status {
	case "won":
		return 5
	case "meeting":
		return 4
	case "accepted", "contacted":
		return 3
	case "lost":
		if accepted {
			return 3
		}
		if offered {
			return 2
		}
		return 1
	case "offered":
		return 2
	case "ready", "recycled":
		if offered {
			return 2 // offered before, back after a decline or expiry
		}
		return 1
	}
	if offered {
		return 2
	}
	return 0 // new, qualifying
}

// FunnelLead is what the funnel needs to know about one lead.
type FunnelLead struct {
	Status            string
	Offered, Accepted bool // ever offered / ever accepted (from the offers)
	// N is how many leads share these values (0 counts as 1), so that SQL
	// can group before the funnel is shaped.
	N int
}

// Funnel counts, for each stage, the leads that reached at least it.
func Funnel(leads []FunnelLead) []int {
	out := make([]int, len(FunnelStages))
	for _, l := range leads {
		s := stageOf(l.Status, l.Offered, l.Accepted)
		n := l.N
		if n <= 0 {
			n = 1
		}
		for i := 0; i <= s; i++ {
			out[i] += n
		}
	}
	return out
}

// Months returns the first day (UTC) of every month from `from` to `to`
// inclusive, formatted YYYY-MM.
func Months(from, to time.Time) []string {
	var out []string
	m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC)
	for !m.After(end) && len(out) < 240 {
		out = append(out, m.Format("2006-01"))
		m = m.AddDate(0, 1, 0)
	}
	return out
}
