package distribution

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/assign"
	"github.com/relais/relais/hooks/policy"
)

// The candidates' cache: what the engine needs of every partner that does
// not change from one lead to the next — the assignment rules, the
// partners (territories, kind, tier, status, capacity, weight, contract
// end), their territory grants, their active users' access expiries and
// their certificates — held in memory instead of read for every lead
// distributed (1,000 partners: 12 ms a lead). Everything that depends on
// the time (a grant running, a user's access, a certificate's validity, a
// contract's end) is kept as dates and decided at the time of each
// distribution; the counters that move with every offer are read from
// distribution_counters in the distribution's transaction.
//
// Exactness: the cache is bound (WatchCandidates) to the Execute events
// of the collections it holds, which run inside the write's transaction.
// A write marks a change in flight before it touches the table, and the
// change ends once its transaction completed (committed or rolled back):
// while a change is in flight every distribution reads the tables (the
// transaction that writes sees its own change, the others the committed
// state), and a load that overlapped a change is not kept. Code that
// writes these collections in raw SQL calls ResetCandidates afterwards.

// CandidateCollections are the collections the candidates' cache holds.
var CandidateCollections = []string{"assignment_rules", "partners", "grants", "users", policy.CertificatesCollection}

// candidatesKey is the app.Store() key of the candidates' cache.
const candidatesKey = "relais.distribution.candidates"

// candidateBase is the cached state.
type candidateBase struct {
	rules    []assign.Rule
	partners []assign.Partner // without grants, users, certificates or counters
	grants   []grantRow
	users    map[string][]string // partner → access_expires of its active users ('' = none)
	certs    map[string]map[string]time.Time
}

// grantRow is a running or future territory grant.
type grantRow struct {
	P       string `db:"p"`
	T       string `db:"t"`
	Starts  string `db:"starts"`
	Expires string `db:"expires"`
}

// candidateCache holds the base with a generation and the changes in
// flight.
type candidateCache struct {
	mu      sync.Mutex
	gen     uint64
	pending int
	base    *candidateBase
}

// WatchCandidates creates the app's candidates' cache and returns the
// handler to bind to the Execute events (create, update, delete) of every
// collection of CandidateCollections.
func WatchCandidates(app core.App) func(e *core.RecordEvent) error {
	c, _ := app.Store().GetOrSet(candidatesKey, func() any { return &candidateCache{} }).(*candidateCache)
	return func(e *core.RecordEvent) error {
		c.begin()
		err := e.Next()
		if e.App.IsTransactional() && e.App.TxInfo() != nil {
			e.App.TxInfo().OnComplete(func(error) error { c.end(); return nil })
		} else {
			c.end()
		}
		return err
	}
}

// ResetCandidates forgets the app's cached candidates (after a raw SQL
// write of their collections).
func ResetCandidates(app core.App) {
	if c, _ := app.Store().Get(candidatesKey).(*candidateCache); c != nil {
		c.begin()
		c.end()
	}
}

func (c *candidateCache) begin() {
	c.mu.Lock()
	c.pending++
	c.gen++
	c.base = nil
	c.mu.Unlock()
}

func (c *candidateCache) end() {
	c.mu.Lock()
	c.pending--
	c.gen++
	c.base = nil
	c.mu.Unlock()
}

// candidates returns the base, from memory when no change is in flight.
func candidates(app core.App) (*candidateBase, error) {
	c, _ := app.Store().Get(candidatesKey).(*candidateCache)
	if c == nil {
		return loadBase(app)
	}
	c.mu.Lock()
	if c.base != nil {
		b := c.base
		c.mu.Unlock()
		return b, nil
	}
	gen, pending := c.gen, c.pending
	c.mu.Unlock()
	b, err := loadBase(app)
	if err != nil || pending > 0 {
		return b, err
	}
	c.mu.Lock()
	if c.gen == gen && c.pending == 0 {
		c.base = b
	}
	c.mu.Unlock()
	return b, nil
}

// loadBase reads the cached state from the database.
func loadBase(app core.App) (*candidateBase, error) {
	b := &candidateBase{users: map[string][]string{}}
	var err error
	if b.rules, err = loadRules(app); err != nil {
		return nil, err
	}
	recs, err := app.FindAllRecords("partners")
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		p := assign.Partner{
			ID: r.Id, Kind: r.GetString("kind"), Tier: r.GetString("tier"), Status: r.GetString("status"),
			Territories: r.GetStringSlice("territories"), Segments: r.GetStringSlice("segments"),
			Capacity: r.GetInt("capacity"), Weight: r.GetFloat("weight"),
		}
		if ce := r.GetDateTime("contract_end"); !ce.IsZero() {
			p.ContractEnd = ce.Time()
		}
		b.partners = append(b.partners, p)
	}
	if err := app.DB().NewQuery("SELECT partner AS p, territory AS t, COALESCE(starts, '') AS starts, COALESCE(expires, '') AS expires FROM grants WHERE partner != '' AND kind = 'territory' AND territory != ''").
		All(&b.grants); err != nil {
		return nil, err
	}
	users := []struct {
		P string `db:"p"`
		E string `db:"e"`
	}{}
	if err := app.DB().NewQuery("SELECT partner AS p, COALESCE(access_expires, '') AS e FROM users WHERE partner != '' AND active = 1").All(&users); err != nil {
		return nil, err
	}
	for _, u := range users {
		b.users[u.P] = append(b.users[u.P], u.E)
	}
	b.certs, err = partnerCertificates(app, "SELECT id FROM partners", map[string]any{})
	return b, err
}

// grantedAt are the territories of the grants running at nowS, by
// partner.
func (b *candidateBase) grantedAt(nowS string) map[string][]string {
	extra := map[string][]string{}
	for _, g := range b.grants {
		if (g.Starts == "" || g.Starts <= nowS) && g.Expires > nowS {
			extra[g.P] = append(extra[g.P], g.T)
		}
	}
	return extra
}

// activeUsers counts a partner's users whose access runs at nowS.
func (b *candidateBase) activeUsers(partner, nowS string) int {
	n := 0
	for _, e := range b.users[partner] {
		if e == "" || e > nowS {
			n++
		}
	}
	return n
}

// nowString is the stored form of a time, for comparisons with stored
// dates.
func nowString(now time.Time) string { return now.UTC().Format(types.DefaultDateLayout) }
