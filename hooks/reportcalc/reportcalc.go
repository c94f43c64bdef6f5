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
	return sortedPercentile(v, p)
}

// Rate returns part/whole as a percentage rounded to one decimal; 0 when
// whole is 0.
func Rate(part, whole int) float64 {
	if whole <= 0 {
		return 0
	}
	return math.Round(float64(part)*1000/float64(whole)) / 10
}

// Conversion is the one definition of a partner's conversion in Relais,
// used by every page, the report API and the CSV: of the leads the partner
// accepted in the period (by date of acceptance), the share it won —
// won ÷ accepted, as a percentage rounded to one decimal; 0 when it
// accepted none. Leads still open count in the denominator: a partner
// that sits on its leads converts less.
func Conversion(won, accepted int) float64 { return Rate(won, accepted) }

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

// DayStart returns midnight UTC of t's day.
func DayStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// IsDay reports whether t is a UTC midnight.
func IsDay(t time.Time) bool { return t.Equal(DayStart(t)) }

// Periods splits the whole-day range [from, to) (UTC midnights) into the
// fewest calendar months ("YYYY-MM") and remaining days ("YYYY-MM-DD")
// that cover it exactly: the keys of the report rollups. ok is false when
// a bound is not a UTC midnight or the range is empty or longer than 20
// years.
func Periods(from, to time.Time) (periods []string, ok bool) {
	return PeriodsWith(from, to, nil)
}

// PeriodsWith is Periods where a month cut by the range is still taken
// whole when empty(first, last) reports that its days outside the range
// hold nothing ("YYYY-MM-DD" bounds, inclusive): the rollup of the month
// then equals the rollup of its days inside the range. A nil empty never
// says so.
func PeriodsWith(from, to time.Time, empty func(first, last string) bool) (periods []string, ok bool) {
	if !IsDay(from) || !IsDay(to) || !from.Before(to) || to.Sub(from) > 20*366*24*time.Hour {
		return nil, false
	}
	const day = "2006-01-02"
	for d := from.UTC(); d.Before(to); {
		start := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		next := start.AddDate(0, 1, 0)
		whole := d.Equal(start) && !next.After(to)
		if !whole && empty != nil {
			// days of the month before the range, and after it: asked once
			// per month, the second only when the first holds nothing
			whole = (!d.After(start) || empty(start.Format(day), d.AddDate(0, 0, -1).Format(day))) &&
				(!next.After(to) || empty(to.Format(day), next.AddDate(0, 0, -1).Format(day)))
		}
		if whole {
			periods = append(periods, d.Format("2006-01"))
			d = next
			continue
		}
		// the month's days inside the range, one by one
		for ; d.Before(next) && d.Before(to); d = d.AddDate(0, 0, 1) {
			periods = append(periods, d.Format(day))
		}
	}
	return periods, true
}

// Percentiles returns the ps-th percentiles (0–100) of values, like
// Percentile, reordering values in place: each is found by selection
// (expected linear time) instead of a full sort, the scorecard computing
// two per partner over hundreds of thousands of delays.
func Percentiles(values []float64, ps ...float64) []float64 {
	out := make([]float64, len(ps))
	n := len(values)
	if n == 0 {
		return out
	}
	for i, p := range ps {
		switch {
		case p <= 0:
			out[i] = kth(values, 0)
		case p >= 100:
			out[i] = kth(values, n-1)
		default:
			rank := p / 100 * float64(n-1)
			lo := int(math.Floor(rank))
			vlo := kth(values, lo)
			vhi := vlo
			if frac := rank - float64(lo); frac > 0 && lo+1 < n {
				// after kth, everything past lo is >= vlo: the next value is
				// their minimum
				vhi = values[lo+1]
				for _, v := range values[lo+2:] {
					if v < vhi {
						vhi = v
					}
				}
				out[i] = vlo + (vhi-vlo)*frac
				continue
			}
			out[i] = vlo
		}
	}
	return out
}

// kth reorders v so that v[k] is its k-th smallest value (0-based), the
// values before it smaller or equal and those after it greater or equal,
// and returns v[k] (Hoare selection, median-of-three pivots).
func kth(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		pivot := v[mid]
		i, j := lo, hi
		for i <= j {
			for v[i] < pivot {
				i++
			}
			for v[j] > pivot {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}

func sortedPercentile(v []float64, p float64) float64 {
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

// ParseDelays appends the comma-separated integers of s (accept delays in
// seconds, as the rollups store them) to dst as hours; malformed items are
// skipped.
func ParseDelays(dst []float64, s []byte) []float64 {
	n, neg, digits, bad := int64(0), false, 0, false
	flush := func() {
		if digits > 0 && !bad {
			if neg {
				n = -n
			}
			dst = append(dst, float64(n)/3600)
		}
		n, neg, digits, bad = 0, false, 0, false
	}
	for i, c := range s {
		switch {
		case c == ',':
			flush()
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
			digits++
			if digits > 15 {
				bad = true
			}
		case c == '-' && digits == 0 && !neg && (i == 0 || s[i-1] == ','):
			neg = true
		default:
			bad = true
		}
	}
	flush()
	return dst
}
