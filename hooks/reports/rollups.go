package reports

import (
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/stmtcache"
)

// Report rollups (SPEC §7): the dashboard and the scorecard would
// otherwise read every offer and lead of the period (tens of seconds at a
// million leads). Five plain SQLite tables hold the same figures
// pre-aggregated per calendar month ("YYYY-MM") and per day
// ("YYYY-MM-DD", UTC) of the event that dates them, per partner and
// territory (per territory and département for the lead counts):
//
//	rollup_offers    offers by offered_at: offered, accepted, declined,
//	                 expired, and the accepted offers' delays in seconds
//	                 (a comma-separated multiset, for exact percentiles)
//	rollup_declines  declined offers by offered_at and reason code
//	rollup_accepts   leads by accepted_at: accepted, won, revenue (cents)
//	rollup_pipeline  open leads now (accepted, contacted, meeting): count
//	                 and estimated value (cents); no period
//	rollup_leads     leads by created, per territory and département:
//	                 created, accepted
//
// Hooks on the leads and lead_offers records keep them exact in the same
// transaction as every change made through PocketBase (API, Go paths,
// imports, the demo): the common changes (an offer made, decided; a lead's
// status, amounts or dates changing) apply a delta, the rare ones (an
// offer deleted, re-dated or changed after its decision, a lead moving
// territory or deleted) recompute the keys they touch from the base rows,
// read inside the transaction. (SQLite triggers did the same, but SQLite
// compiles every trigger of a table into each UPDATE statement it
// prepares, and PocketBase prepares one per save: they tripled the cost
// of an accept.) Code that writes these two tables in raw SQL — the bench
// generator, the GDPR erasure — calls RebuildRollups (or
// RebuildDeclineRollups) afterwards. The tables are not collections: no
// API rule can expose them; they hold no contact data (decline reasons are
// rebuilt after an erasure rewrites them). TestRollupsStayExact checks the
// hooks against a rebuild after every kind of change.

// rollupTables are created by InstallRollups. WITHOUT ROWID: the primary
// key is the table, so a report's range on the period reads the rows from
// the key's b-tree itself (no second lookup per row).
var rollupTables = []string{
	`CREATE TABLE IF NOT EXISTS rollup_offers (period TEXT NOT NULL, partner TEXT NOT NULL, territory TEXT NOT NULL,
		offered INTEGER NOT NULL DEFAULT 0, accepted INTEGER NOT NULL DEFAULT 0, declined INTEGER NOT NULL DEFAULT 0,
		expired INTEGER NOT NULL DEFAULT 0, delays TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (period, partner, territory)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS rollup_declines (period TEXT NOT NULL, partner TEXT NOT NULL, territory TEXT NOT NULL,
		reason TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (period, partner, territory, reason)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS rollup_accepts (period TEXT NOT NULL, partner TEXT NOT NULL, territory TEXT NOT NULL,
		accepted INTEGER NOT NULL DEFAULT 0, won INTEGER NOT NULL DEFAULT 0, revenue_cents INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (period, partner, territory)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS rollup_pipeline (partner TEXT NOT NULL, territory TEXT NOT NULL,
		open_n INTEGER NOT NULL DEFAULT 0, open_cents INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (partner, territory)) WITHOUT ROWID`,
	`CREATE TABLE IF NOT EXISTS rollup_leads (period TEXT NOT NULL, territory TEXT NOT NULL, department TEXT NOT NULL,
		created INTEGER NOT NULL DEFAULT 0, accepted INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (period, territory, department)) WITHOUT ROWID`,
}

// RollupTableNames are the rollup tables.
var RollupTableNames = []string{"rollup_offers", "rollup_declines", "rollup_accepts", "rollup_pipeline", "rollup_leads"}

