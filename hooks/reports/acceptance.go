package reports

import (
	"sort"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/reportcalc"
)

// AcceptanceWindows is Acceptance for each of fs, in that order. A partner
// company's windows are read together in one statement from its rows of
// rollup_offers (the dashboard compares two windows: one read instead of
// two, and no probe of the rollups); the scopes the rollups do not answer
// (a person's) count the offers of all the windows at once
// (acceptanceRawWindows); the others take Acceptance window by window.
func AcceptanceWindows(app core.App, s Scope, fs ...Filter) ([]map[string]ScorecardRow, error) {
	out := make([]map[string]ScorecardRow, len(fs))
	if keys, ok := companyKeys(s, fs); ok {
		return out, companyAcceptance(app, s, fs, keys, out)
	}
	if rawWindows(fs) && !rollupScoped(s, fs[0]) {
		return acceptanceRawWindows(app, s, fs)
	}
	for i, f := range fs {
		acc, err := Acceptance(app, s, f)
		if err != nil {
			return nil, err
		}
		out[i] = acc
	}
	return out, nil
}

// companyKeys maps the rollup period keys of the windows fs to the window
// each belongs to, when a company's rows of the rollups answer them all
// together: a company scope (companyRollup), whole days, the same partner
// filter, and no key in two windows. A cut month is read day by day
// (reportcalc.Periods, no probe): the day rows are written with the month
// rows, and a company holds a few rows a day.
func companyKeys(s Scope, fs []Filter) (map[string]int, bool) {
	keys := map[string]int{}
	for i, f := range fs {
		if !companyRollup(s, f) || f.Partner != fs[0].Partner {
			return nil, false
		}
		periods, ok := reportcalc.Periods(f.From, f.To)
		if !ok {
			return nil, false
		}
		for _, k := range periods {
			if _, dup := keys[k]; dup {
				return nil, false
			}
			keys[k] = i
		}
	}
	return keys, len(fs) > 0
}

// companyAcceptance fills out[i] with the acceptance of window fs[i] from
// the company's rows of rollup_offers for keys (companyKeys), summed per
// window and partner in Go: one statement, at most a few hundred rows.
func companyAcceptance(app core.App, s Scope, fs []Filter, keys map[string]int, out []map[string]ScorecardRow) error {
	periods := make([]string, 0, len(keys))
	for k := range keys {
		periods = append(periods, k)
	}
	sort.Strings(periods)
	type counts struct{ offered, accepted, decided int }
	sums := make([]map[string]*counts, len(fs))
	for i := range sums {
		sums[i] = map[string]*counts{}
	}
	w, p := rollupWhere(s, fs[0], periods)
	err := scanRows(app.DB().NewQuery(fill(qRollupAcceptanceRows, "{scope}", w)).Bind(p),
		func(scan func(...any) error) error {
			var period, partner string
			var offered, accepted, decided int
			if err := scan(&period, &partner, &offered, &accepted, &decided); err != nil {
				return err
			}
			c := sums[keys[period]][partner]
			if c == nil {
				c = &counts{}
				sums[keys[period]][partner] = c
			}
			c.offered, c.accepted, c.decided = c.offered+offered, c.accepted+accepted, c.decided+decided
			return nil
		})
	if err != nil {
		return err
	}
	for i, byPartner := range sums {
		out[i] = map[string]ScorecardRow{}
		for partner, c := range byPartner {
			if c.offered > 0 {
				out[i][partner] = ScorecardRow{Partner: partner, Offered: c.offered, Accepted: c.accepted, AcceptedPct: reportcalc.Rate(c.accepted, c.decided)}
			}
		}
	}
	return nil
}
