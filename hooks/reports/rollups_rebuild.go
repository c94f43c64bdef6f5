package reports

import (
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
)

// Creating the rollup tables and recomputing them from the base tables
// (the migration, the bench generator, the GDPR erasure).

// rebuild returns the statements recomputing the table, or only its
// periods from {:since} (a "YYYY-MM" parameter) when since is set; a table
// without periods is always recomputed whole.
func (lr leadRollup) rebuild(since bool) []string {
	if lr.periodCol == "" {
		since = false
	}
	del, cond := "DELETE FROM "+lr.table, lr.when
	if since {
		del += " WHERE period >= {:since}"
		cond += " AND R." + lr.periodCol + " >= {:since}"
	}
	out := []string{del}
	levels := []string{""}
	if lr.periodCol != "" {
		levels = []string{"7", "10"}
	}
	for _, n := range levels {
		keys, exprs := lr.keys, lr.keyExpr
		if n != "" {
			keys = append([]string{"period"}, keys...)
			exprs = append([]string{"substr(R." + lr.periodCol + ", 1, " + n + ")"}, exprs...)
		}
		sums := make([]string, len(lr.vals))
		for i, v := range lr.vals {
			sums[i] = "SUM(" + v + ")"
		}
		group := make([]string, len(keys))
		for i := range keys {
			group[i] = strconv.Itoa(i + 1)
		}
		out = append(out, "INSERT INTO "+lr.table+" ("+strings.Join(append(append([]string{}, keys...), lr.cols...), ", ")+
			") SELECT "+strings.Join(append(append([]string{}, exprs...), sums...), ", ")+" FROM leads R WHERE "+cond+
			" GROUP BY "+strings.Join(group, ", "))
	}
	return out
}

// RollupInstallSQL are the statements creating the rollup tables.
func RollupInstallSQL() []string { return append([]string{}, rollupTables...) }

// RollupRebuildSQL are the statements recomputing every rollup from the
// base tables.
func RollupRebuildSQL() []string { return rebuildSQL(false) }

// RollupRebuildSinceSQL recomputes the periods from the month of since
// onwards and the open pipeline, with their parameters: what raw SQL
// writes of recent rows (the bench's references) need.
func RollupRebuildSinceSQL(since time.Time) ([]string, dbx.Params) {
	return rebuildSQL(true), dbx.Params{"since": since.UTC().Format("2006-01")}
}

// rebuildSQL recomputes every rollup, or only the periods from {:since}.
func rebuildSQL(since bool) []string {
	stmts := offerRebuildSQL("rollup_declines", since)
	stmts = append(stmts, offerRebuildSQL("rollup_offers", since)...)
	for _, lr := range leadRollups {
		stmts = append(stmts, lr.rebuild(since)...)
	}
	return stmts
}

// offerRebuildSQL recomputes rollup_offers or rollup_declines at both
// levels from the offers and their leads (from {:since} when since).
func offerRebuildSQL(table string, since bool) []string {
	del, cond := "DELETE FROM "+table, "o.partner != '' AND length(o.offered_at) >= 10"
	if since {
		del += " WHERE period >= {:since}"
		cond += " AND o.offered_at >= {:since}"
	}
	out := []string{del}
	for _, n := range []string{"7", "10"} {
		if table == "rollup_declines" {
			out = append(out, `INSERT INTO rollup_declines (period, partner, territory, reason, n)
			SELECT substr(o.offered_at, 1, `+n+`), o.partner, l.territory, o.reason_code, COUNT(*)
			FROM lead_offers o JOIN leads l ON l.id = o.lead WHERE o.outcome = 'declined' AND `+cond+` GROUP BY 1, 2, 3, 4`)
			continue
		}
		out = append(out, `INSERT INTO rollup_offers (period, partner, territory, offered, accepted, declined, expired, delays)
			SELECT substr(o.offered_at, 1, `+n+`), o.partner, l.territory, COUNT(*), SUM(o.outcome = 'accepted'), SUM(o.outcome = 'declined'), SUM(o.outcome = 'expired'),
				COALESCE(group_concat(NULLIF(`+sqlRow(delayOf, "o")+`, ''), ','), '')
			FROM lead_offers o JOIN leads l ON l.id = o.lead WHERE `+cond+` GROUP BY 1, 2, 3`)
	}
	return out
}

// RebuildRollupsSince recomputes the rollups of the periods from the month
// of since onwards and the open pipeline.
func RebuildRollupsSince(db dbx.Builder, since time.Time) error {
	stmts, p := RollupRebuildSinceSQL(since)
	for _, s := range stmts {
		if _, err := db.NewQuery(s).Bind(p).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// InstallRollups creates the rollup tables (idempotent).
func InstallRollups(db dbx.Builder) error { return execAll(db, RollupInstallSQL()) }

// RebuildRollups recomputes every rollup from the base tables.
func RebuildRollups(db dbx.Builder) error { return execAll(db, RollupRebuildSQL()) }

// RebuildDeclineRollups recomputes the decline reasons (after raw SQL
// rewrote offers' reasons).
func RebuildDeclineRollups(db dbx.Builder) error {
	return execAll(db, offerRebuildSQL("rollup_declines", false))
}

func execAll(db dbx.Builder, stmts []string) error {
	for _, s := range stmts {
		if _, err := db.NewQuery(s).Execute(); err != nil {
			return err
		}
	}
	return nil
}