// SQL fragments shared by the deltas and the rebuild; R is the row.
const (
	// delayOf is the delay, in whole seconds as text, an offer row
	// contributes ('' when none).
	delayOf = "(CASE WHEN R.outcome = 'accepted' AND R.decided_at != '' AND R.offered_at != '' THEN " +
		"CAST(CAST(round((julianday(R.decided_at) - julianday(R.offered_at)) * 86400.0) AS INTEGER) AS TEXT) ELSE '' END)"
	// centsOf converts an amount field to integer cents; an amount outside
	// [0, money.Max] (a row stored before amounts were bounded) counts as
	// 0, so that no sum of cents overflows.
	centsOf = "CAST(round(" + boundedAmount + " * 100) AS INTEGER)"
	// boundedAmount is the amount X when it lies in [0, money.Max], else 0
	// (NULL included).
	boundedAmount = "(CASE WHEN X BETWEEN 0 AND 1000000000 THEN X ELSE 0 END)"
)

func sqlRow(sql, r string) string { return strings.ReplaceAll(sql, "R.", r+".") }

// periodKeys are a timestamp's month and day keys ("" when it has none).
func periodKeys(ts string) (month, day string, ok bool) {
	if len(ts) < 10 {
		return "", "", false
	}
	return ts[:7], ts[:10], true
}

// rowRecord is the columns of a leads or lead_offers row the rollups use.
type rowRecord map[string]any

func (r rowRecord) str(k string) string {
	if r == nil {
		return ""
	}
	s, _ := r[k].(string)
	return s
}

// leadRollupCols and offerRollupCols are the columns read from the rows.
var (
	leadRollupCols  = []string{"partner", "territory", "department", "status", "created", "accepted_at", "won_amount", "estimated_value"}
	offerRollupCols = []string{"lead", "partner", "offered_at", "outcome", "decided_at", "reason_code"}
)

// recordRow is a record's values as beforerow reads them from its row
// (the record was just written: PocketBase stored exactly these values).
func recordRow(r *core.Record, cols []string) rowRecord {
	out := rowRecord{}
	for _, c := range cols {
		switch r.Collection().Fields.GetByName(c).(type) {
		case *core.NumberField:
			out[c] = r.GetFloat(c)
		case *core.DateField, *core.AutodateField:
			out[c] = r.GetDateTime(c).String() // the stored format
		default:
			out[c] = r.GetString(c)
		}
	}
	return out
}

// rowSource renders a row as an SQL subquery aliased R, binding its values.
func rowSource(r rowRecord, cols []string, p dbx.Params) string {
	return rowSourceAs(r, cols, p, "R")
}

// rowSourceAs is rowSource under another alias (its parameters are
// prefixed with the alias).
func rowSourceAs(r rowRecord, cols []string, p dbx.Params, alias string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		name := strings.ToLower(alias) + "_" + c
		p[name] = r[c]
		parts[i] = "{:" + name + "} AS " + c
	}
	return "(SELECT " + strings.Join(parts, ", ") + ") " + alias
}

// leadRollup describes one lead-based rollup: its table, key columns and
// the expressions of a lead row's contribution (R = the row).
type leadRollup struct {
	table     string
	keys      []string // key columns, besides the period
	keyExpr   []string // their values from the row
	periodCol string   // timestamp column dating the contribution ("" = no period)
	when      string   // the row contributes (SQL, for the rebuild)
	// contributes is `when` in Go, to skip statements that would do nothing
	contributes func(r rowRecord) bool
	cols        []string
	vals        []string
	watch       []string // columns whose change moves the contribution
}

var leadRollups = []leadRollup{
	{
		table: "rollup_accepts", keys: []string{"partner", "territory"}, keyExpr: []string{"R.partner", "R.territory"},
		periodCol: "accepted_at", when: "R.partner != '' AND length(R.accepted_at) >= 10",
		contributes: func(r rowRecord) bool { return r.str("partner") != "" && len(r.str("accepted_at")) >= 10 },
		cols:        []string{"accepted", "won", "revenue_cents"},
		vals:        []string{"1", "R.status = 'won'", "CASE WHEN R.status = 'won' THEN " + strings.ReplaceAll(centsOf, "X", "R.won_amount") + " ELSE 0 END"},
		watch:       []string{"partner", "territory", "accepted_at", "status", "won_amount"},
	},
	{
		table: "rollup_pipeline", keys: []string{"partner", "territory"}, keyExpr: []string{"R.partner", "R.territory"},
		when:        "R.partner != '' AND R.status IN (" + lifecycle.SQLList(lifecycle.PipelineStatuses()) + ")",
		contributes: func(r rowRecord) bool { return r.str("partner") != "" && lifecycle.InPipeline(r.str("status")) },
		cols:        []string{"open_n", "open_cents"},
		vals:        []string{"1", strings.ReplaceAll(centsOf, "X", "R.estimated_value")},
		watch:       []string{"partner", "territory", "status", "estimated_value"},
	},
	{
		table: "rollup_leads", keys: []string{"territory", "department"}, keyExpr: []string{"R.territory", "R.department"},
		periodCol: "created", when: "R.department != '' AND length(R.created) >= 10",
		contributes: func(r rowRecord) bool { return r.str("department") != "" && len(r.str("created")) >= 10 },
		cols:        []string{"created", "accepted"},
		vals:        []string{"1", "R.accepted_at != ''"},
		watch:       []string{"territory", "department", "created", "accepted_at"},
	},
}

