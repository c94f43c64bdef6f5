package reports

import (
	"sort"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Dashboard is the management landing page data.
type Dashboard struct {
	WeekIntake        int          `json:"week_intake"`
	ExpiringOffers    int          `json:"expiring_offers"`
	ConflictsWaiting  int          `json:"conflicts_waiting"`
	FallingAcceptance []FallingRow `json:"falling_acceptance"`
	CoverageGaps      []string     `json:"coverage_gaps"`
}

// FallingRow is a partner whose acceptance rate fell by 15 points or more
// between the two dashboard windows: its scorecard over the last 30 days
// and its acceptance rate over the 30 days before.
type FallingRow struct {
	ScorecardRow
	BeforeAcceptedPct float64 `json:"before_accepted_pct"`
	BeforeOffered     int     `json:"before_offered"`
}

// DashboardFor computes the dashboard for a scope.
func DashboardFor(app core.App, s Scope, now time.Time) (Dashboard, error) {
	var d Dashboard
	lw, lp := s.leadsWhere(Filter{})
	lp["week"], lp["now"], lp["soon"] = now.AddDate(0, 0, -7).UTC().Format(types.DefaultDateLayout), now.UTC().Format(types.DefaultDateLayout), now.Add(6*time.Hour).UTC().Format(types.DefaultDateLayout)
	if err := app.DB().NewQuery(fill(qWeekIntake, "{scope}", lw)).Bind(lp).Row(&d.WeekIntake); err != nil {
		return d, err
	}
	if err := app.DB().NewQuery(fill(qExpiringOffers, "{scope}", lw)).Bind(lp).Row(&d.ExpiringOffers); err != nil {
		return d, err
	}
	if s.Internal {
		if err := app.DB().NewQuery(fill(qConflictsWaiting, "{scope}", lw)).Bind(lp).Row(&d.ConflictsWaiting); err != nil {
			return d, err
		}
	}
	recentWindow, beforeWindow := DashboardWindows(now)
	accs, err := AcceptanceWindows(app, s, recentWindow, beforeWindow)
	if err != nil {
		return d, err
	}
	recent, before := accs[0], accs[1]
	falling := map[string]ScorecardRow{} // partner → its row of the window before
	for _, r := range recent {
		p, ok := before[r.Partner]
		if !ok || r.Offered < 3 || p.Offered < 3 || p.AcceptedPct-r.AcceptedPct < 15 {
			continue
		}
		falling[r.Partner] = p
	}
	if len(falling) > 0 {
		// the full scorecard rows of the falling partners: one scorecard
		// (of the one partner when only one falls), not one per partner
		f := recentWindow
		if len(falling) == 1 {
			for id := range falling {
				f.Partner = id
			}
		}
		rows, err := Scorecard(app, s, f)
		if err != nil {
			return d, err
		}
		for _, full := range rows {
			if p, ok := falling[full.Partner]; ok {
				d.FallingAcceptance = append(d.FallingAcceptance, FallingRow{ScorecardRow: full, BeforeAcceptedPct: p.AcceptedPct, BeforeOffered: p.Offered})
			}
		}
	}
	sort.Slice(d.FallingAcceptance, func(i, j int) bool {
		a, b := d.FallingAcceptance[i], d.FallingAcceptance[j]
		if a.Offered != b.Offered {
			return a.Offered > b.Offered
		}
		return a.Partner < b.Partner
	})
	if s.Internal {
		depts, err := Departments(app, s, Period(now, 3))
		if err != nil {
			return d, err
		}
		for _, r := range depts {
			if r.Gap {
				d.CoverageGaps = append(d.CoverageGaps, r.Code)
			}
		}
	}
	return d, nil
}
