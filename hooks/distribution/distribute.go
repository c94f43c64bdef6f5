package distribution

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/assign"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/roles"
)

// loadRules reads the assignment rules.
func loadRules(app core.App) ([]assign.Rule, error) {
	recs, err := app.FindAllRecords("assignment_rules")
	if err != nil {
		return nil, err
	}
	out := make([]assign.Rule, 0, len(recs))
	for _, r := range recs {
		out = append(out, assign.Rule{
			ID: r.Id, Name: r.GetString("name"), Priority: r.GetInt("priority"), Active: r.GetBool("active"),
			Territory: r.GetString("territory"), Segments: r.GetStringSlice("segments"), MinScore: r.GetInt("min_score"),
			PartnerKinds: r.GetStringSlice("partner_kinds"), Tiers: r.GetStringSlice("tiers"), Partners: r.GetStringSlice("partners"),
			Strategy: r.GetString("strategy"), AcceptHours: r.GetInt("accept_hours"), MaxOffers: r.GetInt("max_offers"),
		})
	}
	return out, nil
}

// loadCandidates reads the partners that may serve a lead — those the rule
// lists, or else those serving its territory (their own territories plus
// running partner territory grants) — with the state the engine needs: open
// leads, active users, offer and win history, latest offer. The statistics
// are counted for these partners only, through the partner indexes, so the
// cost does not grow with the number of leads of the whole network.
// The candidates' open leads and wins, through the partial indexes of
// migration 1763800400 named explicitly: without statistics SQLite prefers
// idx_leads_status for a long partner IN list and reads every open lead of
// the network (0.5 s a count at 1M leads instead of ~10 ms). The indexes
// survive collection saves (TestDistributionIndexesSurviveCollectionSaves).
// OpenLeadsSQL and WonLeadsSQL count the candidates' entrusted and won
// leads; the partial index's condition is the entrusted statuses (their
// plans are tested).
var (
	OpenLeadsSQL = "SELECT partner AS p, COUNT(*) AS n FROM leads INDEXED BY idx_leads_partner_open WHERE partner IN (%s) AND status IN (" +
		lifecycle.SQLList(lifecycle.EntrustedStatuses()) + ") GROUP BY partner"
	WonLeadsSQL = "SELECT partner AS p, COUNT(*) AS n FROM leads INDEXED BY idx_leads_partner_won WHERE partner IN (%s) AND status = '" +
		lifecycle.StatusWon + "' GROUP BY partner"
)

func loadCandidates(app core.App, now time.Time, rule *assign.Rule, territory string) ([]assign.Partner, error) {
	recs, err := app.FindAllRecords("partners")
	if err != nil {
		return nil, err
	}
	nowS := now.UTC().Format(types.DefaultDateLayout)
	extra, err := grantedTerritories(app, nowS)
	if err != nil {
		return nil, err
	}
	pool := candidatePool(recs, rule, territory, extra)
	if len(pool) == 0 {
		return nil, nil
	}
	st, err := loadStats(app, pool, nowS)
	if err != nil {
		return nil, err
	}
	out := make([]assign.Partner, 0, len(pool))
	for _, r := range pool {
		p := assign.Partner{
			ID: r.Id, Kind: r.GetString("kind"), Tier: r.GetString("tier"), Status: r.GetString("status"),
			Territories: append(r.GetStringSlice("territories"), extra[r.Id]...), Segments: r.GetStringSlice("segments"),
			Capacity: r.GetInt("capacity"), OpenLeads: st.open[r.Id], Weight: r.GetFloat("weight"), ActiveUsers: st.users[r.Id],
			Offered: st.offered[r.Id], Won: st.won[r.Id], LastOfferedAt: st.lastAt[r.Id], Certificates: st.certs[r.Id],
		}
		if ce := r.GetDateTime("contract_end"); !ce.IsZero() {
			p.ContractEnd = ce.Time()
		}
		out = append(out, p)
	}
	return out, nil
}

