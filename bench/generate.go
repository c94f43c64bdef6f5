package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"github.com/relais/relais/demo"
	"github.com/relais/relais/hooks/dedup"
	"github.com/relais/relais/hooks/geo"
	"github.com/relais/relais/hooks/reports"
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

// regionWeights spreads partners and leads like the demo (the French solar
// market, roughly).
var regionWeights = map[string]int{
	"ARA": 14, "BFC": 5, "BRE": 9, "CVL": 4, "COR": 1, "GES": 7, "HDF": 6, "IDF": 6, "NOR": 5,
	"NAQ": 13, "OCC": 13, "PDL": 7, "PAC": 10, "GP": 1, "MQ": 1, "GF": 1, "RE": 2, "YT": 1,
}

// segmentMix is the demo's segment distribution (percent) and value range.
var segmentMix = []struct {
	seg      string
	pct      int
	min, max float64
}{
	{"residential", 58, 7000, 25000}, {"farm", 12, 30000, 120000}, {"business", 14, 20000, 90000},
	{"industry", 5, 80000, 400000}, {"public", 5, 40000, 200000}, {"collective", 6, 50000, 150000},
}

var sourceMix = []struct {
	src string
	pct int
}{{"web", 35}, {"phone", 30}, {"campaign", 15}, {"import", 10}, {"api", 10}}

type weightedStatus struct {
	st  string
	pct int
}

// statusByAge is the demo's status distribution by lead age.
func statusByAge(age int) []weightedStatus {
	switch {
	case age < 7:
		return []weightedStatus{{"new", 30}, {"qualifying", 25}, {"ready", 20}, {"offered", 25}}
	case age < 30:
		return []weightedStatus{{"qualifying", 5}, {"ready", 5}, {"offered", 10}, {"accepted", 20}, {"contacted", 25}, {"meeting", 20}, {"lost", 10}, {"recycled", 5}}
	default:
		return []weightedStatus{{"accepted", 3}, {"contacted", 7}, {"meeting", 10}, {"won", 35}, {"lost", 40}, {"recycled", 5}}
	}
}

var withPartner = map[string]bool{"offered": true, "accepted": true, "contacted": true, "meeting": true, "won": true, "lost": true}

var interests = map[string][]string{
	"residential": {"Autoconsommation maison individuelle 6 kWc", "Panneaux + batterie, facture trop élevée", "Devis 3 kWc avec revente du surplus"},
	"farm":        {"Toiture hangar agricole 100 kWc", "Ombrières pour stabulation"},
	"business":    {"Toiture atelier 36 kWc", "Ombrières parking clients"},
	"industry":    {"Centrale toiture entrepôt 500 kWc", "Ombrières parking 200 places"},
	"public":      {"Toiture école communale", "Ombrières parking mairie"},
	"collective":  {"Autoconsommation collective copropriété", "Toiture résidence 60 logements"},
}

