// Package demo seeds the deterministic reference dataset of SPEC §6: a
// solar-panel maker with 120 installers across the French régions and a
// year of leads in every status, plus the demo logins of SPEC §8.
package demo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/relais/relais/hooks/geo"
)

// Password is shared by every demo account (demo data only).
const Password = "relais-demo-2026"

// Domain is the e-mail domain of demo accounts; a data dir whose users all
// use it is demo data.
const Domain = "demo.test"

// Options tune Seed. Zero values mean the reference dataset.
type Options struct {
	// Now anchors every date (default: the current day at 08:00 UTC, so that
	// two runs on the same day produce the same data).
	Now time.Time
	// Installers is the number of installer partners (default 120).
	Installers int
	// Leads is the number of leads over the last 12 months (default 3,600).
	Leads int
	// Seed feeds the random generator (default 2026).
	Seed uint64
}

func (o *Options) defaults() {
	if o.Now.IsZero() {
		d := time.Now().UTC()
		o.Now = time.Date(d.Year(), d.Month(), d.Day(), 8, 0, 0, 0, time.UTC)
	}
	if o.Installers <= 0 {
		o.Installers = 120
	}
	if o.Leads <= 0 {
		o.Leads = 3600
	}
	if o.Seed == 0 {
		o.Seed = 2026
	}
}

// Login is one demo account.
type Login struct {
	Email, Role, Partner string
}

// Summary tells what Seed created.
type Summary struct {
	Territories, Partners, Users, Leads, Contacts, Offers, Activities, DealTerms, Rules, Campaigns, Conflicts int
	// the accounts and deals (business.go), governance (governance.go)
	Accounts, AccountContacts, Opportunities, Registrations, Documents int
	AccessRequests, Grants, Notifications                              int
	Logins                                                             []Login
}

// ErrNotEmpty is returned when the data dir already holds data that is not
// the demo's.
var ErrNotEmpty = errors.New("the data dir already holds non-demo data; the demo only seeds an empty data dir")

// ErrAlreadySeeded is returned when the demo data is already there.
var ErrAlreadySeeded = errors.New("the demo data is already present")

// Check tells whether the data dir may receive the demo: nil for an empty
// one, ErrAlreadySeeded when the demo is there, ErrNotEmpty otherwise.
func Check(app core.App) error {
	var users, nonDemo, leads int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM users").Row(&users); err != nil {
		return err
	}
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM users WHERE email NOT LIKE {:d}").Bind(map[string]any{"d": "%@" + Domain}).Row(&nonDemo); err != nil {
		return err
	}
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM leads").Row(&leads); err != nil {
		return err
	}
	switch {
	case nonDemo > 0 || (users == 0 && leads > 0):
		return ErrNotEmpty
	case users > 0:
		return ErrAlreadySeeded
	}
	return nil
}

// Seed fills an empty data dir with the reference dataset in one
// transaction.
func Seed(app core.App, opts Options) (Summary, error) {
	opts.defaults()
	if err := Check(app); err != nil {
		return Summary{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.DefaultCost)
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	err = app.RunInTransaction(func(tx core.App) error {
		s := &seeder{app: tx, opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)), hash: string(hash), sum: &sum}
		return s.run()
	})
	return sum, err
}

type seeder struct {
	app  core.App
	opts Options
	rng  *rand.Rand
	hash string
	sum  *Summary

	territories map[string]*core.Record // region code → territory
	regionCodes []string
	partners    []*core.Record
	partnerReg  map[string]string         // partner id → region code
	byRegion    map[string][]*core.Record // region code → active partners
	salesOf     map[string]*core.Record   // partner id → partner_user
	managerOf   map[string]*core.Record   // partner id → partner_manager
	internal    map[string]*core.Record   // login key → user
	campaigns   []*core.Record
	accounts    []*core.Record // business.go
	approvedReg *core.Record   // the approved deal registration
}

