package reports

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reportcalc"
)

// Funnel counts the leads created in the period reaching each stage.
func Funnel(app core.App, s Scope, f Filter) (map[string]any, error) {
	lw, lp := s.leadsWhere(f)
	lp = withPeriod(lp, f)
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
	if err := app.DB().NewQuery(fill(qFunnel, "{offers}", offerScope, "{scope}", lw)).Bind(lp).All(&rows); err != nil {
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
func Trend(app core.App, s Scope, f Filter) ([]TrendRow, error) {
	months := reportcalc.Months(f.From, f.To.Add(-time.Millisecond))
	idx := map[string]*TrendRow{}
	out := make([]TrendRow, len(months))
	for i, m := range months {
		out[i].Month = m
		idx[m] = &out[i]
	}
	lw, lp := s.leadsWhere(f)
	lp = withPeriod(lp, f)
	type mc struct {
		M string  `db:"m"`
		N int     `db:"n"`
		V float64 `db:"v"`
	}
	var created, won []mc
	if err := app.DB().NewQuery(fill(qTrendCreated, "{scope}", lw)).Bind(lp).All(&created); err != nil {
		return nil, err
	}
	if err := app.DB().NewQuery(fill(qTrendWon, "{scope}", lw)).Bind(lp).All(&won); err != nil {
		return nil, err
	}
	ow, op := s.offersWhere(f)
	op = withPeriod(op, f)
	var offered, accepted []mc
	if err := app.DB().NewQuery(fill(qTrendOffered, "{scope}", ow)).Bind(op).All(&offered); err != nil {
		return nil, err
	}
	if err := app.DB().NewQuery(fill(qTrendAccepted, "{scope}", ow)).Bind(op).All(&accepted); err != nil {
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
