package distribution

import (
	"github.com/pocketbase/dbx"

	"github.com/relais/relais/hooks/lifecycle"
)

// Distribution counters: what the assignment engine weighs for each
// candidate partner (its offers received and their outcomes, the time of
// its latest offer, its entrusted and won leads) would otherwise be
// counted from the offers and leads of every candidate for every lead
// distributed (50 ms a lead at a million leads). One plain SQLite table
// holds them per partner:
//
//	distribution_counters  partner, offered (every offer row), pending,
//	                       accepted, declined, expired (offers by
//	                       outcome), last_offered_at (the latest
//	                       offered_at, '' when none), open_leads (leads
//	                       in an entrusted status), won (won leads)
//	distribution_user_counters  user, open_leads (the leads assigned to
//	                       the user in an entrusted status: who receives
//	                       an offer in the partner company)
//
// Hooks on the lead_offers and leads records (counters_write.go) keep it
// exact in the same transaction as every change made through PocketBase:
// each write applies the difference between the row before and after it,
// and recomputes last_offered_at from the partner index when the latest
// offer moved away. Code that writes these tables in raw SQL (the bench
// generator and its references) calls RebuildCounters afterwards. The
// table is not a collection: no API rule can expose it; it holds no
// contact data. TestDistributionCountersStayExact checks the hooks against
// a rebuild after random sequences of offers, accepts, declines, expiries,
// reassignments and arbitrations.

// CountersTable is the table of the distribution counters.
const CountersTable = "distribution_counters"

// UserCountersTable is the table of the assignees' open leads.
const UserCountersTable = "distribution_user_counters"

// counterCols are the integer counters of a partner, in table order.
var counterCols = []string{"offered", "pending", "accepted", "declined", "expired", "open_leads", "won"}

// countersInstall creates the table (idempotent). WITHOUT ROWID: the
// partner is the key of the b-tree itself.
const countersInstall = `CREATE TABLE IF NOT EXISTS ` + CountersTable + ` (partner TEXT PRIMARY KEY NOT NULL,
	offered INTEGER NOT NULL DEFAULT 0, pending INTEGER NOT NULL DEFAULT 0, accepted INTEGER NOT NULL DEFAULT 0,
	declined INTEGER NOT NULL DEFAULT 0, expired INTEGER NOT NULL DEFAULT 0, last_offered_at TEXT NOT NULL DEFAULT '',
	open_leads INTEGER NOT NULL DEFAULT 0, won INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID`

// userCountersInstall creates the assignees' table (idempotent).
const userCountersInstall = `CREATE TABLE IF NOT EXISTS ` + UserCountersTable + ` (user TEXT PRIMARY KEY NOT NULL,
	open_leads INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID`

// CounterInstallSQL are the statements creating the counters tables.
func CounterInstallSQL() []string { return []string{countersInstall, userCountersInstall} }

// CounterRebuildSQL are the statements recomputing every counter from the
// offers and leads.
func CounterRebuildSQL() []string {
	entrusted := lifecycle.SQLList(lifecycle.EntrustedStatuses())
	return []string{
		"DELETE FROM " + CountersTable,
		`INSERT INTO ` + CountersTable + ` (partner, offered, pending, accepted, declined, expired, last_offered_at, open_leads, won)
		SELECT p, SUM(offered), SUM(pending), SUM(accepted), SUM(declined), SUM(expired), MAX(last_at), SUM(open_leads), SUM(won) FROM (
			SELECT partner AS p, COUNT(*) AS offered, SUM(outcome = 'pending') AS pending, SUM(outcome = 'accepted') AS accepted,
				SUM(outcome = 'declined') AS declined, SUM(outcome = 'expired') AS expired, COALESCE(MAX(offered_at), '') AS last_at,
				0 AS open_leads, 0 AS won
			FROM lead_offers WHERE partner != '' GROUP BY partner
			UNION ALL
			SELECT partner, 0, 0, 0, 0, 0, '', SUM(status IN (` + entrusted + `)), SUM(status = '` + lifecycle.StatusWon + `')
			FROM leads WHERE partner != '' GROUP BY partner
		) GROUP BY p`,
		"DELETE FROM " + UserCountersTable,
		`INSERT INTO ` + UserCountersTable + ` (user, open_leads)
		SELECT assignee, COUNT(*) FROM leads WHERE assignee != '' AND status IN (` + entrusted + `) GROUP BY assignee`,
	}
}

// InstallCounters creates the counters table (idempotent).
func InstallCounters(db dbx.Builder) error { return execAll(db, CounterInstallSQL()) }

// RebuildCounters recomputes every counter from the offers and leads.
func RebuildCounters(db dbx.Builder) error { return execAll(db, CounterRebuildSQL()) }

func execAll(db dbx.Builder, stmts []string) error {
	for _, s := range stmts {
		if _, err := db.NewQuery(s).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// partnerCounters are one partner's counters.
type partnerCounters struct {
	Partner   string `db:"partner"`
	Offered   int    `db:"offered"`
	Pending   int    `db:"pending"`
	Accepted  int    `db:"accepted"`
	Declined  int    `db:"declined"`
	Expired   int    `db:"expired"`
	LastAt    string `db:"last_offered_at"`
	OpenLeads int    `db:"open_leads"`
	Won       int    `db:"won"`
}

// loadCounters reads the counters of the partners in the IN list in (with
// its params), by partner; a partner without a row has none.
func loadCounters(db dbx.Builder, in string, params dbx.Params) (map[string]partnerCounters, error) {
	rows := []partnerCounters{}
	if err := db.NewQuery("SELECT partner, offered, pending, accepted, declined, expired, last_offered_at, open_leads, won FROM " +
		CountersTable + " WHERE partner IN (" + in + ")").Bind(params).All(&rows); err != nil {
		return nil, err
	}
	out := make(map[string]partnerCounters, len(rows))
	for _, r := range rows {
		out[r.Partner] = r
	}
	return out, nil
}