// id returns a deterministic 15-character record id.
func (s *seeder) id() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 15)
	for i := range b {
		b[i] = alphabet[s.rng.IntN(len(alphabet))]
	}
	return string(b)
}

func (s *seeder) pick(list []string) string { return list[s.rng.IntN(len(list))] }

func (s *seeder) save(collection string, id string, fields map[string]any) (*core.Record, error) {
	c, err := s.app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(c)
	if id == "" {
		id = s.id()
	}
	r.Id = id
	for k, v := range fields {
		if k == "created" || k == "updated" {
			r.SetRaw(k, v) // autodate fields ignore Set
			continue
		}
		r.Set(k, v)
	}
	if err := s.app.Save(r); err != nil {
		return nil, fmt.Errorf("demo %s: %w", collection, err)
	}
	return r, nil
}

func (s *seeder) run() error {
	// one step a line: a step of another file is one added line
	steps := []func() error{
		s.seedTerritories, s.seedInternalUsers, s.seedPartners, s.seedRules, s.seedCampaigns, s.seedSettings, s.seedLeads,
		s.seedAccounts,      // business.go: accounts and contacts
		s.seedOpportunities, // business.go: opportunities in every stage
		s.seedRegistrations, // business.go: deal registrations
		s.seedDocuments,     // business.go: the internal documents
		s.seedHeldConflicts, // conflicts.go: leads held for arbitration
		s.seedGovernance,    // governance.go: access requests, grants, review
		s.seedNotifications, // governance.go
		s.seedTeamDocuments, // teams.go: the partners' documents
		s.seedCertificates,  // cert18.go: installers' certificates
		s.seedAppointments,  // appt.go: meetings booked by the lead source
		s.seedROI,           // roi.go: campaign sources and budgets
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func dt(t time.Time) types.DateTime {
	d, _ := types.ParseDateTime(t.UTC())
	return d
}

// westRegions are managed by manager.ouest@demo.test.
var westRegions = []string{"BRE", "PDL", "NOR"}

func (s *seeder) seedTerritories() error {
	s.territories = map[string]*core.Record{}
	for _, r := range geo.Regions() {
		rec, err := s.save("territories", "", map[string]any{
			"name": r.Name, "code": r.Code, "kind": "region", "departments": geo.DepartementsOf(r.Code), "postal_prefixes": []string{},
		})
		if err != nil {
			return err
		}
		s.territories[r.Code] = rec
		s.regionCodes = append(s.regionCodes, r.Code)
		s.sum.Territories++
	}
	return nil
}

func (s *seeder) user(email, name, role, partner string, territories []string) (*core.Record, error) {
	c, err := s.app.FindCachedCollectionByNameOrId("users")
	if err != nil {
		return nil, err
	}
	u := core.NewRecord(c)
	u.Id = s.id()
	u.SetEmail(email)
	u.SetVerified(true)
	u.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: s.hash})
	u.RefreshTokenKey()
	u.Set("name", name)
	u.Set("role", role)
	u.Set("partner", partner)
	u.Set("territories", territories)
	u.Set("active", true)
	u.Set("locale", "fr")
	if err := s.app.Save(u); err != nil {
		return nil, fmt.Errorf("demo user %s: %w", email, err)
	}
	s.sum.Users++
	s.sum.Logins = append(s.sum.Logins, Login{Email: email, Role: role, Partner: partner})
	return u, nil
}

func (s *seeder) seedInternalUsers() error {
	s.internal = map[string]*core.Record{}
	var all, west []string
	for _, code := range s.regionCodes {
		all = append(all, s.territories[code].Id)
	}
	for _, code := range westRegions {
		west = append(west, s.territories[code].Id)
	}
	specs := []struct {
		key, name, role string
		terr            []string
	}{
		{"admin", "Claire Direction", "admin", nil},
		{"manager", "Marc Canal", "channel_manager", all},
		{"manager.ouest", "Yann Le Gall", "channel_manager", west},
		{"teleop", "Sofia Appel", "teleoperator", nil},
		{"sales", "Hugo Vente", "sales", nil},
		{"api", "Plateforme télémarketing", "integration", nil},
	}
	for _, sp := range specs {
		u, err := s.user(sp.key+"@"+Domain, sp.name, sp.role, "", sp.terr)
		if err != nil {
			return err
		}
		s.internal[sp.key] = u
	}
	for _, code := range westRegions {
		s.territories[code].Set("manager", s.internal["manager.ouest"].Id)
		if err := s.app.Save(s.territories[code]); err != nil {
			return err
		}
	}
	return nil
}

