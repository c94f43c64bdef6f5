package bench

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/reports"
)

// Report routes of SPEC §6 measured by the dashboard and scorecard figures.
const (
	DashboardURL = "/api/prm/reports/dashboard"
	ScorecardURL = "/api/prm/reports/partners"
)

// ReportsRouted reports whether the binary serves the report routes; when
// it does not, the report figures measure only their SQL.
func (e *Env) ReportsRouted() bool {
	st, _ := e.Client.Do(http.MethodGet, DashboardURL, e.Admin.Token, nil)
	return st != http.StatusNotFound
}

// DashboardREST is the management dashboard as the admin.
func (e *Env) DashboardREST() error {
	_, err := e.get(DashboardURL, e.Admin)
	return err
}

// ScorecardREST is the partner scorecard over 12 months, every partner,
// as the admin.
func (e *Env) ScorecardREST() error {
	_, err := e.get(ScorecardURL, e.Admin)
	return err
}

// OwnScorecardREST is the scorecard of a partner manager's own company.
func (e *Env) OwnScorecardREST(i int) error {
	m := e.Managers[i%len(e.Managers)]
	_, err := e.get(ScorecardURL, m)
	return err
}

// The raw references of the reports compute the same figures with the
// fewest queries the current schema allows (no join to leads where the
// scope is everything), medians in Go like the route.

type partnerCount struct {
	P string  `db:"p"`
	N int     `db:"n"`
	A int     `db:"a"`
	D int     `db:"d"`
	X int     `db:"x"`
	V float64 `db:"v"`
}

// DashboardRaw is the limit of DashboardREST.
func (e *Env) DashboardRaw() error {
	now := time.Now()
	p := dbx.Params{"week": dbTime(now.AddDate(0, 0, -7)), "now": dbTime(now), "soon": dbTime(now.Add(6 * time.Hour)),
		"m1": dbTime(now.AddDate(0, 0, -30)), "m2": dbTime(now.AddDate(0, 0, -60)), "q": dbTime(now.AddDate(0, -3, 0))}
	var n int
	for _, q := range []string{
		"SELECT COUNT(*) FROM leads WHERE created >= {:week}",
		"SELECT COUNT(*) FROM leads WHERE status = 'offered' AND accept_by > {:now} AND accept_by <= {:soon}",
		"SELECT COUNT(*) FROM leads WHERE held = 1",
	} {
		if err := e.App.DB().NewQuery(q).Bind(p).Row(&n); err != nil {
			return err
		}
	}
	for _, from := range []string{"m1", "m2"} {
		rows := []partnerCount{}
		if err := e.App.DB().NewQuery(`SELECT partner AS p, COUNT(*) AS n, SUM(outcome = 'accepted') AS a, SUM(outcome = 'declined') AS d, SUM(outcome = 'expired') AS x, 0 AS v
			FROM lead_offers WHERE offered_at >= {:` + from + `} GROUP BY partner`).Bind(p).All(&rows); err != nil {
			return err
		}
	}
	rows := []partnerCount{}
	return e.App.DB().NewQuery("SELECT department AS p, COUNT(*) AS n, 0 AS a, 0 AS d, 0 AS x, 0 AS v FROM leads WHERE created >= {:q} GROUP BY department").Bind(p).All(&rows)
}

// ScorecardRaw is the limit of ScorecardREST (every partner, 12 months).
func (e *Env) ScorecardRaw() error { return e.scorecardRaw("", "") }

// OwnScorecardRaw is the limit of OwnScorecardREST.
func (e *Env) OwnScorecardRaw(i int) error {
	return e.scorecardRaw(" AND partner = {:partner}", e.Managers[i%len(e.Managers)].Partner)
}

func (e *Env) scorecardRaw(scope, partner string) error {
	period := reports.Period(time.Now(), 12) // the route's period
	p := dbx.Params{"from": dbTime(period.From), "to": dbTime(period.To), "partner": partner}
	db := e.App.DB()
	counts := []partnerCount{}
	if err := db.NewQuery(`SELECT partner AS p, COUNT(*) AS n, SUM(outcome = 'accepted') AS a, SUM(outcome = 'declined') AS d, SUM(outcome = 'expired') AS x, 0 AS v
		FROM lead_offers WHERE offered_at >= {:from} AND offered_at < {:to}` + scope + ` GROUP BY partner`).Bind(p).All(&counts); err != nil {
		return err
	}
	delays := []struct {
		P string  `db:"p"`
		H float64 `db:"h"`
	}{}
	if err := db.NewQuery(`SELECT partner AS p, (julianday(decided_at) - julianday(offered_at)) * 24 AS h FROM lead_offers
		WHERE outcome = 'accepted' AND decided_at != '' AND offered_at >= {:from} AND offered_at < {:to}` + scope).Bind(p).All(&delays); err != nil {
		return err
	}
	byPartner := map[string][]float64{}
	for _, d := range delays {
		byPartner[d.P] = append(byPartner[d.P], d.H)
	}
	for _, hs := range byPartner {
		sort.Float64s(hs) // median and p90
	}
	for _, q := range []string{
		`SELECT partner AS p, COUNT(*) AS n, 0 AS a, 0 AS d, 0 AS x, 0 AS v FROM lead_offers WHERE outcome = 'declined' AND offered_at >= {:from} AND offered_at < {:to}` + scope + ` GROUP BY partner, reason`,
		`SELECT partner AS p, COUNT(*) AS n, SUM(status = 'won') AS a, 0 AS d, 0 AS x, COALESCE(SUM(CASE WHEN status = 'won' THEN won_amount ELSE 0 END), 0) AS v
			FROM leads WHERE partner != '' AND accepted_at >= {:from} AND accepted_at < {:to}` + scope + ` GROUP BY partner`,
		`SELECT partner AS p, COUNT(*) AS n, 0 AS a, 0 AS d, 0 AS x, COALESCE(SUM(estimated_value), 0) AS v FROM leads
			WHERE partner != '' AND status IN ('accepted','contacted','meeting')` + scope + ` GROUP BY partner`,
	} {
		rows := []partnerCount{}
		if err := db.NewQuery(q).Bind(p).All(&rows); err != nil {
			return err
		}
	}
	dupScope := ""
	if partner != "" {
		dupScope = " AND conflict_partner = {:partner}"
	}
	rows := []partnerCount{}
	return db.NewQuery(`SELECT conflict_partner AS p, COUNT(*) AS n, 0 AS a, 0 AS d, 0 AS x, 0 AS v FROM leads
		WHERE conflict_partner != '' AND created >= {:from} AND created < {:to}` + dupScope + ` GROUP BY conflict_partner`).Bind(p).All(&rows)
}

// checkScorecard verifies that the admin scorecard of the route counts the
// offers the raw SQL counts.
func (e *Env) checkScorecard() error {
	body, err := e.get(ScorecardURL, e.Admin)
	if err != nil {
		return err
	}
	var out struct {
		Data []struct {
			Partner string `json:"partner"`
			Offered int    `json:"offered"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return err
	}
	got := 0
	for _, r := range out.Data {
		got += r.Offered
	}
	var want int
	period := reports.Period(time.Now(), 12) // the route's period
	if err := e.App.DB().NewQuery("SELECT COUNT(*) FROM lead_offers WHERE offered_at >= {:from} AND offered_at < {:to}").
		Bind(dbx.Params{"from": dbTime(period.From), "to": dbTime(period.To)}).Row(&want); err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("bench: scorecard: the route counts %d offers over 12 months, the raw SQL %d", got, want)
	}
	return nil
}
