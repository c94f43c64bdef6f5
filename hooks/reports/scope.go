package reports

import (
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reportcalc"
	"github.com/relais/relais/hooks/roles"
)

// Reports (SPEC §4.7) are computed in SQL over leads and offers, scoped by
// the matrix's `reports` resource: all (everything), territory (the
// territories a user manages or holds a running grant on), org (the user's
// partner company), own (leads assigned to or created by the user).

// Scope is whose figures a user may see.
type Scope struct {
	Level       policy.Level
	UserID      string
	Partner     string
	Territories []string
	Internal    bool
}

// Filter narrows a report.
type Filter struct {
	From, To   time.Time
	Partner    string // only this partner (admins, channel managers; a partner only its own)
	Department string
}

// ScopeFor returns the report scope of a user, or domain.ErrForbidden.
func ScopeFor(app core.App, user *core.Record, now time.Time) (Scope, error) {
	if user == nil || user.Collection().Name != "users" {
		return Scope{}, domain.ErrForbidden
	}
	m, err := access.CachedMatrix(app)
	if err != nil {
		return Scope{}, err
	}
	role, ok := m.Role(user.GetString("role"))
	if !ok {
		return Scope{}, domain.ErrForbidden
	}
	s := Scope{Level: m.Cell(role.ID, "reports").Read, UserID: user.Id, Partner: user.GetString("partner"), Internal: role.Kind == roles.Internal}
	switch s.Level {
	case policy.None, "":
		return s, domain.ErrForbidden
	case policy.Org:
		if s.Partner == "" {
			return s, domain.ErrForbidden
		}
	case policy.Territory:
		s.Territories = append(s.Territories, user.GetStringSlice("territories")...)
		rows := []struct {
			T string `db:"territory"`
		}{}
		if err := app.DB().NewQuery(qGrantedTerritories).
			Bind(dbx.Params{"u": user.Id, "now": now.UTC().Format(types.DefaultDateLayout)}).All(&rows); err != nil {
			return s, err
		}
		for _, r := range rows {
			s.Territories = append(s.Territories, r.T)
		}
	}
	if role.Kind == roles.Partner && s.Partner == "" {
		return s, domain.ErrForbidden
	}
	return s, nil
}

// leadsWhere renders the scope and filter as a condition on leads alias l.
func (s Scope) leadsWhere(f Filter) (string, dbx.Params) {
	conds := []string{"1=1"}
	p := dbx.Params{"me": s.UserID, "partner": s.Partner}
	switch s.Level {
	case policy.Org:
		conds = append(conds, "l.partner = {:partner}")
	case policy.Own:
		conds = append(conds, "(l.assignee = {:me} OR l.created_by = {:me})")
	case policy.Territory:
		if len(s.Territories) == 0 {
			conds = append(conds, "0=1")
		} else {
			var ph []string
			for i, t := range s.Territories {
				k := "t" + strconv.Itoa(i)
				p[k] = t
				ph = append(ph, "{:"+k+"}")
			}
			conds = append(conds, "l.territory IN ("+strings.Join(ph, ",")+")")
		}
	}
	if f.Partner != "" {
		p["fpartner"] = f.Partner
		conds = append(conds, "l.partner = {:fpartner}")
	}
	if f.Department != "" {
		p["fdept"] = f.Department
		conds = append(conds, "l.department = {:fdept}")
	}
	return strings.Join(conds, " AND "), p
}

// offersWhere is the scope on offers (alias o) joined to their lead (l): a
// partner sees only the offers made to its company, a salesperson those
// routed to them.
func (s Scope) offersWhere(f Filter) (string, dbx.Params) {
	w, p := s.leadsWhere(f)
	switch s.Level {
	case policy.Org:
		w = strings.Replace(w, "l.partner = {:partner}", "o.partner = {:partner}", 1)
	case policy.Own:
		w = strings.Replace(w, "(l.assignee = {:me} OR l.created_by = {:me})", "(o.assignee = {:me} OR l.created_by = {:me})", 1)
	}
	if f.Partner != "" {
		w = strings.Replace(w, "l.partner = {:fpartner}", "o.partner = {:fpartner}", 1)
	}
	return w, p
}

// withPeriod binds the period of f as {:from} and {:to}.
func withPeriod(p dbx.Params, f Filter) dbx.Params {
	p["from"], p["to"] = f.From.UTC().Format(types.DefaultDateLayout), f.To.UTC().Format(types.DefaultDateLayout)
	return p
}

// Period is the default period of a report: the last `months`
// months in whole UTC days, from the same day `months` months ago to the
// end of today (what the rollups answer).
func Period(now time.Time, months int) Filter {
	today := reportcalc.DayStart(now)
	return Filter{From: today.AddDate(0, -months, 0), To: today.AddDate(0, 0, 1)}
}

// DashboardWindows are the two periods whose acceptance rates the
// dashboard compares: the last 30 days (today included) and the 30 days
// before, in whole UTC days.
func DashboardWindows(now time.Time) (recent, before Filter) {
	end := reportcalc.DayStart(now).AddDate(0, 0, 1)
	return Filter{From: end.AddDate(0, 0, -30), To: end}, Filter{From: end.AddDate(0, 0, -60), To: end.AddDate(0, 0, -30)}
}
