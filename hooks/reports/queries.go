package reports

import "strings"

// Every SQL query of the report figures, in one place. {scope} is the
// condition of the caller's scope and filter (Scope.leadsWhere on leads
// l, Scope.offersWhere on offers o joined to their lead l, rollupWhere on a
// rollup table); {:from} and {:to} bound the period (withPeriod). The
// queries that keep the rollups themselves up to date are in rollups.go.
// Amounts are summed with total() (a float: no integer overflow) and an
// amount outside [0, money.Max], stored before amounts were bounded, counts
// as 0.

// fill replaces each marker of q ({scope}, {offers}, …) with its text:
// fill(q, "{scope}", w).
func fill(q string, markerText ...string) string {
	return strings.NewReplacer(markerText...).Replace(q)
}

const (
	// qFunnel is the leads created in the period by status, whether they were
	// offered and accepted ({offers}: the partner of those offers for a
	// company's scope).
	qFunnel = `SELECT l.status AS status,
	EXISTS (SELECT 1 FROM lead_offers o WHERE o.lead = l.id{offers}) AS offered,
	EXISTS (SELECT 1 FROM lead_offers o WHERE o.lead = l.id AND o.outcome = 'accepted'{offers}) AS accepted,
	COUNT(*) AS n FROM leads l WHERE l.created >= {:from} AND l.created < {:to} AND {scope} GROUP BY 1, 2, 3`

	// qTrendCreated is the leads created per month.
	qTrendCreated = `SELECT substr(l.created, 1, 7) AS m, COUNT(*) AS n, 0 AS v FROM leads l
	WHERE l.created >= {:from} AND l.created < {:to} AND {scope} GROUP BY 1`

	// qTrendWon is the leads won per month and their amount.
	qTrendWon = `SELECT substr(l.closed_at, 1, 7) AS m, COUNT(*) AS n, total(CASE WHEN l.won_amount BETWEEN 0 AND 1000000000 THEN l.won_amount ELSE 0 END) AS v FROM leads l
	WHERE l.status = 'won' AND l.closed_at >= {:from} AND l.closed_at < {:to} AND {scope} GROUP BY 1`

	// qTrendOffered is the offers made per month.
	qTrendOffered = `SELECT substr(o.offered_at, 1, 7) AS m, COUNT(*) AS n, 0 AS v FROM lead_offers o JOIN leads l ON l.id = o.lead
	WHERE o.offered_at >= {:from} AND o.offered_at < {:to} AND {scope} GROUP BY 1`

	// qTrendAccepted is the offers accepted per month.
	qTrendAccepted = `SELECT substr(o.decided_at, 1, 7) AS m, COUNT(*) AS n, 0 AS v FROM lead_offers o JOIN leads l ON l.id = o.lead
	WHERE o.outcome = 'accepted' AND o.decided_at >= {:from} AND o.decided_at < {:to} AND {scope} GROUP BY 1`

	// qWeekIntake is the leads received since {:week}.
	qWeekIntake = `SELECT COUNT(*) FROM leads l WHERE l.created >= {:week} AND {scope}`

	// qExpiringOffers is the offers expiring between {:now} and {:soon}.
	qExpiringOffers = `SELECT COUNT(*) FROM leads l WHERE l.status = 'offered' AND l.accept_by > {:now} AND l.accept_by <= {:soon} AND {scope}`

	// qConflictsWaiting is the leads held as channel conflicts.
	qConflictsWaiting = `SELECT COUNT(*) FROM leads l WHERE l.held = 1 AND {scope}`

	// qDepartments is the leads created in the period per département, and how
	// many were accepted.
	qDepartments = `SELECT l.department AS d, COUNT(*) AS n, SUM(l.accepted_at != '') AS accepted FROM leads l
	WHERE l.department != '' AND l.created >= {:from} AND l.created < {:to} AND {scope} GROUP BY 1`

	// qGrantedTerritories is the territories of a user's running territory grants.
	qGrantedTerritories = `SELECT territory FROM grants WHERE user = {:u} AND kind = 'territory' AND (starts = '' OR starts <= {:now}) AND expires > {:now}`

	// qScorecardOffers is each partner's offers in the period and their outcomes.
	qScorecardOffers = `SELECT o.partner AS partner, COUNT(*) AS offered,
	SUM(o.outcome = 'accepted') AS accepted, SUM(o.outcome = 'declined') AS declined, SUM(o.outcome = 'expired') AS expired
	FROM lead_offers o JOIN leads l ON l.id = o.lead
	WHERE o.offered_at >= {:from} AND o.offered_at < {:to} AND {scope} GROUP BY o.partner`

	// qAcceptanceWindowsRaw is qScorecardOffers per window ({window}: the
	// window of an offer, NULL outside them).
	qAcceptanceWindowsRaw = `SELECT {window} AS w, o.partner AS partner, COUNT(*) AS offered,
	SUM(o.outcome = 'accepted') AS accepted, SUM(o.outcome = 'declined') AS declined, SUM(o.outcome = 'expired') AS expired
	FROM lead_offers o JOIN leads l ON l.id = o.lead
	WHERE o.offered_at >= {:from} AND o.offered_at < {:to} AND {scope} GROUP BY w, o.partner`

	// qScorecardDelays is the hours each accepted offer of the period waited.
	qScorecardDelays = `SELECT o.partner AS partner, (julianday(o.decided_at) - julianday(o.offered_at)) * 24 AS h
	FROM lead_offers o JOIN leads l ON l.id = o.lead
	WHERE o.outcome = 'accepted' AND o.decided_at != '' AND o.offered_at >= {:from} AND o.offered_at < {:to} AND {scope}`

	// qScorecardDeclines is each partner's declined offers of the period by
	// reason code.
	qScorecardDeclines = `SELECT o.partner AS partner, o.reason_code AS reason, COUNT(*) AS n
	FROM lead_offers o JOIN leads l ON l.id = o.lead
	WHERE o.outcome = 'declined' AND o.offered_at >= {:from} AND o.offered_at < {:to} AND {scope} GROUP BY o.partner, o.reason_code`

	// qScorecardWon is each partner's leads accepted in the period, how many
	// were won and for how much.
	qScorecardWon = `SELECT l.partner AS partner, COUNT(*) AS accepted, SUM(l.status = 'won') AS won,
	total(CASE WHEN l.status = 'won' AND l.won_amount BETWEEN 0 AND 1000000000 THEN l.won_amount ELSE 0 END) AS revenue
	FROM leads l WHERE l.partner != '' AND l.accepted_at != '' AND l.accepted_at >= {:from} AND l.accepted_at < {:to} AND {scope} GROUP BY l.partner`

	// qScorecardPipeline is each partner's open pipeline now (the estimated
	// value of its leads in lifecycle.PipelineStatuses).
	qScorecardPipeline = `SELECT l.partner AS partner, total(CASE WHEN l.estimated_value BETWEEN 0 AND 1000000000 THEN l.estimated_value ELSE 0 END) AS v FROM leads l
	WHERE l.partner != '' AND l.status IN ({pipeline}) AND {scope} GROUP BY l.partner`

	// qScorecardDuplicates is the duplicates raised against each partner in
	// the period (+l.created: the few conflict leads come from the partial
	// index on conflict_partner, never from a walk of the period's leads by
	// date).
	qScorecardDuplicates = `SELECT l.conflict_partner AS partner, COUNT(*) AS n FROM leads l
	WHERE l.conflict_partner != '' AND +l.created >= {:from} AND +l.created < {:to} AND {scope} GROUP BY l.conflict_partner`

	// qRollupAcceptance is each partner's offers and their acceptance, from rollup_offers.
	qRollupAcceptance = `SELECT partner, SUM(offered) AS offered, SUM(accepted) AS accepted, SUM(accepted + declined + expired) AS decided
	FROM rollup_offers WHERE {scope} GROUP BY partner HAVING SUM(offered) > 0`

	// qRollupAcceptanceRows is the rows of rollup_offers with their
	// period, offers and acceptance (AcceptanceWindows sums them per window).
	qRollupAcceptanceRows = `SELECT period, partner, offered, accepted, accepted + declined + expired AS decided
	FROM rollup_offers WHERE {scope}`

	// qRollupHasPeriods is whether a rollup table ({table}) holds rows for
	// periods between {:a} and {:b}.
	qRollupHasPeriods = `SELECT EXISTS (SELECT 1 FROM {table} WHERE period >= {:a} AND period <= {:b})`

	// qRollupOffers is the offer rows of rollup_offers (counts and delay multisets).
	qRollupOffers = `SELECT partner, offered, accepted, declined, expired, delays FROM rollup_offers WHERE {scope}`

	// qRollupDeclines is the decline reasons of rollup_declines.
	qRollupDeclines = `SELECT partner, reason, n FROM rollup_declines WHERE {scope}`

	// qRollupWon is each partner's accepted leads, wins and revenue, from rollup_accepts.
	qRollupWon = `SELECT partner, SUM(accepted) AS accepted, SUM(won) AS won, total(revenue_cents) AS cents
	FROM rollup_accepts WHERE {scope} GROUP BY partner HAVING SUM(accepted) > 0`

	// qRollupPipeline is each partner's open pipeline, from rollup_pipeline.
	qRollupPipeline = `SELECT partner, total(open_cents) AS cents FROM rollup_pipeline WHERE {scope}
	GROUP BY partner HAVING SUM(open_n) > 0`

	// qRollupDepartments is the leads created per département, from rollup_leads.
	qRollupDepartments = `SELECT department AS d, SUM(created) AS n, SUM(accepted) AS accepted FROM rollup_leads
	WHERE {scope} GROUP BY department HAVING SUM(created) > 0`

	// qROI is the leads created in the period by source and campaign: how
	// many were offered (an accepted lead was), accepted, won (and won after
	// an acceptance), and the revenue of the won ones. idx_leads_roi
	// (source, campaign, created, …) covers it in its group order: the
	// leads are read from the index alone, without a sort; +l.created keeps
	// SQLite from choosing idx_leads_created instead (one table row read per
	// lead of the period, then a sort).
	qROI = `SELECT l.source AS source, l.campaign AS campaign, COUNT(*) AS n,
	SUM(l.offers_count > 0 OR l.offered_at != '' OR l.accepted_at != '') AS offered, SUM(l.accepted_at != '') AS accepted,
	SUM(l.status = 'won') AS won, SUM(l.status = 'won' AND l.accepted_at != '') AS won_after,
	total(CASE WHEN l.status = 'won' AND l.won_amount BETWEEN 0 AND 1000000000 THEN l.won_amount ELSE 0 END) AS revenue
	FROM leads l WHERE +l.created >= {:from} AND +l.created < {:to} AND {scope} GROUP BY l.source, l.campaign`
)
