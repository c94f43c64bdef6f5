package distribution

import (
	"errors"
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

// OpenLeadsSQL and WonLeadsSQL count partners' entrusted and won leads
// (the IN list of partners in %s) through the partial indexes of migration
// 1763800400, named explicitly: without statistics SQLite prefers
// idx_leads_status for a long partner IN list. The engine reads these
// figures from the distribution counters (counters.go); the queries count
// the same for checks and tools (their plans are tested).
var (
	OpenLeadsSQL = "SELECT partner AS p, COUNT(*) AS n FROM leads INDEXED BY idx_leads_partner_open WHERE partner IN (%s) AND status IN (" +
		lifecycle.SQLList(lifecycle.EntrustedStatuses()) + ") GROUP BY partner"
	WonLeadsSQL = "SELECT partner AS p, COUNT(*) AS n FROM leads INDEXED BY idx_leads_partner_won WHERE partner IN (%s) AND status = '" +
		lifecycle.StatusWon + "' GROUP BY partner"
)

// loadCandidates returns the partners that may serve a lead — those the
// rule lists, or else those serving its territory (their own territories
// plus running partner territory grants) — with the state the engine
// needs: from the candidates' cache (candidates_cache.go) their profile,
// grants, active users and certificates, decided at now; from the
// distribution counters, read in the caller's transaction, their open
// leads, offers, wins and latest offer.
func loadCandidates(app core.App, base *candidateBase, now time.Time, rule *assign.Rule, territory string) ([]assign.Partner, error) {
	nowS := nowString(now)
	extra := base.grantedAt(nowS)
	pool := candidatePool(base.partners, rule, territory, extra)
	if len(pool) == 0 {
		return nil, nil
	}
	ids := make([]any, len(pool))
	for i, p := range pool {
		ids[i] = p.ID
	}
	in, params := inList("pid", ids)
	counts, err := loadCounters(app.DB(), in, params)
	if err != nil {
		return nil, err
	}
	out := make([]assign.Partner, 0, len(pool))
	for _, p := range pool {
		c := counts[p.ID]
		p.Territories = slices.Concat(p.Territories, extra[p.ID])
		p.OpenLeads, p.Offered, p.Won = c.OpenLeads, c.Offered, c.Won
		p.ActiveUsers = base.activeUsers(p.ID, nowS)
		p.Certificates = base.certs[p.ID]
		if d, err := types.ParseDateTime(c.LastAt); err == nil {
			p.LastOfferedAt = d.Time()
		}
		out = append(out, p)
	}
	return out, nil
}

// candidatePool keeps the partners a rule lists, or without a list the
// partners serving the territory (their own territories or a grant's).
func candidatePool(partners []assign.Partner, rule *assign.Rule, territory string, extra map[string][]string) []assign.Partner {
	var pool []assign.Partner
	for _, p := range partners {
		switch {
		case rule != nil && len(rule.Partners) > 0:
			if slices.Contains(rule.Partners, p.ID) {
				pool = append(pool, p)
			}
		case territory != "":
			if slices.Contains(p.Territories, territory) || slices.Contains(extra[p.ID], territory) {
				pool = append(pool, p)
			}
		}
	}
	return pool
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
	base, err := candidates(tx)
	if err != nil {
		return DistributeResult{}, err
	}
	rules := base.rules
	al := assign.Lead{ID: lead.Id, Territory: lead.GetString("territory"), Segment: lead.GetString("segment"), Score: lead.GetInt("score"),
		Certificates: leadCertificates(settings, lead)}
	matched := matchRule(rules, al)
	offers := lead.GetInt("offers_count")
	if offersExhausted(matched, offers, settings.MaxOffers) {
		return DistributeResult{ToPool: true, Reason: "offers_exhausted"}, backToPool(tx, lead, actor, "offers_exhausted")
	}
	partners, err := loadCandidates(tx, base, now, matched, lead.GetString("territory"))
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
// active salesperson with the fewest open leads (the leads assigned to
// them in an entrusted status, from distribution_user_counters), else a
// partner manager.
func pickAssignee(tx core.App, partnerID string, now time.Time) (*core.Record, error) {
	rows := []struct {
		ID   string `db:"id"`
		Role string `db:"role"`
		Open int    `db:"open"`
	}{}
	err := tx.DB().NewQuery(`SELECT u.id AS id, u.role AS role, COALESCE(c.open_leads, 0) AS open
		FROM users u JOIN roles r ON r.id = u.role LEFT JOIN ` + UserCountersTable + ` c ON c.user = u.id
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