// grantedTerritories are the territories of the partners' running
// territory grants, by partner.
func grantedTerritories(app core.App, nowS string) (map[string][]string, error) {
	grants := []struct {
		P string `db:"p"`
		T string `db:"t"`
	}{}
	if err := app.DB().NewQuery("SELECT partner AS p, territory AS t FROM grants WHERE partner != '' AND kind = 'territory' AND territory != '' AND (starts = '' OR starts <= {:now}) AND expires > {:now}").
		Bind(dbx.Params{"now": nowS}).All(&grants); err != nil {
		return nil, err
	}
	extra := map[string][]string{}
	for _, g := range grants {
		extra[g.P] = append(extra[g.P], g.T)
	}
	return extra, nil
}

// candidatePool keeps the partners a rule lists, or without a list the
// partners serving the territory (their own territories or a grant's).
func candidatePool(recs []*core.Record, rule *assign.Rule, territory string, extra map[string][]string) []*core.Record {
	var pool []*core.Record
	for _, r := range recs {
		switch {
		case rule != nil && len(rule.Partners) > 0:
			if slices.Contains(rule.Partners, r.Id) {
				pool = append(pool, r)
			}
		case territory != "":
			if slices.Contains(r.GetStringSlice("territories"), territory) || slices.Contains(extra[r.Id], territory) {
				pool = append(pool, r)
			}
		}
	}
	return pool
}

// candidateStats are the counts the strategies weigh, by partner.
type candidateStats struct {
	open, users, offered, won map[string]int
	lastAt                    map[string]time.Time
	certs                     map[string]map[string]time.Time
}

// loadStats counts, for the pool's partners only (through the partner
// indexes), their entrusted leads, active users, offers and wins, and the
// time of their latest offer, and their certificates.
func loadStats(app core.App, pool []*core.Record, nowS string) (candidateStats, error) {
	var st candidateStats
	ids := make([]any, len(pool))
	for i, r := range pool {
		ids[i] = r.Id
	}
	in, inParams := inList("pid", ids)
	inParams["now"] = nowS
	counts := func(q string) (map[string]int, error) {
		rows := []struct {
			P string `db:"p"`
			N int    `db:"n"`
		}{}
		if err := app.DB().NewQuery(q).Bind(inParams).All(&rows); err != nil {
			return nil, err
		}
		m := make(map[string]int, len(rows))
		for _, r := range rows {
			m[r.P] = r.N
		}
		return m, nil
	}
	var err error
	for _, c := range []struct {
		dst *map[string]int
		q   string
	}{
		{&st.open, fmt.Sprintf(OpenLeadsSQL, in)},
		{&st.users, "SELECT partner AS p, COUNT(*) AS n FROM users WHERE partner IN (" + in + ") AND active = 1 AND (access_expires = '' OR access_expires > {:now}) GROUP BY partner"},
		{&st.offered, "SELECT partner AS p, COUNT(*) AS n FROM lead_offers WHERE partner IN (" + in + ") GROUP BY partner"},
		{&st.won, fmt.Sprintf(WonLeadsSQL, in)},
	} {
		if *c.dst, err = counts(c.q); err != nil {
			return st, err
		}
	}
	last := []struct {
		P string `db:"p"`
		T string `db:"t"`
	}{}
	if err := app.DB().NewQuery("SELECT partner AS p, MAX(offered_at) AS t FROM lead_offers WHERE partner IN (" + in + ") GROUP BY partner").Bind(inParams).All(&last); err != nil {
		return st, err
	}
	st.lastAt = map[string]time.Time{}
	for _, l := range last {
		if d, err := types.ParseDateTime(l.T); err == nil {
			st.lastAt[l.P] = d.Time()
		}
	}
	st.certs, err = partnerCertificates(app, in, inParams)
	return st, err
}

// inList renders {:prefix0},{:prefix1},… with their params.
func inList(prefix string, values []any) (string, dbx.Params) {
	ph := make([]string, len(values))
	p := dbx.Params{}
	for i, v := range values {
		k := prefix + strconv.Itoa(i)
		ph[i] = "{:" + k + "}"
		p[k] = v
	}
	return strings.Join(ph, ","), p
}

// excludedPartners are the partners that declined this lead, let an offer
// expire or hold a pending offer: they never get it (again).
func excludedPartners(app core.App, leadID string) (map[string]bool, error) {
	rows := []struct {
		P string `db:"partner"`
	}{}
	err := app.DB().Select("partner").From("lead_offers").
		Where(dbx.HashExp{"lead": leadID}).AndWhere(dbx.In("outcome", "declined", "expired", "pending")).All(&rows)
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, r := range rows {
		m[r.P] = true
	}
	return m, nil
}

