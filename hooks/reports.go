package hooks

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reportcalc"
	"github.com/relais/relais/hooks/roles"
)

// Reports (SPEC §4.7) are computed in SQL over leads and offers, scoped by
// the matrix's `reports` resource: all (everything), territory (the
// territories a user manages or holds a running grant on), org (the user's
// partner company), own (leads assigned to or created by the user).

// ReportScope is whose figures a user may see.
type ReportScope struct {
	Level       policy.Level
	UserID      string
	Partner     string
	Territories []string
	Internal    bool
}

// ReportFilter narrows a report.
type ReportFilter struct {
	From, To   time.Time
	Partner    string // only this partner (admins, channel managers; a partner only its own)
	Department string
}

// ScopeForReports returns the report scope of a user, or domain.ErrForbidden.
func ScopeForReports(app core.App, user *core.Record, now time.Time) (ReportScope, error) {
	if user == nil || user.Collection().Name != "users" {
		return ReportScope{}, domain.ErrForbidden
	}
	m, err := access.CachedMatrix(app)
	if err != nil {
		return ReportScope{}, err
	}
	role, ok := m.Role(user.GetString("role"))
	if !ok {
		return ReportScope{}, domain.ErrForbidden
	}
	s := ReportScope{Level: m.Cell(role.ID, "reports").Read, UserID: user.Id, Partner: user.GetString("partner"), Internal: role.Kind == roles.Internal}
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
		if err := app.DB().NewQuery("SELECT territory FROM grants WHERE user = {:u} AND kind = 'territory' AND (starts = '' OR starts <= {:now}) AND expires > {:now}").
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
func (s ReportScope) leadsWhere(f ReportFilter) (string, dbx.Params) {
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
func (s ReportScope) offersWhere(f ReportFilter) (string, dbx.Params) {
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

func period(p dbx.Params, f ReportFilter) dbx.Params {
	p["from"], p["to"] = f.From.UTC().Format(types.DefaultDateLayout), f.To.UTC().Format(types.DefaultDateLayout)
	return p
}

// ScorecardRow is one partner's figures.
type ScorecardRow struct {
	Partner         string         `json:"partner"`
	Name            string         `json:"name"`
	Tier            string         `json:"tier"`
	Offered         int            `json:"offered"`
	Accepted        int            `json:"accepted"`
	AcceptedPct     float64        `json:"accepted_pct"`
	MedianAcceptH   float64        `json:"median_accept_hours"`
	P90AcceptH      float64        `json:"p90_accept_hours"`
	SLABreaches     int            `json:"sla_breaches"`
	Declined        int            `json:"declined"`
	DeclineReasons  map[string]int `json:"decline_reasons"`
	Won             int            `json:"won"`
	ConversionPct   float64        `json:"conversion_pct"`
	Revenue         float64        `json:"revenue"`
	OpenPipeline    float64        `json:"open_pipeline"`
	DuplicatesRaise int            `json:"duplicates"`
}

// Scorecard computes one row per partner with figures in the period: from
// the rollups (hooks/rollups.go) when the scope is the whole network or
// territories, the period whole UTC days and no département is named;
// otherwise (a company, a salesperson, a département, a period cut inside
// a day) from the offers and leads themselves, which the indexes serve.
func Scorecard(app core.App, s ReportScope, f ReportFilter) ([]ScorecardRow, error) {
	if rollupScoped(s, f) {
		if periods, ok := rollupPeriods(app, "rollup_offers", f); ok {
			return scorecardRollup(app, s, f, periods)
		}
	}
	return scorecardRaw(app, s, f)
}

// scorecardRows collects the rows of a scorecard by partner id.
type scorecardRows map[string]*ScorecardRow

func (rows scorecardRows) get(id string) *ScorecardRow {
	r, ok := rows[id]
	if !ok {
		r = &ScorecardRow{Partner: id, DeclineReasons: map[string]int{}}
		rows[id] = r
	}
	return r
}

// scorecardRaw computes the scorecard from the offers and leads.
func scorecardRaw(app core.App, s ReportScope, f ReportFilter) ([]ScorecardRow, error) {
	rows := scorecardRows{}
	get := rows.get
	ow, op := s.offersWhere(f)
	op = period(op, f)
	offers := []struct {
		P        string `db:"partner"`
		Offered  int    `db:"offered"`
		Accepted int    `db:"accepted"`
		Declined int    `db:"declined"`
		Expired  int    `db:"expired"`
	}{}
	if err := app.DB().NewQuery(`SELECT o.partner AS partner, COUNT(*) AS offered,
		SUM(o.outcome = 'accepted') AS accepted, SUM(o.outcome = 'declined') AS declined, SUM(o.outcome = 'expired') AS expired
		FROM lead_offers o JOIN leads l ON l.id = o.lead
		WHERE o.offered_at >= {:from} AND o.offered_at < {:to} AND ` + ow + ` GROUP BY o.partner`).Bind(op).All(&offers); err != nil {
		return nil, err
	}
	for _, o := range offers {
		r := get(o.P)
		r.Offered, r.Accepted, r.Declined, r.SLABreaches = o.Offered, o.Accepted, o.Declined, o.Expired
		r.AcceptedPct = reportcalc.Rate(o.Accepted, o.Accepted+o.Declined+o.Expired)
	}
	delays := []struct {
		P string  `db:"partner"`
		H float64 `db:"h"`
	}{}
	if err := app.DB().NewQuery(`SELECT o.partner AS partner, (julianday(o.decided_at) - julianday(o.offered_at)) * 24 AS h
		FROM lead_offers o JOIN leads l ON l.id = o.lead
		WHERE o.outcome = 'accepted' AND o.decided_at != '' AND o.offered_at >= {:from} AND o.offered_at < {:to} AND ` + ow).Bind(op).All(&delays); err != nil {
		return nil, err
	}
	byPartner := map[string][]float64{}
	for _, d := range delays {
		byPartner[d.P] = append(byPartner[d.P], d.H)
	}
	for p, hs := range byPartner {
		r := get(p)
		r.MedianAcceptH = round1(reportcalc.Percentile(hs, 50))
		r.P90AcceptH = round1(reportcalc.Percentile(hs, 90))
	}
	reasons := []struct {
		P string `db:"partner"`
		R string `db:"reason"`
		N int    `db:"n"`
	}{}
	if err := app.DB().NewQuery(`SELECT o.partner AS partner, o.reason AS reason, COUNT(*) AS n
		FROM lead_offers o JOIN leads l ON l.id = o.lead
		WHERE o.outcome = 'declined' AND o.offered_at >= {:from} AND o.offered_at < {:to} AND ` + ow + ` GROUP BY o.partner, o.reason`).Bind(op).All(&reasons); err != nil {
		return nil, err
	}
	for _, r := range reasons {
		get(r.P).DeclineReasons[r.R] = r.N
	}
	lw, lp := s.leadsWhere(f)
	lp = period(lp, f)
	won := []struct {
		P        string  `db:"partner"`
		Accepted int     `db:"accepted"`
		Won      int     `db:"won"`
		Revenue  float64 `db:"revenue"`
	}{}
	if err := app.DB().NewQuery(`SELECT l.partner AS partner, COUNT(*) AS accepted, SUM(l.status = 'won') AS won,
		COALESCE(SUM(CASE WHEN l.status = 'won' THEN l.won_amount ELSE 0 END), 0) AS revenue
		FROM leads l WHERE l.partner != '' AND l.accepted_at != '' AND l.accepted_at >= {:from} AND l.accepted_at < {:to} AND ` + lw + ` GROUP BY l.partner`).Bind(lp).All(&won); err != nil {
		return nil, err
	}
	for _, w := range won {
		r := get(w.P)
		r.Won, r.Revenue = w.Won, w.Revenue
		r.ConversionPct = reportcalc.Rate(w.Won, w.Accepted)
	}
	pipe := []struct {
		P string  `db:"partner"`
		V float64 `db:"v"`
	}{}
	if err := app.DB().NewQuery(`SELECT l.partner AS partner, COALESCE(SUM(l.estimated_value), 0) AS v FROM leads l
		WHERE l.partner != '' AND l.status IN (` + lifecycle.SQLList(lifecycle.PipelineStatuses()) + `) AND ` + lw + ` GROUP BY l.partner`).Bind(lp).All(&pipe); err != nil {
		return nil, err
	}
	for _, x := range pipe {
		get(x.P).OpenPipeline = x.V
	}
	return finishScorecard(app, s, f, rows)
}

// finishScorecard adds the duplicates raised against each partner (from the
// leads: few, served by a partial index), keeps a partner role to its own
// company, names the partners and sorts by offers.
func finishScorecard(app core.App, s ReportScope, f ReportFilter, rows scorecardRows) ([]ScorecardRow, error) {
	get := rows.get
	dw, dp := s.leadsWhere(ReportFilter{Department: f.Department})
	dw = strings.ReplaceAll(dw, "l.partner = {:partner}", "l.conflict_partner = {:partner}")
	dp = period(dp, f)
	if f.Partner != "" {
		dp["fp"] = f.Partner
		dw += " AND l.conflict_partner = {:fp}"
	}
	// (+l.created: the few conflict leads come from the partial index on
	// conflict_partner, never from a walk of the period's leads by date)
	dups := []struct {
		P string `db:"partner"`
		N int    `db:"n"`
	}{}
	if err := app.DB().NewQuery(`SELECT l.conflict_partner AS partner, COUNT(*) AS n FROM leads l
		WHERE l.conflict_partner != '' AND +l.created >= {:from} AND +l.created < {:to} AND ` + dw + ` GROUP BY l.conflict_partner`).Bind(dp).All(&dups); err != nil {
		return nil, err
	}
	for _, d := range dups {
		if _, ok := rows[d.P]; ok || s.Level == policy.All || s.Level == policy.Territory {
			get(d.P).DuplicatesRaise = d.N
		}
	}
	if s.Level == policy.Org || s.Level == policy.Own {
		// a partner's report never names another company
		for id := range rows {
			if id != s.Partner {
				delete(rows, id)
			}
		}
	}
	ids := make([]any, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	names := []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
		Tier string `db:"tier"`
	}{}
	if len(ids) > 0 {
		if err := app.DB().Select("id", "name", "tier").From("partners").Where(dbx.In("id", ids...)).All(&names); err != nil {
			return nil, err
		}
	}
	for _, n := range names {
		rows[n.ID].Name, rows[n.ID].Tier = n.Name, n.Tier
	}
	out := make([]ScorecardRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Offered != out[j].Offered {
			return out[i].Offered > out[j].Offered
		}
		return out[i].Partner < out[j].Partner
	})
	return out, nil
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }

// FunnelReport counts the leads created in the period reaching each stage.
func FunnelReport(app core.App, s ReportScope, f ReportFilter) (map[string]any, error) {
	lw, lp := s.leadsWhere(f)
	lp = period(lp, f)
	offerScope := ""
	if s.Level == policy.Org {
		offerScope = " AND o.partner = {:partner}"
	}
	rows := []struct {
		Status   string `db:"status"`
		Offered  bool   `db:"offered"`
		Accepted bool   `db:"accepted"`
		N        int    `db:"n"`
	}{}
	if err := app.DB().NewQuery(`SELECT l.status AS status,
		EXISTS (SELECT 1 FROM lead_offers o WHERE o.lead = l.id` + offerScope + `) AS offered,
		EXISTS (SELECT 1 FROM lead_offers o WHERE o.lead = l.id AND o.outcome = 'accepted'` + offerScope + `) AS accepted,
		COUNT(*) AS n FROM leads l WHERE l.created >= {:from} AND l.created < {:to} AND ` + lw + ` GROUP BY 1, 2, 3`).Bind(lp).All(&rows); err != nil {
		return nil, err
	}
	in := make([]reportcalc.FunnelLead, len(rows))
	for i, r := range rows {
		in[i] = reportcalc.FunnelLead{Status: r.Status, Offered: r.Offered, Accepted: r.Accepted, N: r.N}
	}
	counts := reportcalc.Funnel(in)
	stages := make([]map[string]any, len(counts))
	for i, c := range counts {
		stages[i] = map[string]any{"stage": reportcalc.FunnelStages[i], "count": c}
	}
	return map[string]any{"stages": stages}, nil
}

// TrendRow is one month of the trend.
type TrendRow struct {
	Month    string  `json:"month"`
	Created  int     `json:"created"`
	Offered  int     `json:"offered"`
	Accepted int     `json:"accepted"`
	Won      int     `json:"won"`
	Revenue  float64 `json:"revenue"`
}

// Trend returns monthly figures over the period.
func Trend(app core.App, s ReportScope, f ReportFilter) ([]TrendRow, error) {
	months := reportcalc.Months(f.From, f.To.Add(-time.Millisecond))
	idx := map[string]*TrendRow{}
	out := make([]TrendRow, len(months))
	for i, m := range months {
		out[i].Month = m
		idx[m] = &out[i]
	}
	lw, lp := s.leadsWhere(f)
	lp = period(lp, f)
	type mc struct {
		M string  `db:"m"`
		N int     `db:"n"`
		V float64 `db:"v"`
	}
	var created, won []mc
	if err := app.DB().NewQuery(`SELECT substr(l.created, 1, 7) AS m, COUNT(*) AS n, 0 AS v FROM leads l
		WHERE l.created >= {:from} AND l.created < {:to} AND ` + lw + ` GROUP BY 1`).Bind(lp).All(&created); err != nil {
		return nil, err
	}
	if err := app.DB().NewQuery(`SELECT substr(l.closed_at, 1, 7) AS m, COUNT(*) AS n, COALESCE(SUM(l.won_amount), 0) AS v FROM leads l
		WHERE l.status = 'won' AND l.closed_at >= {:from} AND l.closed_at < {:to} AND ` + lw + ` GROUP BY 1`).Bind(lp).All(&won); err != nil {
		return nil, err
	}
	ow, op := s.offersWhere(f)
	op = period(op, f)
	var offered, accepted []mc
	if err := app.DB().NewQuery(`SELECT substr(o.offered_at, 1, 7) AS m, COUNT(*) AS n, 0 AS v FROM lead_offers o JOIN leads l ON l.id = o.lead
		WHERE o.offered_at >= {:from} AND o.offered_at < {:to} AND ` + ow + ` GROUP BY 1`).Bind(op).All(&offered); err != nil {
		return nil, err
	}
	if err := app.DB().NewQuery(`SELECT substr(o.decided_at, 1, 7) AS m, COUNT(*) AS n, 0 AS v FROM lead_offers o JOIN leads l ON l.id = o.lead
		WHERE o.outcome = 'accepted' AND o.decided_at >= {:from} AND o.decided_at < {:to} AND ` + ow + ` GROUP BY 1`).Bind(op).All(&accepted); err != nil {
		return nil, err
	}
	for _, x := range created {
		if r := idx[x.M]; r != nil {
			r.Created = x.N
		}
	}
	for _, x := range offered {
		if r := idx[x.M]; r != nil {
			r.Offered = x.N
		}
	}
	for _, x := range accepted {
		if r := idx[x.M]; r != nil {
			r.Accepted = x.N
		}
	}
	for _, x := range won {
		if r := idx[x.M]; r != nil {
			r.Won, r.Revenue = x.N, x.V
		}
	}
	return out, nil
}

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
func Departments(app core.App, s ReportScope, f ReportFilter) ([]DepartmentRow, error) {
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
func departmentCounts(app core.App, s ReportScope, f ReportFilter) (map[string]DepartmentRow, error) {
	if rollupScoped(s, ReportFilter{}) && f.Partner == "" {
		if periods, ok := rollupPeriods(app, "rollup_leads", f); ok {
			return departmentsRollup(app, s, f, periods)
		}
	}
	return departmentsRaw(app, s, f)
}

// departmentsRaw counts the leads created in the period per département
// from the leads.
func departmentsRaw(app core.App, s ReportScope, f ReportFilter) (map[string]DepartmentRow, error) {
	lw, lp := s.leadsWhere(f)
	lp = period(lp, f)
	rows := []struct {
		D        string `db:"d"`
		N        int    `db:"n"`
		Accepted int    `db:"accepted"`
	}{}
	if err := app.DB().NewQuery(`SELECT l.department AS d, COUNT(*) AS n, SUM(l.accepted_at != '') AS accepted FROM leads l
		WHERE l.department != '' AND l.created >= {:from} AND l.created < {:to} AND ` + lw + ` GROUP BY 1`).Bind(lp).All(&rows); err != nil {
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

// ReportPeriod is the default period of a report: the last `months`
// months in whole UTC days, from the same day `months` months ago to the
// end of today (what the rollups answer).
func ReportPeriod(now time.Time, months int) ReportFilter {
	today := reportcalc.DayStart(now)
	return ReportFilter{From: today.AddDate(0, -months, 0), To: today.AddDate(0, 0, 1)}
}

// DashboardWindows are the two periods whose acceptance rates the
// dashboard compares: the last 30 days (today included) and the 30 days
// before, in whole UTC days.
func DashboardWindows(now time.Time) (recent, before ReportFilter) {
	end := reportcalc.DayStart(now).AddDate(0, 0, 1)
	return ReportFilter{From: end.AddDate(0, 0, -30), To: end}, ReportFilter{From: end.AddDate(0, 0, -60), To: end.AddDate(0, 0, -30)}
}

// acceptance returns each partner's offers and acceptance rate over a
// period (the scorecard's first columns): from rollup_offers alone when
// the rollups answer, else from the scorecard.
func acceptance(app core.App, s ReportScope, f ReportFilter) (map[string]ScorecardRow, error) {
	out := map[string]ScorecardRow{}
	if periods, ok := rollupPeriods(app, "rollup_offers", f); ok && rollupScoped(s, f) {
		w, p := rollupWhere(s, f, periods)
		rows := []struct {
			P        string `db:"partner"`
			Offered  int    `db:"offered"`
			Accepted int    `db:"accepted"`
			Decided  int    `db:"decided"`
		}{}
		if err := app.DB().NewQuery(`SELECT partner, SUM(offered) AS offered, SUM(accepted) AS accepted, SUM(accepted + declined + expired) AS decided
			FROM rollup_offers WHERE ` + w + ` GROUP BY partner HAVING SUM(offered) > 0`).Bind(p).All(&rows); err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.P] = ScorecardRow{Partner: r.P, Offered: r.Offered, Accepted: r.Accepted, AcceptedPct: reportcalc.Rate(r.Accepted, r.Decided)}
		}
		return out, nil
	}
	rows, err := Scorecard(app, s, f)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.Partner] = r
	}
	return out, nil
}

// DashboardReport computes the dashboard for a scope.
func DashboardReport(app core.App, s ReportScope, now time.Time) (Dashboard, error) {
	var d Dashboard
	lw, lp := s.leadsWhere(ReportFilter{})
	lp["week"], lp["now"], lp["soon"] = now.AddDate(0, 0, -7).UTC().Format(types.DefaultDateLayout), now.UTC().Format(types.DefaultDateLayout), now.Add(6*time.Hour).UTC().Format(types.DefaultDateLayout)
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM leads l WHERE l.created >= {:week} AND " + lw).Bind(lp).Row(&d.WeekIntake); err != nil {
		return d, err
	}
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM leads l WHERE l.status = 'offered' AND l.accept_by > {:now} AND l.accept_by <= {:soon} AND " + lw).Bind(lp).Row(&d.ExpiringOffers); err != nil {
		return d, err
	}
	if s.Internal {
		if err := app.DB().NewQuery("SELECT COUNT(*) FROM leads l WHERE l.held = 1 AND " + lw).Bind(lp).Row(&d.ConflictsWaiting); err != nil {
			return d, err
		}
	}
	recentWindow, beforeWindow := DashboardWindows(now)
	recent, err := acceptance(app, s, recentWindow)
	if err != nil {
		return d, err
	}
	before, err := acceptance(app, s, beforeWindow)
	if err != nil {
		return d, err
	}
	for _, r := range recent {
		p, ok := before[r.Partner]
		if !ok || r.Offered < 3 || p.Offered < 3 || p.AcceptedPct-r.AcceptedPct < 15 {
			continue
		}
		// the full scorecard row of the few falling partners only
		f := recentWindow
		f.Partner = r.Partner
		rows, err := Scorecard(app, s, f)
		if err != nil {
			return d, err
		}
		for _, full := range rows {
			if full.Partner == r.Partner {
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
		depts, err := Departments(app, s, ReportPeriod(now, 3))
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

// parseReportFilter reads from/to (YYYY-MM-DD, default: the last 12
// months), partner and department; a partner role may only name its own
// company.
func parseReportFilter(e *core.RequestEvent, s ReportScope, now time.Time) (ReportFilter, error) {
	q := e.Request.URL.Query()
	f := ReportPeriod(now, 12)
	if v := q.Get("from"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return f, domain.Invalid("invalid_value", "from", "from must be a date YYYY-MM-DD")
		}
		f.From = t
	}
	if v := q.Get("to"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return f, domain.Invalid("invalid_value", "to", "to must be a date YYYY-MM-DD")
		}
		f.To = t.AddDate(0, 0, 1)
	}
	if !f.From.Before(f.To) {
		return f, domain.Invalid("invalid_value", "from", "from must be before to")
	}
	f.Partner = q.Get("partner")
	if f.Partner != "" && (s.Level == policy.Org || s.Level == policy.Own) && f.Partner != s.Partner {
		return f, domain.Forbidden("not_allowed", "you can only see your own company's figures")
	}
	if d := q.Get("department"); d != "" {
		code, ok := geo.NormalizeDepartement(d)
		if !ok {
			return f, domain.Invalid("invalid_value", "department", "unknown département")
		}
		f.Department = code
	}
	return f, nil
}

// bindReportRoutes registers GET /api/prm/reports/{partners,funnel,trend,departments,dashboard}.
func bindReportRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/prm/reports")
		g.Bind(apis.RequireAuth("users"))
		g.GET("/partners", reportHandler(func(app core.App, s ReportScope, f ReportFilter) (any, error) { return Scorecard(app, s, f) }))
		g.GET("/funnel", reportHandler(func(app core.App, s ReportScope, f ReportFilter) (any, error) { return FunnelReport(app, s, f) }))
		g.GET("/trend", reportHandler(func(app core.App, s ReportScope, f ReportFilter) (any, error) { return Trend(app, s, f) }))
		g.GET("/departments", reportHandler(func(app core.App, s ReportScope, f ReportFilter) (any, error) { return Departments(app, s, f) }))
		g.GET("/dashboard", reportHandler(func(app core.App, s ReportScope, f ReportFilter) (any, error) {
			return DashboardReport(app, s, time.Now())
		}))
		return se.Next()
	})
}

