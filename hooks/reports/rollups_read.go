package reports

import (
	"database/sql"
	"math"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reportcalc"
)

// The report figures read from the rollups (rollups.go): the same numbers
// as the queries over offers and leads (ScorecardRaw, DepartmentsRaw), in a few
// hundred rows per partner-year instead of every offer.

// rollupScoped reports whether the rollups can answer for scope s and
// filter f: the whole network or territories (their keys) and no
// département (the offer rollups are per territory).
func rollupScoped(s Scope, f Filter) bool {
	return (s.Level == policy.All || s.Level == policy.Territory) && f.Department == ""
}

// companyRollup reports whether a partner company's own figures of f can
// be read from the rollups' rows of that partner: its offers are those
// whose partner is the company (Scope.offersWhere), which the rollups
// count per partner, period and territory. Only Acceptance and
// AcceptanceWindows use it (the other figures of a company scope are read
// from the records).
func companyRollup(s Scope, f Filter) bool {
	return s.Level == policy.Org && s.Partner != "" && f.Department == ""
}

// rollupPeriods returns the keys of table covering f (whole UTC days; false
// otherwise). A month cut by the period is read whole when the table
// holds nothing for its days outside the period — the current month, whose
// days after today are empty — instead of day by day.
func rollupPeriods(app core.App, table string, f Filter) ([]string, bool) {
	return reportcalc.PeriodsWith(f.From, f.To, func(first, last string) bool {
		var found bool
		err := app.DB().NewQuery(fill(qRollupHasPeriods, "{table}", table)).
			Bind(dbx.Params{"a": first, "b": last}).Row(&found)
		return err == nil && !found
	})
}

// rollupWhere renders the periods, the scope's territories and the partner
// filter as a condition on a rollup table (no period when periods is nil).
func rollupWhere(s Scope, f Filter, periods []string) (string, dbx.Params) {
	p := dbx.Params{}
	var conds []string
	in := func(col, prefix string, vals []string) {
		ph := make([]string, len(vals))
		for i, v := range vals {
			k := prefix + strconv.Itoa(i)
			p[k] = v
			ph[i] = "{:" + k + "}"
		}
		conds = append(conds, col+" IN ("+strings.Join(ph, ",")+")")
	}
	if periods != nil {
		in("period", "per", periods)
	}
	if s.Level == policy.Territory {
		if len(s.Territories) == 0 {
			conds = append(conds, "0=1")
		} else {
			in("territory", "ter", s.Territories)
		}
	}
	if s.Level == policy.Org {
		p["opartner"] = s.Partner
		conds = append(conds, "partner = {:opartner}")
	}
	if f.Partner != "" {
		p["fpartner"] = f.Partner
		conds = append(conds, "partner = {:fpartner}")
	}
	if len(conds) == 0 {
		conds = append(conds, "1=1")
	}
	return strings.Join(conds, " AND "), p
}

// scorecardRollup computes the scorecard from the rollups: one pass over
// the offer rows (counts and delay multisets), one over the decline
// reasons, one over the acceptances and the pipeline, summed per partner
// in Go (cheaper than SQLite's sorting GROUP BY over tens of thousands of
// rows on modernc).
func scorecardRollup(app core.App, s Scope, f Filter, periods []string) ([]ScorecardRow, error) {
	w, p := rollupWhere(s, f, periods)
	acceptPeriods, ok := rollupPeriods(app, "rollup_accepts", f)
	if !ok {
		return nil, domain.Invalid("invalid_value", "from", "the period must be whole days")
	}
	rows := scorecardRows{}
	delays := map[string][]float64{}
	err := scanRows(app.DB().NewQuery(fill(qRollupOffers, "{scope}", w)).Bind(p),
		func(scan func(...any) error) error {
			var partner string
			var offered, accepted, declined, expired int
			var list sql.RawBytes
			if err := scan(&partner, &offered, &accepted, &declined, &expired, &list); err != nil {
				return err
			}
			if offered == 0 && accepted == 0 && declined == 0 && expired == 0 {
				return nil
			}
			r := rows.get(partner)
			r.Offered += offered
			r.Accepted += accepted
			r.Declined += declined
			r.SLABreaches += expired
			if len(list) > 0 {
				delays[partner] = reportcalc.ParseDelays(delays[partner], list)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	for id, r := range rows {
		if r.Offered <= 0 {
			delete(rows, id) // a partner whose offers all moved away
			continue
		}
		r.AcceptedPct = reportcalc.Rate(r.Accepted, r.Accepted+r.Declined+r.SLABreaches)
		if hs := delays[id]; len(hs) > 0 {
			pc := reportcalc.Percentiles(hs, 50, 90)
			r.MedianAcceptH, r.P90AcceptH = round1(pc[0]), round1(pc[1])
		}
	}
	type reasonKey struct{ partner, reason string }
	reasons := map[reasonKey]int{}
	err = scanRows(app.DB().NewQuery(fill(qRollupDeclines, "{scope}", w)).Bind(p),
		func(scan func(...any) error) error {
			var k reasonKey
			var n int
			if err := scan(&k.partner, &k.reason, &n); err != nil {
				return err
			}
			reasons[k] += n
			return nil
		})
	if err != nil {
		return nil, err
	}
	for k, n := range reasons {
		if n > 0 {
			rows.get(k.partner).DeclineReasons[k.reason] = n
		}
	}
	aw, ap := rollupWhere(s, f, acceptPeriods)
	won := []struct {
		P        string  `db:"partner"`
		Accepted int     `db:"accepted"`
		Won      int     `db:"won"`
		Cents    float64 `db:"cents"` // total(): never overflows
	}{}
	if err := app.DB().NewQuery(fill(qRollupWon, "{scope}", aw)).Bind(ap).All(&won); err != nil {
		return nil, err
	}
	for _, x := range won {
		r := rows.get(x.P)
		r.Won, r.Revenue = x.Won, math.Round(x.Cents)/100
		r.ConversionPct = reportcalc.Conversion(x.Won, x.Accepted)
	}
	pw, pp := rollupWhere(s, f, nil)
	pipe := []struct {
		P     string  `db:"partner"`
		Cents float64 `db:"cents"`
	}{}
	if err := app.DB().NewQuery(fill(qRollupPipeline, "{scope}", pw)).Bind(pp).All(&pipe); err != nil {
		return nil, err
	}
	for _, x := range pipe {
		rows.get(x.P).OpenPipeline = math.Round(x.Cents) / 100
	}
	return finishScorecard(app, s, f, rows)
}

// scanRows runs q and calls each for every row with its Scan.
func scanRows(q *dbx.Query, each func(scan func(...any) error) error) error {
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// departmentsRollup counts the leads created in the period per
// département from the rollups (whole network or territories, no partner).
func departmentsRollup(app core.App, s Scope, f Filter, periods []string) (map[string]DepartmentRow, error) {
	w, p := rollupWhere(s, Filter{}, periods)
	if f.Department != "" {
		p["fdept"] = f.Department
		w += " AND department = {:fdept}"
	}
	rows := []struct {
		D        string `db:"d"`
		N        int    `db:"n"`
		Accepted int    `db:"accepted"`
	}{}
	if err := app.DB().NewQuery(fill(qRollupDepartments, "{scope}", w)).Bind(p).All(&rows); err != nil {
		return nil, err
	}
	out := map[string]DepartmentRow{}
	for _, r := range rows {
		out[r.D] = DepartmentRow{Code: r.D, Leads: r.N, Accepted: r.Accepted, AcceptedPct: reportcalc.Rate(r.Accepted, r.N)}
	}
	return out, nil
}