// DistributeResult tells what Distribute did.
type DistributeResult struct {
	Offered  bool
	Partner  string
	ToPool   bool // the lead went back to the pool (offers exhausted or no candidate after offers)
	Reason   string
	Skipped  map[string]string
	RuleName string
}

// Distribute offers a distributable lead to the next partner chosen by the
// assignment rules. It must run in a transaction (pass the tx app). When the
// lead reached its maximum number of offers, or no partner is left after at
// least one offer, the lead returns to the pool and its channel managers are
// notified.
func Distribute(tx core.App, leadID string, actor audit.Actor, now time.Time) (DistributeResult, error) {
	lead, err := tx.FindRecordById("leads", leadID)
	if err != nil {
		return DistributeResult{}, err
	}
	st := lead.GetString("status")
	if !lifecycle.Distributable(st) || lead.GetBool("held") {
		return DistributeResult{Reason: "not_distributable"}, nil
	}
	settings, err := access.LoadSettings(tx)
	if err != nil {
		return DistributeResult{}, err
	}
	if lead.GetInt("score") < settings.ScoreThreshold && !lead.GetBool("forced") {
		return DistributeResult{Reason: "below_threshold"}, nil
	}
	rules, err := loadRules(tx)
	if err != nil {
		return DistributeResult{}, err
	}
	al := assign.Lead{ID: lead.Id, Territory: lead.GetString("territory"), Segment: lead.GetString("segment"), Score: lead.GetInt("score"),
		Certificates: leadCertificates(settings, lead)}
	matched := matchRule(rules, al)
	offers := lead.GetInt("offers_count")
	if offersExhausted(matched, offers, settings.MaxOffers) {
		return DistributeResult{ToPool: true, Reason: "offers_exhausted"}, backToPool(tx, lead, actor, "offers_exhausted")
	}
	partners, err := loadCandidates(tx, now, matched, lead.GetString("territory"))
	if err != nil {
		return DistributeResult{}, err
	}
	excluded, err := excludedPartners(tx, lead.Id)
	if err != nil {
		return DistributeResult{}, err
	}
	dec, err := assign.Select(rules, al, partners, excluded, now)
	if errors.Is(err, assign.ErrNoRule) || errors.Is(err, assign.ErrNoCandidate) {
		return noCandidate(tx, lead, actor, err, dec, offers, now)
	}
	if err != nil {
		return DistributeResult{}, err
	}
	hours := dec.Rule.AcceptHours
	if hours <= 0 {
		hours = settings.DefaultAcceptHours
	}
	if err := offer(tx, lead, dec.Partner.ID, hours, actor, "lead.offer", now); err != nil {
		return DistributeResult{}, err
	}
	return DistributeResult{Offered: true, Partner: dec.Partner.ID, Skipped: dec.Skipped, RuleName: dec.Rule.Name}, nil
}

// matchRule is the assignment rule that applies to the lead (nil: none).
func matchRule(rules []assign.Rule, l assign.Lead) *assign.Rule {
	if rule, ok := assign.MatchRule(rules, l); ok {
		return &rule
	}
	return nil
}

// offersExhausted reports whether a lead offered offers times may not be
// offered again: the rule's maximum, or without a rule the settings'.
func offersExhausted(rule *assign.Rule, offers, maxOffers int) bool {
	if rule != nil {
		return assign.OffersExhausted(*rule, offers, maxOffers)
	}
	return offers >= maxOffers
}

// noCandidate ends a distribution that found no rule or no candidate
// (err): a lead offered before goes back to the pool, its channel
// managers alerted; a lead never offered waits where it is, marked as
// waiting for a partner (markWaiting: its managers alerted once).
func noCandidate(tx core.App, lead *core.Record, actor audit.Actor, err error, dec assign.Decision, offers int, now time.Time) (DistributeResult, error) {
	res := DistributeResult{Reason: "no_candidate", Skipped: dec.Skipped, RuleName: dec.Rule.Name}
	if errors.Is(err, assign.ErrNoRule) {
		res.Reason = "no_rule"
	}
	if offers > 0 {
		res.ToPool = true
		return res, backToPool(tx, lead, actor, res.Reason)
	}
	return res, markWaiting(tx, lead, actor, res.Reason, now)
}