// apply adds (sign 1) or removes (sign -1) row r's contribution.
func (lr leadRollup) apply(db dbx.Builder, r rowRecord, sign int) error {
	if r == nil || !lr.contributes(r) {
		return nil
	}
	p := dbx.Params{}
	vals := make([]string, len(lr.vals))
	for i, v := range lr.vals {
		vals[i] = strconv.Itoa(sign) + " * (" + v + ")"
	}
	return lr.upsert(db, r, rowSource(r, leadRollupCols, p), p, vals)
}

// applyNet moves a row's contribution from old to new in one statement
// (the difference of the two) when both contribute under the same key
// and period, as an accept does to rollup_leads; it reports whether it
// did.
func (lr leadRollup) applyNet(db dbx.Builder, old, new rowRecord) (bool, error) {
	if old == nil || new == nil || !lr.contributes(old) || !lr.contributes(new) {
		return false, nil
	}
	for i, k := range lr.keys {
		if lr.keyExpr[i] != "R."+k || old.str(k) != new.str(k) {
			return false, nil
		}
	}
	if lr.periodCol != "" {
		om, od, ok := periodKeys(old.str(lr.periodCol))
		nm, nd, nok := periodKeys(new.str(lr.periodCol))
		if !ok || !nok || om != nm || od != nd {
			return false, nil
		}
	}
	p := dbx.Params{}
	from := rowSource(new, leadRollupCols, p) + ", " + rowSourceAs(old, leadRollupCols, p, "O")
	vals := make([]string, len(lr.vals))
	for i, v := range lr.vals {
		vals[i] = "(" + v + ") - (" + sqlRow(v, "O") + ")"
	}
	return true, lr.upsert(db, new, from, p, vals)
}

// upsert adds vals (expressions over from) to the rollup row of r's key
// and period.
func (lr leadRollup) upsert(db dbx.Builder, r rowRecord, from string, p dbx.Params, vals []string) error {
	keys, exprs := lr.keys, lr.keyExpr
	if lr.periodCol != "" {
		m, d, ok := periodKeys(r.str(lr.periodCol))
		if !ok {
			return nil
		}
		p["pm"], p["pd"] = m, d
		keys = append([]string{"period"}, keys...)
		exprs = append([]string{"p.period"}, exprs...)
		from += ", (SELECT {:pm} AS period UNION ALL SELECT {:pd}) p"
	}
	set := make([]string, len(lr.cols))
	for i, c := range lr.cols {
		set[i] = c + " = " + c + " + excluded." + c
	}
	q := `INSERT INTO ` + lr.table + ` (` + strings.Join(append(append([]string{}, keys...), lr.cols...), ", ") + `)
		SELECT ` + strings.Join(append(append([]string{}, exprs...), vals...), ", ") + ` FROM ` + from + ` WHERE 1
		ON CONFLICT (` + strings.Join(keys, ", ") + `) DO UPDATE SET ` + strings.Join(set, ", ")
	_, err := stmtcache.Query(db, q).Bind(p).Execute()
	return err
}

// offerKey is a (period, partner) pair of rollup_offers in a territory.
type offerKey struct{ period, partner string }

