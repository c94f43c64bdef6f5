package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"github.com/relais/relais/demo"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/reports"
	"github.com/relais/relais/hooks/textindex"
)

// Password is shared by every bench account (bench data only).
const Password = "relais-bench-2026"

// Domain is the e-mail domain of bench accounts; a data dir whose users all
// use it is bench data, which `relais-bench bench` may write to.
const Domain = "bench.test"

// Internal bench logins (the partner logins are PartnerEmail(p, u)).
const (
	AdminEmail       = "admin@" + Domain
	ManagerEmail     = "cm@" + Domain // channel manager of ManagerRegions
	TeleopEmail      = "teleop@" + Domain
	IntegrationEmail = "api@" + Domain
)

// ManagerRegions are the régions of the bench channel manager.
var ManagerRegions = []string{"BRE", "PDL", "NOR"}

// UsersPerPartner is the number of accounts of each partner: user 1 is the
// partner_manager, users 2..5 are partner_user salespeople.
const UsersPerPartner = 5

// PartnerEmail is the login of user u (1..UsersPerPartner) of partner p (1..P).
func PartnerEmail(p, u int) string { return fmt.Sprintf("bench-p%04d-u%d@%s", p, u, Domain) }

// Options tune Generate; zero values mean the reference size.
type Options struct {
	// Leads is the number of leads, created over the 12 months before Now
	// (default 1,000,000).
	Leads int
	// Partners is the number of partner companies (default 1,000).
	Partners int
	// Seed feeds the random generator (default 2026): same seed, same data
	// (record ids included).
	Seed uint64
	// Now anchors the dates (default: the current hour, UTC).
	Now time.Time
	// BatchSize is the number of leads (with their contact, offers and
	// activities) per transaction (default 5,000).
	BatchSize int
	// Progress, when set, is called after each committed batch.
	Progress func(done, total int)
}

func (o *Options) defaults() {
	if o.Leads <= 0 {
		o.Leads = 1_000_000
	}
	if o.Partners <= 0 {
		o.Partners = 1000
	}
	if o.Seed == 0 {
		o.Seed = 2026
	}
	if o.Now.IsZero() {
		o.Now = time.Now().UTC().Truncate(time.Hour)
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 5000
	}
}

// Stats tells what Generate wrote and how fast.
type Stats struct {
	Territories, Partners, Users, Rules int
	Leads, Contacts, Offers, Activities int
	// Elapsed is the whole run; Indexing the rebuild of the indexes.
	Elapsed, Indexing time.Duration
}

// Rows is the number of rows written.
func (s Stats) Rows() int {
	return s.Territories + s.Partners + s.Users + s.Rules + s.Leads + s.Contacts + s.Offers + s.Activities
}

// RowsPerSecond is the write rate over the whole run.
func (s Stats) RowsPerSecond() float64 { return perSecond(s.Rows(), s.Elapsed) }

// LeadsPerSecond is the lead rate over the whole run.
func (s Stats) LeadsPerSecond() float64 { return perSecond(s.Leads, s.Elapsed) }

func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// ErrNotEmpty is returned when the data dir already holds users or leads.
var ErrNotEmpty = errors.New("bench: the data dir is not empty; bench data is generated into an empty, migrated data dir only")

// dbTime formats a date the way PocketBase stores it.
func dbTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

type benchPartner struct {
	id, region string
	active     bool
	manager    string   // partner_manager user id
	sales      []string // partner_user ids
}

type generator struct {
	opts  Options
	rng   *rand.Rand
	hash  string
	stats *Stats
	conn  *sql.Conn
	seq   int

	regionCodes []string
	territory   map[string]string // région code → territory id
	internal    map[string]string // e-mail → user id
	partners    []*benchPartner
	byRegion    map[string][]*benchPartner // active partners

	firsts, lasts, prefixes []string
	towns                   map[string][]demo.Town
	depts                   map[string][]string
}

// Generate fills an empty, migrated data dir with bench data: 18 région
// territories with their assignment rules, the partners spread over the
// régions with UsersPerPartner accounts each, a few internal accounts, and
// the leads of the last 12 months with the demo's status, segment and
// source mix, one contact per lead, offers (about one per lead that left
// the pool) and activities (about one per accepted lead). Rows are written
// with prepared INSERTs in transactions of opts.BatchSize leads, in the
// exact format PocketBase stores (dates 'YYYY-MM-DD HH:MM:SS.000Z', JSON
// arrays, 0/1 booleans, 15-character ids).
func Generate(app core.App, opts Options) (stats Stats, err error) {
	opts.defaults()
	start := time.Now()
	db, err := emptyDB(app)
	if err != nil {
		return Stats{}, err
	}
	g, err := newGenerator(opts, &stats)
	if err != nil {
		return Stats{}, err
	}
	ctx := context.Background()
	conn, release, err := loadConn(ctx, db)
	if err != nil {
		return stats, err
	}
	defer release()
	g.conn = conn
	if err := g.inTx(g.reference); err != nil {
		return stats, err
	}
	// Secondary indexes of the bulk tables are dropped during the load and
	// rebuilt from their exact definitions at the end (sorted builds instead
	// of millions of random-key B-tree inserts), even when the load fails.
	indexes, err := dropIndexes(ctx, conn, bulkTables)
	if err != nil {
		return stats, err
	}
	defer func() {
		if rerr := createIndexes(ctx, conn, indexes); rerr != nil && err == nil {
			err = rerr
		}
	}()
	if err := g.loadLeads(); err != nil {
		return stats, err
	}
	t := time.Now()
	if err := createIndexes(ctx, conn, indexes); err != nil {
		return stats, err
	}
	indexes = nil
	if err := finishLoad(ctx, conn); err != nil {
		return stats, err
	}
	stats.Indexing = time.Since(t)
	stats.Elapsed = time.Since(start)
	return stats, nil
}