// pickAssignee chooses who receives the offer in the partner company: the
// active salesperson with the fewest open leads, else a partner manager.
func pickAssignee(tx core.App, partnerID string, now time.Time) (*core.Record, error) {
	rows := []struct {
		ID   string `db:"id"`
		Role string `db:"role"`
		Open int    `db:"open"`
	}{}
	err := tx.DB().NewQuery(`SELECT u.id AS id, u.role AS role,
		(SELECT COUNT(*) FROM leads l WHERE l.assignee = u.id AND l.status IN (` + lifecycle.SQLList(lifecycle.EntrustedStatuses()) + `)) AS open
		FROM users u JOIN roles r ON r.id = u.role
		WHERE u.partner = {:p} AND u.active = 1 AND (u.access_expires = '' OR u.access_expires > {:now}) AND r.kind = {:kind}
		ORDER BY CASE u.role WHEN {:manager} THEN 1 ELSE 0 END, open, u.id`).
		Bind(dbx.Params{"p": partnerID, "now": now.UTC().Format(types.DefaultDateLayout), "kind": roles.Partner, "manager": roles.PartnerManager}).All(&rows)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, domain.Conflict("no_active_user", "the partner has no active user to receive the offer")
	}
	return tx.FindRecordById("users", rows[0].ID)
}

// offer makes the lead an offer to a partner: a pending lead_offers row, the
// lead `offered` with its deadline, the partner's users notified in-app and
// by e-mail (never with contact details), and one audit entry.
func offer(tx core.App, lead *core.Record, partnerID string, hours int, actor audit.Actor, action string, now time.Time) error {
	partner, err := tx.FindRecordById("partners", partnerID)
	if err != nil {
		return err
	}
	assignee, err := pickAssignee(tx, partnerID, now)
	if err != nil {
		return err
	}
	acceptBy := now.Add(time.Duration(hours) * time.Hour)
	oc, err := tx.FindCachedCollectionByNameOrId("lead_offers")
	if err != nil {
		return err
	}
	o := core.NewRecord(oc)
	o.Set("lead", lead.Id)
	o.Set("partner", partnerID)
	o.Set("assignee", assignee.Id)
	o.Set("offered_at", now)
	o.Set("accept_by", acceptBy)
	o.Set("outcome", "pending")
	if err := tx.Save(o); err != nil {
		return err
	}
	lead.Set("status", "offered")
	lead.Set("partner", partnerID)
	lead.Set("assignee", assignee.Id)
	lead.Set("offered_at", now)
	lead.Set("accept_by", acceptBy)
	lead.Set("accepted_at", "")
	lead.Set("offers_count", lead.GetInt("offers_count")+1)
	if err := tx.Save(lead); err != nil {
		return err
	}
	if err := clearWaiting(tx, lead.Id); err != nil {
		return err
	}
	if err := audit.Append(tx, actor, action, "leads", lead.Id, map[string]any{
		"partner": partnerID, "assignee": assignee.Id, "accept_by": acceptBy.UTC().Format(types.DefaultDateLayout), "offer": o.Id, "offers_count": lead.GetInt("offers_count"),
	}); err != nil {
		return err
	}
	return notifyOffer(tx, lead, partner, assignee, acceptBy)
}

// backToPool returns a lead to the central pool and alerts its channel
// managers.
func backToPool(tx core.App, lead *core.Record, actor audit.Actor, reason string) error {
	lead.Set("status", "recycled")
	lead.Set("partner", "")
	lead.Set("assignee", "")
	lead.Set("offered_at", "")
	lead.Set("accept_by", "")
	if err := tx.Save(lead); err != nil {
		return err
	}
	if err := audit.Append(tx, actor, "lead.back_to_pool", "leads", lead.Id, map[string]any{"reason": reason, "offers_count": lead.GetInt("offers_count")}); err != nil {
		return err
	}
	return notifyChannelManagers(tx, lead, "lead_back_to_pool",
		notify.Msg("back_to_pool", "lead", leadName(lead), "city", lead.GetString("city")))
}