// regionWeights spreads installers roughly like the French solar market.
var regionWeights = map[string]int{
	"ARA": 14, "BFC": 5, "BRE": 9, "CVL": 4, "COR": 1, "GES": 7, "HDF": 6, "IDF": 6, "NOR": 5,
	"NAQ": 13, "OCC": 13, "PDL": 7, "PAC": 10, "GP": 1, "MQ": 1, "GF": 1, "RE": 2, "YT": 1,
}

// coverageFirst is the order in which the installers after the west's
// first ten get one région each, so that every région has an active
// installer: Corse and the overseas régions first (the smallest markets,
// which the weighted draw could leave without one).
var coverageFirst = []string{"COR", "GP", "MQ", "GF", "RE", "YT"}

// coverageOrder lists every région once: coverageFirst, then the others
// in their order.
func (s *seeder) coverageOrder() []string {
	out := append([]string{}, coverageFirst...)
	for _, code := range s.regionCodes {
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}

// covering reports whether installer i is the one that covers its région
// (it stays active). A dataset too small to cover every région (tests)
// draws every installer's région by the market weights instead.
func (s *seeder) covering(i int) bool {
	n := len(s.regionCodes)
	return s.opts.Installers >= 10+n && i >= 10 && i < 10+n
}

func (s *seeder) regionFor(i int) string {
	// the first ten installers are in the west (used by the journeys)
	if i < 10 {
		return westRegions[i%len(westRegions)]
	}
	if s.covering(i) {
		return s.coverageOrder()[i-10]
	}
	return s.weightedRegion()
}

// installerName names the n-th installer of a région after one of its
// places (its towns, préfectures first), unique in the dataset.
func (s *seeder) installerName(region string, n int, used map[string]bool) string {
	var places []string
	depts := geo.DepartementsOf(region)
	for k := 0; k < 3; k++ {
		for _, d := range depts {
			if towns := Towns(d); k < len(towns) {
				places = append(places, towns[k].Name)
			}
		}
	}
	if r, ok := geo.RegionByCode(region); ok {
		places = append(places, r.Name)
	}
	for j := n; ; j++ {
		name := InstallerName(places[j%len(places)], j+j/len(places))
		if !used[name] {
			used[name] = true
			return name
		}
	}
}

// weightedRegion draws a région by the market weights.
func (s *seeder) weightedRegion() string {
	total := 0
	for _, code := range s.regionCodes {
		total += regionWeights[code]
	}
	n := s.rng.IntN(total)
	for _, code := range s.regionCodes {
		n -= regionWeights[code]
		if n < 0 {
			return code
		}
	}
	return s.regionCodes[0]
}

var allSegments = []string{"residential", "farm", "business", "industry", "public", "collective"}

func (s *seeder) seedPartners() error {
	used, perRegion := map[string]bool{}, map[string]int{}
	s.partnerReg = map[string]string{}
	s.byRegion = map[string][]*core.Record{}
	s.salesOf = map[string]*core.Record{}
	s.managerOf = map[string]*core.Record{}
	for i := 0; i < s.opts.Installers; i++ {
		num := fmt.Sprintf("%03d", i+1)
		region := s.regionFor(i)
		tier := "standard"
		switch r := s.rng.IntN(10); {
		case r == 0:
			tier = "strategic"
		case r < 4:
			tier = "pilot"
		}
		status := "active"
		contractEnd := s.opts.Now.AddDate(1+s.rng.IntN(2), s.rng.IntN(12), 0)
		if i >= 10 && !s.covering(i) && i%40 == 17 {
			status = "suspended"
		}
		if i >= 10 && !s.covering(i) && i%55 == 31 {
			status = "ended"
			contractEnd = s.opts.Now.AddDate(0, -2, 0)
		}
		segs := []string{"residential"}
		for _, seg := range allSegments[1:] {
			if s.rng.IntN(3) == 0 {
				segs = append(segs, seg)
			}
		}
		name := s.installerName(region, perRegion[region], used)
		perRegion[region]++
		p, err := s.save("partners", "", map[string]any{
			"name": name, "kind": "installer", "tier": tier, "status": status, "contract_end": dt(contractEnd),
			"territories": []string{s.territories[region].Id}, "segments": segs,
			"capacity": 10 + 5*s.rng.IntN(7), "weight": 1 + s.rng.IntN(3),
			"notify_email": "contact@installer" + num + "." + Domain, "channel_manager": s.cmFor(region).Id,
		})
		if err != nil {
			return err
		}
		s.sum.Partners++
		s.partners = append(s.partners, p)
		s.partnerReg[p.Id] = region
		if status == "active" {
			s.byRegion[region] = append(s.byRegion[region], p)
		}
		first, last := FirstNames(), LastNames()
		pm, err := s.user("installer"+num+"@"+Domain, s.pick(first)+" "+s.pick(last), "partner_manager", p.Id, nil)
		if err != nil {
			return err
		}
		pu, err := s.user("installer"+num+".sales@"+Domain, s.pick(first)+" "+s.pick(last), "partner_user", p.Id, nil)
		if err != nil {
			return err
		}
		s.managerOf[p.Id], s.salesOf[p.Id] = pm, pu
	}
	return nil
}

func (s *seeder) cmFor(region string) *core.Record {
	for _, w := range westRegions {
		if w == region {
			return s.internal["manager.ouest"]
		}
	}
	return s.internal["manager"]
}

func (s *seeder) seedRules() error {
	strategies := []string{"round_robin", "weighted", "least_loaded", "best_conversion"}
	for i, code := range s.regionCodes {
		if _, err := s.save("assignment_rules", "", map[string]any{
			"name": "Installateurs " + s.territories[code].GetString("name"), "priority": 10 + i, "active": true,
			"territory": s.territories[code].Id, "min_score": 0, "strategy": strategies[i%len(strategies)],
			"accept_hours": 48, "max_offers": 3,
		}); err != nil {
			return err
		}
		s.sum.Rules++
	}
	_, err := s.save("assignment_rules", "", map[string]any{
		"name": "Grands comptes industriels", "priority": 1, "active": true, "segments": []string{"industry"},
		"tiers": []string{"strategic"}, "min_score": 70, "strategy": "best_conversion", "accept_hours": 24, "max_offers": 2,
	})
	s.sum.Rules++
	return err
}

func (s *seeder) seedCampaigns() error {
	list := []struct{ name, channel string }{
		{"Salon Energaïa", "event"}, {"Newsletter printemps", "email"}, {"Campagne agriculteurs", "phone"},
		{"Webinaire autoconsommation", "web"}, {"Foire de Rennes", "event"}, {"Relance devis", "email"},
	}
	for i, c := range list {
		r, err := s.save("campaigns", "", map[string]any{
			"name": c.name, "channel": c.channel, "starts": dt(s.opts.Now.AddDate(0, -11+2*i, 0)), "ends": dt(s.opts.Now.AddDate(0, -10+2*i, 0)),
			"budget": 2000 + 1000*i,
		})
		if err != nil {
			return err
		}
		s.campaigns = append(s.campaigns, r)
		s.sum.Campaigns++
	}
	return nil
}

func (s *seeder) seedSettings() error {
	rec, err := s.app.FindFirstRecordByFilter("settings_prm", "id != ''")
	if err != nil {
		return err
	}
	rec.Set("web_form_keys", []string{"demo-site-form-key"})
	return s.app.Save(rec)
}