// emptyDB returns the app's write connection pool after checking that the
// data dir holds no user and no lead yet.
func emptyDB(app core.App) (*dbx.DB, error) {
	var users, leads int
	if err := app.DB().NewQuery("SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM leads)").Row(&users, &leads); err != nil {
		return nil, err
	}
	if users > 0 || leads > 0 {
		return nil, ErrNotEmpty
	}
	db, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return nil, errors.New("bench: Generate needs the app itself, not a transaction")
	}
	return db, nil
}

// newGenerator prepares the generator: the password hash every account
// shares, the seeded random source and the towns of each région.
func newGenerator(opts Options, stats *Stats) (*generator, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.DefaultCost)
	if err != nil {
		return nil, err
	}
	g := &generator{
		opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)), hash: string(hash), stats: stats,
		territory: map[string]string{}, internal: map[string]string{}, byRegion: map[string][]*benchPartner{},
		firsts: demo.FirstNames(), lasts: demo.LastNames(), prefixes: demo.CompanyPrefixes(),
		towns: map[string][]demo.Town{}, depts: map[string][]string{},
	}
	for _, r := range geo.Regions() {
		g.regionCodes = append(g.regionCodes, r.Code)
		for _, d := range geo.DepartementsOf(r.Code) {
			if ts := demo.Towns(d); len(ts) > 0 {
				g.towns[d] = ts
				g.depts[r.Code] = append(g.depts[r.Code], d)
			}
		}
	}
	return g, nil
}

// loadConn opens one connection for the whole load, with a 256 MB page
// cache so that the index rebuilds sort in memory and a helper thread on
// the second core; release puts the settings back and closes it.
func loadConn(ctx context.Context, db *dbx.DB) (*sql.Conn, func(), error) {
	conn, err := db.DB().Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	var cacheSize int
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cacheSize); err != nil {
		conn.Close()
		return nil, nil, err
	}
	if err := execConn(ctx, conn, []string{"PRAGMA cache_size = -262144", "PRAGMA threads = 2"}); err != nil {
		conn.Close()
		return nil, nil, err
	}
	release := func() {
		// best effort: the connection is closed right after
		_, _ = conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", cacheSize))
		_, _ = conn.ExecContext(ctx, "PRAGMA threads = 0")
		conn.Close()
	}
	return conn, release, nil
}

// loadLeads writes the leads in transactions of BatchSize, reporting the
// progress after each.
func (g *generator) loadLeads() error {
	for done := 0; done < g.opts.Leads; {
		n := min(g.opts.BatchSize, g.opts.Leads-done)
		from := done
		if err := g.inTx(func(tx *sql.Tx) error { return g.leads(tx, from, n) }); err != nil {
			return err
		}
		done += n
		if g.opts.Progress != nil {
			g.opts.Progress(done, g.opts.Leads)
		}
	}
	return nil
}

// finishLoad computes the report rollups and the search index of the rows
// written by raw SQL in one pass each, and checkpoints the WAL so that the data dir is left as a
// long-running one is (the next writes would otherwise checkpoint the load
// piecemeal).
func finishLoad(ctx context.Context, conn *sql.Conn) error {
	if err := execConn(ctx, conn, append(reports.RollupInstallSQL(), reports.RollupRebuildSQL()...)); err != nil {
		return err
	}
	if err := execConn(ctx, conn, append(distribution.CounterInstallSQL(), distribution.CounterRebuildSQL()...)); err != nil {
		return err
	}
	if err := execConn(ctx, conn, textindex.RebuildSQL()); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}

// bulkTables are the tables Generate fills by the million.
var bulkTables = []string{"leads", "lead_contacts", "lead_offers", "activities"}

type indexDef struct{ name, sql string }

// dropIndexes drops the explicit indexes of tables and returns their
// definitions (the primary keys' implicit indexes stay).
func dropIndexes(ctx context.Context, conn *sql.Conn, tables []string) ([]indexDef, error) {
	var defs []indexDef
	for _, t := range tables {
		rows, err := conn.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", t)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var d indexDef
			if err := rows.Scan(&d.name, &d.sql); err != nil {
				rows.Close()
				return nil, err
			}
			defs = append(defs, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for i, d := range defs {
		if _, err := conn.ExecContext(ctx, "DROP INDEX `"+d.name+"`"); err != nil {
			return nil, errors.Join(err, createIndexes(ctx, conn, defs[:i]))
		}
	}
	return defs, nil
}

// execConn runs statements on the load's connection.
func execConn(ctx context.Context, conn *sql.Conn, stmts []string) error {
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	return nil
}

// createIndexes recreates dropped indexes from their definitions.
func createIndexes(ctx context.Context, conn *sql.Conn, defs []indexDef) error {
	for _, d := range defs {
		if _, err := conn.ExecContext(ctx, d.sql); err != nil {
			return fmt.Errorf("bench: recreating index %s: %w", d.name, err)
		}
	}
	return nil
}

func (g *generator) inTx(f func(tx *sql.Tx) error) error {
	tx, err := g.conn.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