var (
	lostReasons    = []string{"Prix trop élevé", "Projet reporté", "Concurrent retenu", "Injoignable", "Toiture inadaptée"}
	declineReasons = []string{"Capacité atteinte ce mois-ci", "Hors de notre zone d'intervention", "Segment non traité", "Chantier trop petit"}
	mailDomains    = []string{"gmail.com", "orange.fr", "free.fr", "laposte.net"}
	titles         = []string{"Propriétaire", "Gérant", "Directeur technique", "Exploitant", "Maire adjoint", "Syndic"}
	partnerKinds   = []string{"installer", "installer", "installer", "reseller", "distributor", "integrator"}
	strategies     = []string{"round_robin", "weighted", "least_loaded", "best_conversion"}
	allSegments    = []string{"residential", "farm", "business", "industry", "public", "collective"}
)

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
	var users, leads int
	if err := app.DB().NewQuery("SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM leads)").Row(&users, &leads); err != nil {
		return Stats{}, err
	}
	if users > 0 || leads > 0 {
		return Stats{}, ErrNotEmpty
	}
	db, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return Stats{}, errors.New("bench: Generate needs the app itself, not a transaction")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.DefaultCost)
	if err != nil {
		return Stats{}, err
	}
	g := &generator{
		opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)), hash: string(hash), stats: &stats,
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
	// One connection for the whole load, with a 256 MB page cache so that
	// the index rebuilds sort in memory.
	ctx := context.Background()
	conn, err := db.DB().Conn(ctx)
	if err != nil {
		return stats, err
	}
	defer conn.Close()
	var cacheSize int
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cacheSize); err != nil {
		return stats, err
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
		return stats, err
	}
	defer func() { _, _ = conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", cacheSize)) }()
	// the index rebuilds sort with a helper thread on the second core
	if _, err := conn.ExecContext(ctx, "PRAGMA threads = 2"); err != nil {
		return stats, err
	}
	defer func() { _, _ = conn.ExecContext(ctx, "PRAGMA threads = 0") }()
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
	for done := 0; done < opts.Leads; {
		n := min(opts.BatchSize, opts.Leads-done)
		from := done
		if err := g.inTx(func(tx *sql.Tx) error { return g.leads(tx, from, n) }); err != nil {
			return stats, err
		}
		done += n
		if opts.Progress != nil {
			opts.Progress(done, opts.Leads)
		}
	}
	t := time.Now()
	if err := createIndexes(ctx, conn, indexes); err != nil {
		return stats, err
	}
	indexes = nil
	// the rows went in by raw SQL: the report rollups are computed in one
	// pass (hooks/rollups.go)
	if err := execConn(ctx, conn, append(reports.RollupInstallSQL(), reports.RollupRebuildSQL()...)); err != nil {
		return stats, err
	}
	stats.Indexing = time.Since(t)
	// leave the data dir as a long-running one is: the load went through
	// the WAL, which the next writes would otherwise checkpoint piecemeal
	if _, err := conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return stats, err
	}
	stats.Elapsed = time.Since(start)
	return stats, nil
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

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// id returns a deterministic 15-character record id of [a-z0-9] like
// PocketBase's, whose first 6 characters count up (base 36) and the other
// 9 are random: each table's primary-key index then grows at its end, as
// the table does, instead of splitting pages all over the tree (random ids
// made that the main cost of a 1M-lead load).
func (g *generator) id() string {
	var b [15]byte
	n := g.seq
	g.seq++
	for i := 5; i >= 0; i-- {
		b[i] = idAlphabet[n%36]
		n /= 36
	}
	for i := 6; i < len(b); i++ {
		b[i] = idAlphabet[g.rng.IntN(len(idAlphabet))]
	}
	return string(b[:])
}

