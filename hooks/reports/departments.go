package reports

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/reportcalc"
)

// DepartmentRow is one département of the map.
type DepartmentRow struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Leads       int     `json:"leads"`
	Accepted    int     `json:"accepted"`
	AcceptedPct float64 `json:"accepted_pct"`
	Partners    int     `json:"partners"`
	Gap         bool    `json:"gap"`
}

// Departments returns the per-département figures; partner counts and
// coverage gaps are given to internal roles only.
func Departments(app core.App, s Scope, f Filter) ([]DepartmentRow, error) {
	byCode, err := departmentCounts(app, s, f)
	if err != nil {
		return nil, err
	}
	coverage := map[string]int{}
	if s.Internal {
		var err error
		if coverage, err = partnerCoverage(app, time.Now()); err != nil {
			return nil, err
		}
	}
	out := []DepartmentRow{}
	for _, d := range geo.Departements() {
		if f.Department != "" && d.Code != f.Department {
			continue
		}
		r := byCode[d.Code]
		r.Code, r.Name = d.Code, d.Name
		if s.Internal {
			r.Partners = coverage[d.Code]
			r.Gap = r.Leads > 0 && r.Partners == 0
		}
		out = append(out, r)
	}
	return out, nil
}

// departmentCounts counts the leads created in the period per département:
// from the rollups when they can answer (no partner named), else from the
// leads.
func departmentCounts(app core.App, s Scope, f Filter) (map[string]DepartmentRow, error) {
	if rollupScoped(s, Filter{}) && f.Partner == "" {
		if periods, ok := rollupPeriods(app, "rollup_leads", f); ok {
			return departmentsRollup(app, s, f, periods)
		}
	}
	return DepartmentsRaw(app, s, f)
}

// DepartmentsRaw counts the leads created in the period per département
// from the leads themselves (the reference of the rollups).
func DepartmentsRaw(app core.App, s Scope, f Filter) (map[string]DepartmentRow, error) {
	lw, lp := s.leadsWhere(f)
	lp = withPeriod(lp, f)
	rows := []struct {
		D        string `db:"d"`
		N        int    `db:"n"`
		Accepted int    `db:"accepted"`
	}{}
	if err := app.DB().NewQuery(fill(qDepartments, "{scope}", lw)).Bind(lp).All(&rows); err != nil {
		return nil, err
	}
	byCode := map[string]DepartmentRow{}
	for _, r := range rows {
		byCode[r.D] = DepartmentRow{Code: r.D, Leads: r.N, Accepted: r.Accepted, AcceptedPct: reportcalc.Rate(r.Accepted, r.N)}
	}
	return byCode, nil
}

// partnerCoverage counts the active partners serving each département.
func partnerCoverage(app core.App, now time.Time) (map[string]int, error) {
	terr, err := app.FindAllRecords("territories")
	if err != nil {
		return nil, err
	}
	depts := map[string][]string{}
	for _, t := range terr {
		depts[t.Id] = t.GetStringSlice("departments")
		if len(depts[t.Id]) == 0 && t.GetString("kind") == "region" {
			depts[t.Id] = geo.DepartementsOf(t.GetString("code"))
		}
	}
	partners, err := app.FindAllRecords("partners", dbx.HashExp{"status": "active"})
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, p := range partners {
		if ce := p.GetDateTime("contract_end"); !ce.IsZero() && ce.Time().Before(now) {
			continue
		}
		seen := map[string]bool{}
		for _, t := range p.GetStringSlice("territories") {
			for _, d := range depts[t] {
				if !seen[d] {
					seen[d] = true
					out[d]++
				}
			}
		}
	}
	return out, nil
}