func reportHandler(compute func(core.App, ReportScope, ReportFilter) (any, error)) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		now := time.Now()
		s, err := ScopeForReports(e.App, e.Auth, now)
		if err != nil {
			return APIError(e, err)
		}
		f, err := parseReportFilter(e, s, now)
		if err != nil {
			return APIError(e, err)
		}
		data, err := compute(e.App, s, f)
		if err != nil {
			return APIError(e, err)
		}
		if e.Request.URL.Query().Get("format") == "csv" {
			rows, ok := data.([]ScorecardRow)
			if !ok {
				return APIError(e, domain.Invalid("invalid_value", "format", "CSV is available for the partner scorecard"))
			}
			return scorecardCSV(e, s, f, rows)
		}
		return e.JSON(http.StatusOK, map[string]any{"from": f.From.Format("2006-01-02"), "to": f.To.AddDate(0, 0, -1).Format("2006-01-02"), "scope": s.Level, "data": data})
	}
}

// scorecardCSV downloads the scorecard where the matrix grants the export
// of reports; audited, formulas neutralised.
func scorecardCSV(e *core.RequestEvent, s ReportScope, f ReportFilter, rows []ScorecardRow) error {
	ok, _, err := ExportRight(e.App, e.Auth, "reports", time.Now())
	if err != nil {
		return APIError(e, err)
	}
	if !ok {
		// a refusal that cannot be recorded is an error, not a quiet 403
		if err := audit.Append(e.App, audit.ActorOf(e), ActionExportDenied, "reports", "", map[string]any{"report": "partners"}); err != nil {
			return APIError(e, err)
		}
		return e.ForbiddenError("Your role may not export reports.", nil)
	}
	if err := audit.Append(e.App, audit.ActorOf(e), "export.reports", "reports", "", map[string]any{
		"report": "partners", "rows": len(rows), "from": f.From.Format("2006-01-02"), "to": f.To.Format("2006-01-02"), "partner": f.Partner, "department": f.Department,
	}); err != nil {
		return APIError(e, err)
	}
	e.Response.Header().Set("Content-Type", "text/csv; charset=utf-8")
	e.Response.Header().Set("Content-Disposition", `attachment; filename="relais-scorecard.csv"`)
	w := csv.NewWriter(e.Response)
	_ = w.Write([]string{"partner", "name", "tier", "offered", "accepted", "accepted_pct", "median_accept_hours", "p90_accept_hours", "sla_breaches", "declined", "won", "conversion_pct", "revenue", "open_pipeline", "duplicates"})
	for _, r := range rows {
		_ = w.Write([]string{r.Partner, NeutraliseCell(r.Name), r.Tier, strconv.Itoa(r.Offered), strconv.Itoa(r.Accepted), fmt.Sprint(r.AcceptedPct),
			fmt.Sprint(r.MedianAcceptH), fmt.Sprint(r.P90AcceptH), strconv.Itoa(r.SLABreaches), strconv.Itoa(r.Declined), strconv.Itoa(r.Won),
			fmt.Sprint(r.ConversionPct), fmt.Sprint(r.Revenue), fmt.Sprint(r.OpenPipeline), strconv.Itoa(r.DuplicatesRaise)})
	}
	w.Flush()
	return w.Error()
}