// token returns a random 50-character token key.
func (g *generator) token() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var b [50]byte
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b[:])
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func jsonList(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// weightedRegion draws a région by regionWeights.
func (g *generator) weightedRegion() string {
	total := 0
	for _, c := range g.regionCodes {
		total += regionWeights[c]
	}
	n := g.rng.IntN(total)
	for _, c := range g.regionCodes {
		n -= regionWeights[c]
		if n < 0 {
			return c
		}
	}
	return g.regionCodes[0]
}

// reference writes territories, internal users, partners with their users,
// and one assignment rule per région.
func (g *generator) reference(tx *sql.Tx) error {
	now := dbTime(g.opts.Now)
	terr, err := tx.Prepare("INSERT INTO territories (id, name, code, kind, departments, postal_prefixes, manager, created, updated) VALUES (?, ?, ?, 'region', ?, '[]', '', ?, ?)")
	if err != nil {
		return err
	}
	defer terr.Close()
	for _, r := range geo.Regions() {
		id := g.id()
		if _, err := terr.Exec(id, r.Name, r.Code, jsonList(geo.DepartementsOf(r.Code)), now, now); err != nil {
			return fmt.Errorf("territories: %w", err)
		}
		g.territory[r.Code] = id
		g.stats.Territories++
	}

	user, err := tx.Prepare(`INSERT INTO users (id, email, emailVisibility, verified, password, tokenKey, name, role, partner, territories, active, locale, created, updated)
		VALUES (?, ?, 0, 1, ?, ?, ?, ?, ?, ?, 1, 'fr', ?, ?)`)
	if err != nil {
		return err
	}
	defer user.Close()
	addUser := func(email, name, role, partner string, territories []string) (string, error) {
		id := g.id()
		if _, err := user.Exec(id, email, g.hash, g.token(), name, role, partner, jsonList(territories), now, now); err != nil {
			return "", fmt.Errorf("users %s: %w", email, err)
		}
		g.stats.Users++
		return id, nil
	}
	var cmTerritories []string
	for _, code := range ManagerRegions {
		cmTerritories = append(cmTerritories, g.territory[code])
	}
	for _, u := range []struct{ email, name, role string }{
		{AdminEmail, "Bench Direction", "admin"}, {ManagerEmail, "Bench Canal", "channel_manager"},
		{TeleopEmail, "Bench Appel", "teleoperator"}, {IntegrationEmail, "Bench Plateforme", "integration"},
	} {
		var terrs []string
		if u.role == "channel_manager" {
			terrs = cmTerritories
		}
		id, err := addUser(u.email, u.name, u.role, "", terrs)
		if err != nil {
			return err
		}
		g.internal[u.email] = id
	}
	for _, code := range ManagerRegions {
		if _, err := tx.Exec("UPDATE territories SET manager = ? WHERE id = ?", g.internal[ManagerEmail], g.territory[code]); err != nil {
			return err
		}
	}

	part, err := tx.Prepare(`INSERT INTO partners (id, name, kind, tier, status, contract_end, territories, segments, capacity, weight, notify_email, siren, channel_manager, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer part.Close()
	// capacity (max open leads) leaves room above the open leads the mix
	// gives each partner (about a quarter of its leads), so that new
	// leads can still be distributed
	capacity := 10 + g.opts.Leads/g.opts.Partners/2
	for i := 0; i < g.opts.Partners; i++ {
		p := &benchPartner{id: g.id(), region: g.weightedRegion(), active: true}
		tier := "standard"
		switch r := g.rng.IntN(10); {
		case r == 0:
			tier = "strategic"
		case r < 4:
			tier = "pilot"
		}
		status := "active"
		contractEnd := g.opts.Now.AddDate(1+g.rng.IntN(2), g.rng.IntN(12), 0)
		if i >= 10 && i%40 == 17 {
			status = "suspended"
		}
		if i >= 10 && i%55 == 31 {
			status, contractEnd = "ended", g.opts.Now.AddDate(0, -2, 0)
		}
		p.active = status == "active"
		segs := []string{"residential"}
		for _, s := range allSegments[1:] {
			if g.rng.IntN(3) == 0 {
				segs = append(segs, s)
			}
		}
		cm := ""
		for _, c := range ManagerRegions {
			if c == p.region {
				cm = g.internal[ManagerEmail]
			}
		}
		if _, err := part.Exec(p.id, fmt.Sprintf("Bench Installateur %04d", i+1), g.pick(partnerKinds), tier, status, dbTime(contractEnd),
			jsonList([]string{g.territory[p.region]}), jsonList(segs), capacity+5*g.rng.IntN(7), 1+g.rng.IntN(3),
			fmt.Sprintf("contact@p%04d.%s", i+1, Domain), cm, now, now); err != nil {
			return fmt.Errorf("partners: %w", err)
		}
		g.stats.Partners++
		for u := 1; u <= UsersPerPartner; u++ {
			role := "partner_user"
			if u == 1 {
				role = "partner_manager"
			}
			id, err := addUser(PartnerEmail(i+1, u), g.pick(g.firsts)+" "+g.pick(g.lasts), role, p.id, nil)
			if err != nil {
				return err
			}
			if u == 1 {
				p.manager = id
			} else {
				p.sales = append(p.sales, id)
			}
		}
		g.partners = append(g.partners, p)
		if p.active {
			g.byRegion[p.region] = append(g.byRegion[p.region], p)
		}
	}

	rule, err := tx.Prepare(`INSERT INTO assignment_rules (id, name, priority, active, territory, segments, partner_kinds, tiers, min_score, strategy, partners, accept_hours, max_offers, created, updated)
		VALUES (?, ?, ?, 1, ?, '[]', '[]', '[]', 0, ?, '[]', 48, 3, ?, ?)`)
	if err != nil {
		return err
	}
	defer rule.Close()
	for i, code := range g.regionCodes {
		r, _ := geo.RegionByCode(code)
		if _, err := rule.Exec(g.id(), "Installateurs "+r.Name, 10+i, g.territory[code], strategies[i%len(strategies)], now, now); err != nil {
			return fmt.Errorf("assignment_rules: %w", err)
		}
		g.stats.Rules++
	}
	return nil
}

const leadColumns = "id, company, private, segment, company_size, country, postal_code, city, department, territory, source, source_ref, campaign, " +
	"score, status, partner, assignee, offered_at, accept_by, accepted_at, interest, estimated_value, meeting_at, dedup_key, created_by, " +
	"qualification_notes, consent, offers_count, lost_reason, won_amount, closed_at, created, updated"

// leads writes leads [from, from+n) with their contacts, offers and
// activities. Lead i is created at a fixed slot of the 12 months before
// Now (plus jitter inside the slot): leads arrive in time order, as in a
// real data dir, and no two leads share a creation time.
func (g *generator) leads(tx *sql.Tx, from, n int) error {
	lead, err := tx.Prepare("INSERT INTO leads (" + leadColumns + ") VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", 33), ", ") + ")")
	if err != nil {
		return err
	}
	defer lead.Close()
	contact, err := tx.Prepare("INSERT INTO lead_contacts (id, lead, first_name, last_name, title, email, phone, mobile, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer contact.Close()
	offer, err := tx.Prepare("INSERT INTO lead_offers (id, lead, partner, assignee, offered_at, accept_by, outcome, reason, decided_at, decided_by, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer offer.Close()
	activity, err := tx.Prepare("INSERT INTO activities (id, lead, opportunity, kind, summary, at, outcome, author, internal, recording, created, updated) VALUES (?, ?, '', ?, ?, ?, ?, ?, 0, '', ?, ?)")
	if err != nil {
		return err
	}
	defer activity.Close()

	now := g.opts.Now
	span := 365 * 24 * time.Hour
	slot := span / time.Duration(g.opts.Leads)
	if slot < time.Millisecond {
		return errors.New("bench: too many leads for one per millisecond over 12 months")
	}
	for i := from; i < from+n; i++ {
		created := now.Add(-span + time.Duration(i)*slot + time.Duration(g.rng.Int64N(int64(slot/time.Millisecond)))*time.Millisecond).Truncate(time.Millisecond)
		age := int(now.Sub(created) / (24 * time.Hour))
		region := g.weightedRegion()
		depts := g.depts[region]
		dept := depts[g.rng.IntN(len(depts))]
		town := g.towns[dept][g.rng.IntN(len(g.towns[dept]))]
		status := g.status(age)
		var p *benchPartner
		if withPartner[status] {
			if cands := g.byRegion[region]; len(cands) > 0 {
				p = cands[g.rng.IntN(len(cands))]
			} else {
				status = "ready" // coverage gap: nobody to offer it to
			}
		}
		seg, value := g.segment()
		first, last := g.pick(g.firsts), g.pick(g.lasts)
		// a household's name is a contact detail (SPEC §3.3.3): private
		// customers' leads have no company, the name is in the contact
		company, private, domain := "", seg == "residential", g.pick(mailDomains)
		if !private {
			company = g.pick(g.prefixes) + " " + g.pick(g.lasts)
			domain = fmt.Sprintf("entreprise%d-%s.fr", g.rng.IntN(100000), seg)
		}
		email := strings.ToLower(asciiName(first) + "." + asciiName(last) + "@" + domain)
		src := g.source()
		creator := g.internal[TeleopEmail]
		switch src {
		case "api":
			creator = g.internal[IntegrationEmail]
		case "import":
			creator = g.internal[AdminEmail]
		}
		score := 60 + g.rng.IntN(41)
		notes := ""
		switch status {
		case "new":
			score = g.rng.IntN(40)
		case "qualifying", "recycled":
			score = 30 + g.rng.IntN(40)
		}
		if status == "qualifying" || status == "ready" {
			notes = "Appel de qualification: toiture sud, décideur joint."
		}
		id := g.id()
		createdS := dbTime(created)
		updated := created
		var partner, assignee, offeredAt, acceptBy, acceptedAt, meetingAt, lostReason, closedAt string
		var wonAmount float64
		offers := 0
		if p != nil {
			partner, assignee = p.id, p.sales[g.rng.IntN(len(p.sales))]
			at := created.Add(time.Duration(1+g.rng.IntN(20)) * time.Hour)
			if status == "offered" {
				at = now.Add(-time.Duration(1+g.rng.IntN(30)) * time.Hour)
			}
			// sometimes another partner of the région declined or let it expire first
			if others := g.byRegion[region]; len(others) > 1 && status != "offered" && g.rng.IntN(4) == 0 {
				if other := others[g.rng.IntN(len(others))]; other != p {
					outcome, reason, decided := "declined", g.pick(declineReasons), at.Add(time.Duration(1+g.rng.IntN(40))*time.Hour)
					if g.rng.IntN(3) == 0 {
						outcome, reason, decided = "expired", "", at.Add(48*time.Hour)
					}
					decidedBy := ""
					if outcome == "declined" {
						decidedBy = other.sales[0]
					}
					if _, err := offer.Exec(g.id(), id, other.id, other.sales[0], dbTime(at), dbTime(at.Add(48*time.Hour)), outcome, reason,
						dbTime(decided), decidedBy, dbTime(at), dbTime(decided)); err != nil {
						return fmt.Errorf("lead_offers: %w", err)
					}
					g.stats.Offers++
					offers++
					at = decided.Add(time.Hour)
				}
			}
			offeredAt, acceptBy = dbTime(at), dbTime(at.Add(48*time.Hour))
			outcome, decidedAt, decidedBy, offerUpdated := "pending", "", "", at
			if status != "offered" {
				decided := at.Add(time.Duration(1+g.rng.IntN(30)) * time.Hour)
				outcome, decidedAt, decidedBy, offerUpdated = "accepted", dbTime(decided), assignee, decided
				acceptedAt, updated = decidedAt, decided
			}
			if _, err := offer.Exec(g.id(), id, p.id, assignee, offeredAt, acceptBy, outcome, "", decidedAt, decidedBy, dbTime(at), dbTime(offerUpdated)); err != nil {
				return fmt.Errorf("lead_offers: %w", err)
			}
			g.stats.Offers++
			offers++
			switch status {
			case "meeting":
				meetingAt = dbTime(now.Add(time.Duration(1+g.rng.IntN(14)) * 24 * time.Hour))
			case "won":
				wonAmount = math.Round(value * (0.8 + 0.3*g.rng.Float64()))
				closed := created.Add(time.Duration(20+g.rng.IntN(40)) * 24 * time.Hour)
				closedAt, updated = dbTime(closed), closed
			case "lost":
				lostReason = g.pick(lostReasons)
				closed := created.Add(time.Duration(10+g.rng.IntN(40)) * 24 * time.Hour)
				closedAt, updated = dbTime(closed), closed
			}
			if status != "offered" {
				kind, summary, outcome := "call", "Premier appel, rendez-vous proposé.", "joint"
				if status == "meeting" || status == "won" || status == "lost" {
					kind, summary, outcome = "meeting", "Visite technique: toiture et compteur.", "visite faite"
				}
				at := created.Add(time.Duration(2+g.rng.IntN(4)) * 24 * time.Hour)
				if _, err := activity.Exec(g.id(), id, kind, summary, dbTime(at), outcome, assignee, dbTime(at), dbTime(at)); err != nil {
					return fmt.Errorf("activities: %w", err)
				}
				g.stats.Activities++
			}
		}
		if updated.After(now) {
			updated = now
		}
		if _, err := lead.Exec(id, company, private, seg, size(g, seg), "FR", town.PostalCode, town.Name, dept, g.territory[region], src,
			fmt.Sprintf("%s-%07d", src, i+1), "", score, status, partner, assignee, offeredAt, acceptBy, acceptedAt,
			g.pick(interests[seg]), value, meetingAt, dedup.Primary(dedup.Keys(dedup.Input{Email: email})), creator,
			notes, 1, offers, lostReason, wonAmount, closedAt, createdS, dbTime(updated)); err != nil {
			return fmt.Errorf("leads: %w", err)
		}
		g.stats.Leads++
		if _, err := contact.Exec(g.id(), id, first, last, g.pick(titles), email,
			fmt.Sprintf("+332%08d", g.rng.IntN(100000000)), fmt.Sprintf("+336%08d", g.rng.IntN(100000000)), createdS, createdS); err != nil {
			return fmt.Errorf("lead_contacts: %w", err)
		}
		g.stats.Contacts++
	}
	return nil
}

func (g *generator) status(age int) string {
	table := statusByAge(age)
	n := g.rng.IntN(100)
	for _, x := range table {
		n -= x.pct
		if n < 0 {
			return x.st
		}
	}
	return table[len(table)-1].st
}

func (g *generator) segment() (string, float64) {
	n := g.rng.IntN(100)
	for _, m := range segmentMix {
		n -= m.pct
		if n < 0 {
			return m.seg, math.Round((m.min+g.rng.Float64()*(m.max-m.min))/100) * 100
		}
	}
	return "residential", 10000
}

func (g *generator) source() string {
	n := g.rng.IntN(100)
	for _, x := range sourceMix {
		n -= x.pct
		if n < 0 {
			return x.src
		}
	}
	return "web"
}

func size(g *generator, seg string) string {
	switch seg {
	case "residential":
		return "1"
	case "industry":
		return g.pick([]string{"50-249", "250+"})
	default:
		return g.pick([]string{"2-9", "10-49", "50-249"})
	}
}

var asciiReplacer = strings.NewReplacer(" ", "", "'", "", "é", "e", "è", "e", "ë", "e", "ê", "e", "ï", "i", "î", "i", "ô", "o",
	"ç", "c", "É", "e", "â", "a", "û", "u", "ü", "u", "ö", "o")

func asciiName(s string) string { return asciiReplacer.Replace(s) }