// offerKeysOf are the month and day keys of an offer row.
func offerKeysOf(r rowRecord) []offerKey {
	m, d, ok := periodKeys(r.str("offered_at"))
	if r == nil || !ok || r.str("partner") == "" {
		return nil
	}
	return []offerKey{{m, r.str("partner")}, {d, r.str("partner")}}
}

// leadTerritory returns a lead's territory ("" when the lead is gone).
func leadTerritory(db dbx.Builder, leadID string) (string, error) {
	var t string
	err := db.NewQuery("SELECT COALESCE(territory, '') FROM leads WHERE id = {:id}").Bind(dbx.Params{"id": leadID}).Row(&t)
	if err != nil && strings.Contains(err.Error(), "no rows") {
		return "", nil
	}
	return t, err
}

// recomputeOffers rebuilds rollup_offers and rollup_declines for keys in
// the territories terr, from the offers and leads as they are now.
func recomputeOffers(db dbx.Builder, keys []offerKey, terr []string) error {
	if len(keys) == 0 || len(terr) == 0 {
		return nil
	}
	p := dbx.Params{}
	ks := make([]string, len(keys))
	for i, k := range keys {
		a, b := "kp"+strconv.Itoa(i), "kq"+strconv.Itoa(i)
		p[a], p[b] = k.period, k.partner
		ks[i] = "SELECT {:" + a + "} AS period, {:" + b + "} AS partner"
	}
	keySel := strings.Join(ks, " UNION ")
	ts := make([]string, len(terr))
	for i, t := range terr {
		k := "kt" + strconv.Itoa(i)
		p[k] = t
		ts[i] = "{:" + k + "}"
	}
	tl := strings.Join(ts, ", ")
	stmts := []string{
		"DELETE FROM rollup_offers WHERE territory IN (" + tl + ") AND (period, partner) IN (" + keySel + ")",
		`INSERT INTO rollup_offers (period, partner, territory, offered, accepted, declined, expired, delays)
		SELECT k.period, o.partner, l.territory, COUNT(*), SUM(o.outcome = 'accepted'), SUM(o.outcome = 'declined'), SUM(o.outcome = 'expired'),
			COALESCE(group_concat(NULLIF(` + sqlRow(delayOf, "o") + `, ''), ','), '')
		FROM (` + keySel + `) k JOIN lead_offers o ON o.partner = k.partner AND o.offered_at >= k.period AND o.offered_at < k.period || '~'
		JOIN leads l ON l.id = o.lead AND l.territory IN (` + tl + `)
		WHERE substr(o.offered_at, 1, length(k.period)) = k.period
		GROUP BY k.period, o.partner, l.territory`,
		"DELETE FROM rollup_declines WHERE territory IN (" + tl + ") AND (period, partner) IN (" + keySel + ")",
		`INSERT INTO rollup_declines (period, partner, territory, reason, n)
		SELECT k.period, o.partner, l.territory, o.reason_code, COUNT(*)
		FROM (` + keySel + `) k JOIN lead_offers o ON o.partner = k.partner AND o.offered_at >= k.period AND o.offered_at < k.period || '~'
		JOIN leads l ON l.id = o.lead AND l.territory IN (` + tl + `)
		WHERE o.outcome = 'declined' AND substr(o.offered_at, 1, length(k.period)) = k.period
		GROUP BY k.period, o.partner, l.territory, o.reason_code`,
	}
	for _, s := range stmts {
		if _, err := db.NewQuery(s).Bind(p).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// addOffer adds the contribution of offer row r; decidedOnly: the row was
// pending before with the same keys, so only its outcome is added.
func addOffer(db dbx.Builder, r rowRecord, decidedOnly bool) error {
	m, d, ok := periodKeys(r.str("offered_at"))
	if !ok || r.str("partner") == "" {
		return nil
	}
	offered := "1"
	if decidedOnly {
		offered = "0"
	}
	p := dbx.Params{"pm": m, "pd": d, "lead": r.str("lead")}
	from := "leads l, " + rowSource(r, offerRollupCols, p) + ", (SELECT {:pm} AS period UNION ALL SELECT {:pd}) p"
	if _, err := stmtcache.Query(db, `INSERT INTO rollup_offers (period, partner, territory, offered, accepted, declined, expired, delays)
		SELECT p.period, R.partner, l.territory, `+offered+`, R.outcome = 'accepted', R.outcome = 'declined', R.outcome = 'expired', `+delayOf+`
		FROM `+from+` WHERE l.id = {:lead}
		ON CONFLICT (period, partner, territory) DO UPDATE SET offered = offered + excluded.offered, accepted = accepted + excluded.accepted,
			declined = declined + excluded.declined, expired = expired + excluded.expired,
			delays = CASE WHEN excluded.delays = '' THEN delays WHEN delays = '' THEN excluded.delays ELSE delays || ',' || excluded.delays END`).
		Bind(p).Execute(); err != nil {
		return err
	}
	if r.str("outcome") != "declined" {
		return nil
	}
	_, err := stmtcache.Query(db, `INSERT INTO rollup_declines (period, partner, territory, reason, n)
		SELECT p.period, R.partner, l.territory, R.reason_code, 1 FROM `+from+` WHERE l.id = {:lead}
		ON CONFLICT (period, partner, territory, reason) DO UPDATE SET n = n + 1`).Bind(p).Execute()
	return err
}

// changed reports whether any of cols differs between a and b.
func changed(a, b rowRecord, cols ...string) bool {
	for _, c := range cols {
		if a[c] != b[c] {
			return true
		}
	}
	return false
}

// offerRollupChange maintains the rollups for an offer going from old to
// new (nil for a creation or a deletion); oldTerr is the territory of the
// old row's lead, read before the change.
func offerRollupChange(db dbx.Builder, old, new rowRecord, oldTerr string) error {
	switch {
	case old == nil && new == nil:
		return nil
	case old == nil:
		return addOffer(db, new, false)
	}
	sameKeys := new != nil && !changed(old, new, "partner", "offered_at", "lead")
	if sameKeys && old.str("outcome") == "pending" {
		if new.str("outcome") == "pending" {
			return nil
		}
		return addOffer(db, new, true)
	}
	if new != nil && sameKeys && !changed(old, new, "outcome", "decided_at", "reason_code") {
		return nil
	}
	if err := recomputeOffers(db, offerKeysOf(old), []string{oldTerr}); err != nil {
		return err
	}
	if new == nil {
		return nil
	}
	newTerr, err := leadTerritory(db, new.str("lead"))
	if err != nil {
		return err
	}
	return recomputeOffers(db, offerKeysOf(new), []string{newTerr})
}

// leadRollupChange maintains the rollups for a lead going from old to new
// (nil for a creation or a deletion); offerKeys are the keys of the lead's
// offers, read before a deletion.
func leadRollupChange(db dbx.Builder, id string, old, new rowRecord, offerKeys []offerKey) error {
	for _, lr := range leadRollups {
		if old != nil && new != nil && !changed(old, new, lr.watch...) {
			continue
		}
		if done, err := lr.applyNet(db, old, new); err != nil {
			return err
		} else if done {
			continue
		}
		if err := lr.apply(db, old, -1); err != nil {
			return err
		}
		if err := lr.apply(db, new, 1); err != nil {
			return err
		}
	}
	switch {
	case old == nil:
		return nil
	case new == nil:
		return recomputeOffers(db, offerKeys, []string{old.str("territory")})
	case old.str("territory") != new.str("territory"):
		keys, err := leadOfferKeys(db, id)
		if err != nil {
			return err
		}
		return recomputeOffers(db, keys, []string{old.str("territory"), new.str("territory")})
	}
	return nil
}

// leadOfferKeys are the rollup keys of a lead's offers.
func leadOfferKeys(db dbx.Builder, leadID string) ([]offerKey, error) {
	rows := []struct {
		P string `db:"partner"`
		A string `db:"offered_at"`
	}{}
	if err := db.NewQuery("SELECT partner, offered_at FROM lead_offers WHERE lead = {:id}").Bind(dbx.Params{"id": leadID}).All(&rows); err != nil {
		return nil, err
	}
	var keys []offerKey
	for _, r := range rows {
		keys = append(keys, offerKeysOf(rowRecord{"partner": r.P, "offered_at": r.A})...)
	}
	return keys, nil
}
