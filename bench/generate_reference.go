package bench

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/relais/relais/hooks/geo"
)

// reference writes territories, internal users, partners with their users,
// and one assignment rule per région.
func (g *generator) reference(tx *sql.Tx) error {
	now := dbTime(g.opts.Now)
	if err := g.territories(tx, now); err != nil {
		return err
	}
	users, err := newUserWriter(g, tx, now)
	if err != nil {
		return err
	}
	defer users.stmt.Close()
	if err := g.internalUsers(tx, users); err != nil {
		return err
	}
	if err := g.partnerCompanies(tx, users, now); err != nil {
		return err
	}
	return g.rules(tx, now)
}

// territories writes one territory per région.
func (g *generator) territories(tx *sql.Tx, now string) error {
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
	return nil
}

// userWriter inserts user accounts.
type userWriter struct {
	g    *generator
	stmt *sql.Stmt
	now  string
}

func newUserWriter(g *generator, tx *sql.Tx, now string) (*userWriter, error) {
	stmt, err := tx.Prepare(`INSERT INTO users (id, email, emailVisibility, verified, password, tokenKey, name, role, partner, territories, active, locale, created, updated)
		VALUES (?, ?, 0, 1, ?, ?, ?, ?, ?, ?, 1, 'fr', ?, ?)`)
	if err != nil {
		return nil, err
	}
	return &userWriter{g: g, stmt: stmt, now: now}, nil
}

// add writes one account and returns its id.
func (w *userWriter) add(email, name, role, partner string, territories []string) (string, error) {
	g := w.g
	id := g.id()
	if _, err := w.stmt.Exec(id, email, g.hash, g.token(), name, role, partner, jsonList(territories), w.now, w.now); err != nil {
		return "", fmt.Errorf("users %s: %w", email, err)
	}
	g.stats.Users++
	return id, nil
}

// internalUsers writes the admin, the channel manager of ManagerRegions,
// the teleoperator and the integration, and makes the channel manager the
// manager of its territories.
func (g *generator) internalUsers(tx *sql.Tx, users *userWriter) error {
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
		id, err := users.add(u.email, u.name, u.role, "", terrs)
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
	return nil
}

// partnerCompanies writes the partners, each with UsersPerPartner accounts
// (its manager first).
func (g *generator) partnerCompanies(tx *sql.Tx, users *userWriter, now string) error {
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
		tier, status, contractEnd, segs := g.partnerTerms(i)
		p.active = status == "active"
		cm := ""
		for _, c := range ManagerRegions {
			if c == p.region {
				cm = g.internal[ManagerEmail]
			}
		}
		// the arguments are drawn left to right: keep their order
		if _, err := part.Exec(p.id, fmt.Sprintf("Bench Installateur %04d", i+1), g.pick(partnerKinds), tier, status, dbTime(contractEnd),
			jsonList([]string{g.territory[p.region]}), jsonList(segs), capacity+5*g.rng.IntN(7), 1+g.rng.IntN(3),
			fmt.Sprintf("contact@p%04d.%s", i+1, Domain), cm, now, now); err != nil {
			return fmt.Errorf("partners: %w", err)
		}
		g.stats.Partners++
		if err := g.partnerUsers(users, p, i); err != nil {
			return err
		}
		g.partners = append(g.partners, p)
		if p.active {
			g.byRegion[p.region] = append(g.byRegion[p.region], p)
		}
	}
	return nil
}

// partnerTerms draws the tier, status, contract end and segments of the
// i-th partner (a few suspended or ended ones, at fixed positions).
func (g *generator) partnerTerms(i int) (tier, status string, contractEnd time.Time, segs []string) {
	tier = "standard"
	switch r := g.rng.IntN(10); {
	case r == 0:
		tier = "strategic"
	case r < 4:
		tier = "pilot"
	}
	status = "active"
	contractEnd = g.opts.Now.AddDate(1+g.rng.IntN(2), g.rng.IntN(12), 0)
	if i >= 10 && i%40 == 17 {
		status = "suspended"
	}
	if i >= 10 && i%55 == 31 {
		status, contractEnd = "ended", g.opts.Now.AddDate(0, -2, 0)
	}
	segs = []string{"residential"}
	for _, s := range allSegments[1:] {
		if g.rng.IntN(3) == 0 {
			segs = append(segs, s)
		}
	}
	return tier, status, contractEnd, segs
}

// partnerUsers writes the accounts of partner p (the i-th).
func (g *generator) partnerUsers(users *userWriter, p *benchPartner, i int) error {
	for u := 1; u <= UsersPerPartner; u++ {
		role := "partner_user"
		if u == 1 {
			role = "partner_manager"
		}
		id, err := users.add(PartnerEmail(i+1, u), g.pick(g.firsts)+" "+g.pick(g.lasts), role, p.id, nil)
		if err != nil {
			return err
		}
		if u == 1 {
			p.manager = id
		} else {
			p.sales = append(p.sales, id)
		}
	}
	return nil
}

// rules writes one assignment rule per région.
func (g *generator) rules(tx *sql.Tx, now string) error {
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
