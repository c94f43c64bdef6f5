package reports

import (
	"database/sql"
	"sort"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// rawWindows reports whether acceptanceRawWindows answers the windows fs
// in one statement: at least two, the same partner and département
// filters, and no two sharing an instant (an offer counts in one window).
func rawWindows(fs []Filter) bool {
	if len(fs) < 2 {
		return false
	}
	sorted := append([]Filter(nil), fs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].From.Before(sorted[j].From) })
	for i, f := range sorted {
		if f.Partner != fs[0].Partner || f.Department != fs[0].Department || !f.From.Before(f.To) {
			return false
		}
		if i > 0 && sorted[i-1].To.After(f.From) {
			return false
		}
	}
	return true
}

// acceptanceRawWindows is acceptanceRaw for each of the windows fs
// (rawWindows) in one count of the offers: those of the span from the
// first window's start to the last one's end, each counted in its window
// (a partner person's dashboard scanned the offers once per window).
func acceptanceRawWindows(app core.App, s Scope, fs []Filter) ([]map[string]ScorecardRow, error) {
	f := ownCompany(s, fs[0])
	w, p := s.offersWhere(f)
	from, to := fs[0].From, fs[0].To
	cases := make([]string, len(fs))
	for i, x := range fs {
		if x.From.Before(from) {
			from = x.From
		}
		if x.To.After(to) {
			to = x.To
		}
		k := strconv.Itoa(i)
		p["wf"+k], p["wt"+k] = x.From.UTC().Format(types.DefaultDateLayout), x.To.UTC().Format(types.DefaultDateLayout)
		cases[i] = "WHEN o.offered_at >= {:wf" + k + "} AND o.offered_at < {:wt" + k + "} THEN " + k
	}
	p = withPeriod(p, Filter{From: from, To: to})
	rows := []struct {
		W sql.NullInt64 `db:"w"`
		offerCounts
	}{}
	q := fill(qAcceptanceWindowsRaw, "{window}", "CASE "+strings.Join(cases, " ")+" END", "{scope}", w)
	if err := app.DB().NewQuery(q).Bind(p).All(&rows); err != nil {
		return nil, err
	}
	out := make([]map[string]ScorecardRow, len(fs))
	for i := range out {
		out[i] = map[string]ScorecardRow{}
	}
	for _, r := range rows {
		if r.W.Valid { // NULL: between two windows
			keepAcceptance(out[r.W.Int64], s, r.offerCounts)
		}
	}
	return out, nil
}
