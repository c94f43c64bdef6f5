package reports

import (
	"sort"
	"strings"
)

// ScorecardSortKeys are the scorecard's sortable columns in display order.
var ScorecardSortKeys = []string{"name", "offered", "accepted_pct", "median", "p90", "sla", "declined", "conversion", "revenue", "pipeline", "duplicates"}

// scoreValue is the sort value of a numeric column.
func scoreValue(r ScorecardRow, key string) float64 {
	switch key {
	case "offered":
		return float64(r.Offered)
	case "accepted_pct":
		return r.AcceptedPct
	case "median":
		return r.MedianAcceptH
	case "p90":
		return r.P90AcceptH
	case "sla":
		return float64(r.SLABreaches)
	case "declined":
		return float64(r.Declined)
	case "conversion":
		return r.ConversionPct
	case "revenue":
		return r.Revenue
	case "pipeline":
		return r.OpenPipeline
	case "duplicates":
		return float64(r.DuplicatesRaise)
	}
	return 0
}

// ScorecardSortParams reads a sort key and direction (default: offers,
// most first; names go A→Z and numbers high→low unless dir says
// otherwise).
func ScorecardSortParams(sortKey, dir string) (string, string) {
	valid := false
	for _, k := range ScorecardSortKeys {
		valid = valid || k == sortKey
	}
	if !valid {
		sortKey = "offered"
	}
	if dir != "asc" && dir != "desc" {
		dir = "desc"
		if sortKey == "name" {
			dir = "asc"
		}
	}
	return sortKey, dir
}

// SortScorecard orders rows by a column; ties by name, then id. The report
// page, its CSV and the report API's CSV list rows in this order.
func SortScorecard(rows []ScorecardRow, key, dir string) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if key == "name" {
			if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
				return (c < 0) == (dir == "asc")
			}
		} else if va, vb := scoreValue(a, key), scoreValue(b, key); va != vb {
			return (va < vb) == (dir == "asc")
		}
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c < 0
		}
		return a.Partner < b.Partner
	})
}
