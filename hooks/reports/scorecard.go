package reports

import (
	"sort"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/reportcalc"
)

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
	DeclineReasons  map[string]int `json:"decline_reasons"` // by reason code (package reasons)
	Won             int            `json:"won"`
	ConversionPct   float64        `json:"conversion_pct"`
	Revenue         float64        `json:"revenue"`
	OpenPipeline    float64        `json:"open_pipeline"`
	DuplicatesRaise int            `json:"duplicates"`
}

// Scorecard computes one row per partner with figures in the period: from
// the rollups (rollups.go) when the scope is the whole network or
// territories, the period whole UTC days and no département is named;
// otherwise (a company, a salesperson, a département, a period cut inside
// a day) from the offers and leads themselves, which the indexes serve.
func Scorecard(app core.App, s Scope, f Filter) ([]ScorecardRow, error) {
	if rollupScoped(s, f) {
		if periods, ok := rollupPeriods(app, "rollup_offers", f); ok {
			return scorecardRollup(app, s, f, periods)
		}
	}
	return ScorecardRaw(app, s, f)
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

// ScorecardRaw computes the scorecard from the offers and leads
// themselves: what Scorecard does when the rollups cannot answer, and the
// reference the rollups are tested against.
func ScorecardRaw(app core.App, s Scope, f Filter) ([]ScorecardRow, error) {
	rows := scorecardRows{}
	get := rows.get
	offers, err := scorecardOffers(app, s, f)
	if err != nil {
		return nil, err
	}
	ow, op := s.offersWhere(f)
	op = withPeriod(op, f)
	for _, o := range offers {
		r := get(o.P)
		r.Offered, r.Accepted, r.Declined, r.SLABreaches = o.Offered, o.Accepted, o.Declined, o.Expired
		r.AcceptedPct = reportcalc.Rate(o.Accepted, o.Accepted+o.Declined+o.Expired)
	}
	delays := []struct {
		P string  `db:"partner"`
		H float64 `db:"h"`
	}{}
	if err := app.DB().NewQuery(fill(qScorecardDelays, "{scope}", ow)).Bind(op).All(&delays); err != nil {
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
	if err := app.DB().NewQuery(fill(qScorecardDeclines, "{scope}", ow)).Bind(op).All(&reasons); err != nil {
		return nil, err
	}
	for _, r := range reasons {
		get(r.P).DeclineReasons[r.R] = r.N
	}
	lw, lp := s.leadsWhere(f)
	lp = withPeriod(lp, f)
	won := []struct {
		P        string  `db:"partner"`
		Accepted int     `db:"accepted"`
		Won      int     `db:"won"`
		Revenue  float64 `db:"revenue"`
	}{}
	if err := app.DB().NewQuery(fill(qScorecardWon, "{scope}", lw)).Bind(lp).All(&won); err != nil {
		return nil, err
	}
	for _, w := range won {
		r := get(w.P)
		r.Won, r.Revenue = w.Won, w.Revenue
		r.ConversionPct = reportcalc.Conversion(w.Won, w.Accepted)
	}
	pipe := []struct {
		P string  `db:"partner"`
		V float64 `db:"v"`
	}{}
	if err := app.DB().NewQuery(fill(qScorecardPipeline, "{pipeline}", lifecycle.SQLList(lifecycle.PipelineStatuses()), "{scope}", lw)).Bind(lp).All(&pipe); err != nil {
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
func finishScorecard(app core.App, s Scope, f Filter, rows scorecardRows) ([]ScorecardRow, error) {
	get := rows.get
	dw, dp := s.leadsWhere(Filter{Department: f.Department})
	dw = strings.ReplaceAll(dw, "l.partner = {:partner}", "l.conflict_partner = {:partner}")
	dp = withPeriod(dp, f)
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
	if err := app.DB().NewQuery(fill(qScorecardDuplicates, "{scope}", dw)).Bind(dp).All(&dups); err != nil {
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

// Acceptance returns each partner's offers and acceptance rate over a
// period (the scorecard's first columns) for the partners with offers in
// it: from rollup_offers alone when the rollups answer, else from the
// scorecard's count of the offers (acceptanceRaw).
func Acceptance(app core.App, s Scope, f Filter) (map[string]ScorecardRow, error) {
	if keys, ok := companyKeys(s, []Filter{f}); ok {
		out := make([]map[string]ScorecardRow, 1)
		return out[0], companyAcceptance(app, s, []Filter{f}, keys, out)
	}
	if !rollupScoped(s, f) {
		return acceptanceRaw(app, s, f)
	}
	out := map[string]ScorecardRow{}
	if periods, ok := rollupPeriods(app, "rollup_offers", f); ok {
		w, p := rollupWhere(s, f, periods)
		rows := []struct {
			P        string `db:"partner"`
			Offered  int    `db:"offered"`
			Accepted int    `db:"accepted"`
			Decided  int    `db:"decided"`
		}{}
		if err := app.DB().NewQuery(fill(qRollupAcceptance, "{scope}", w)).Bind(p).All(&rows); err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.P] = ScorecardRow{Partner: r.P, Offered: r.Offered, Accepted: r.Accepted, AcceptedPct: reportcalc.Rate(r.Accepted, r.Decided)}
		}
		return out, nil
	}
	return acceptanceRaw(app, s, f)
}

// acceptanceRaw is Acceptance from the offers themselves: the one offer
// query of ScorecardRaw (not its delays, declines, wins and pipeline),
// a partner role kept to its own company as finishScorecard keeps it (in
// the query itself: the filter on the company's offers).
func acceptanceRaw(app core.App, s Scope, f Filter) (map[string]ScorecardRow, error) {
	offers, err := scorecardOffers(app, s, ownCompany(s, f))
	if err != nil {
		return nil, err
	}
	out := map[string]ScorecardRow{}
	for _, o := range offers {
		keepAcceptance(out, s, o)
	}
	return out, nil
}

// ownCompany is f for a partner role's offers: only its company's are
// kept (keepAcceptance); asked of the database, a partner person's offers
// are found by the (partner, offered_at) index instead of scanning every
// offer of the period.
func ownCompany(s Scope, f Filter) Filter {
	if (s.Level == policy.Org || s.Level == policy.Own) && s.Partner != "" && f.Partner == "" {
		f.Partner = s.Partner
	}
	return f
}

// keepAcceptance adds a partner's offer counts o to out as its acceptance
// row, unless it has no offer or a partner role sees another company.
func keepAcceptance(out map[string]ScorecardRow, s Scope, o offerCounts) {
	own := s.Level == policy.Org || s.Level == policy.Own
	if o.Offered <= 0 || (own && o.P != s.Partner) {
		return
	}
	out[o.P] = ScorecardRow{Partner: o.P, Offered: o.Offered, Accepted: o.Accepted,
		AcceptedPct: reportcalc.Rate(o.Accepted, o.Accepted+o.Declined+o.Expired)}
}

// offerCounts are a partner's offers by outcome in a scope and period.
type offerCounts struct {
	P        string `db:"partner"`
	Offered  int    `db:"offered"`
	Accepted int    `db:"accepted"`
	Declined int    `db:"declined"`
	Expired  int    `db:"expired"`
}

// scorecardOffers counts the offers of the scope and period per partner
// (the offer query of ScorecardRaw and acceptanceRaw).
func scorecardOffers(app core.App, s Scope, f Filter) ([]offerCounts, error) {
	ow, op := s.offersWhere(f)
	op = withPeriod(op, f)
	offers := []offerCounts{}
	err := app.DB().NewQuery(fill(qScorecardOffers, "{scope}", ow)).Bind(op).All(&offers)
	return offers, err
}
