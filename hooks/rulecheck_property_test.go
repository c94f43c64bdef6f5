package hooks_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/lifecycle"
	"github.com/relais/relais/hooks/policy"
	"github.com/relais/relais/hooks/roles"
)

// The in-memory reading of the leads ViewRule (rulecheck.go) answers the
// accept and decline routes and renders saved leads without a SQL rule
// check. This property test proves it equal to PocketBase's own check
// (app.CanAccessRecord, the SQL the REST API runs) beyond the default
// matrix: custom roles of every kind at every leads read level the policy
// accepts, users of every shape (partner active / suspended / none /
// dangling, managed territories, running / expired / future territory
// grants, inactive, expired or expiring accounts, superuser) and leads of
// every shape relative to the user (partner own / foreign / none, assignee
// me / colleague / none, creator me / other / none, territory managed /
// granted / other / none, every status). Whenever rulecheck answers, it
// answers like SQL.
//
// The default run draws a seeded sample (a few seconds); the full cross
// product runs with
//
//	go test ./hooks -run TestRuleViewEqualsSQLRule -rulecheck.sweep -timeout 60m
//
// and -rulecheck.seed=N draws another sample.
var (
	ruleSweep = flag.Bool("rulecheck.sweep", false, "rulecheck property test: every user × every lead shape (slow)")
	ruleSeed  = flag.Uint64("rulecheck.seed", 20261204, "rulecheck property test: seed of the sampled run")
)

// rulecheckProvenOn are the module versions on which the full sweep of
// TestRuleViewEqualsSQLRule was last run and found no difference. They
// must match access.RuleViewProvenOn (the versions rulecheck answers on).
var rulecheckProvenOn = map[string]string{
	"github.com/pocketbase/pocketbase": "v0.40.4",
	"github.com/ganigeorgiev/fexpr":    "v0.6.0",
}

// TestRuleViewProvenOnTheseVersions fails when PocketBase (whose SQL rule
// rulecheck reproduces) or fexpr (the parser both use) changes version in
// go.mod: the equivalence was proven on the versions above only.
func TestRuleViewProvenOnTheseVersions(t *testing.T) {
	require.Equal(t, rulecheckProvenOn, access.RuleViewProvenOn(), "the test and rulecheck.go name the same versions")
	used := moduleVersions(t)
	for mod, proven := range rulecheckProvenOn {
		require.Equal(t, proven, used[mod],
			"%s changed version: re-run the full sweep `go test ./hooks -run TestRuleViewEqualsSQLRule -rulecheck.sweep -timeout 60m`; "+
				"when it passes, set the new version in rulecheckProvenOn (rulecheck_property_test.go) and ruleViewProvenOn (rulecheck.go); "+
				"if it finds a difference, fix rulecheck.go or remove it (visibleLead and savedLeadJSON then ask SQL)", mod)
	}
}

// moduleVersions returns the versions go.mod requires, with its replace
// directives applied (test binaries carry no dependency list in their
// build info, so go.mod is read).
func moduleVersions(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("../go.mod")
	require.NoError(t, err)
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^(?:require\s+|\t)(\S+)\s+(v\S+)`).FindAllStringSubmatch(string(raw), -1) {
		out[m[1]] = m[2]
	}
	for _, m := range regexp.MustCompile(`(?m)^(?:replace\s+|\t)(\S+)(?:\s+v\S+)?\s+=>\s+(\S+)(?:\s+(v\S+))?`).FindAllStringSubmatch(string(raw), -1) {
		out[m[1]] = "replaced by " + m[2] + " " + m[3]
	}
	require.NotEmpty(t, out["github.com/pocketbase/pocketbase"], "go.mod requires PocketBase")
	return out
}

// ruleRole is a custom role of the property test.
type ruleRole struct {
	id    string
	kind  roles.Kind
	level policy.Level
}

// customLeadRoles returns one role per kind and leads read level that the
// policy accepts (policy.Validate on the default matrix plus the role).
func customLeadRoles() []ruleRole {
	var out []ruleRole
	for _, kind := range []roles.Kind{roles.Internal, roles.Partner, roles.Integration} {
		for _, level := range policy.Levels() {
			id := fmt.Sprintf("rc_%s_%s", kind, level)
			m := policy.DefaultMatrix()
			m.Roles = append(m.Roles, policy.Role{ID: id, Name: id, Kind: kind})
			m.Cells = append(m.Cells, policy.Cell{Role: id, Resource: "leads", Read: level, Update: policy.None, Delete: policy.None})
			if policy.Validate(m) == nil {
				out = append(out, ruleRole{id: id, kind: kind, level: level})
			}
		}
	}
	return out
}

// ruleUser is a user of the property test and what its shape is.
type ruleUser struct {
	rec         *core.Record
	desc        string
	partner     string   // partner id ("" none; may be dangling)
	managed     []string // managed territories
	granted     string   // territory of a running grant ("" none)
	colleagues  []string // other users of the same partner (or of no partner)
	superuser   bool
	partnerKind bool
}

// TestRuleViewEqualsSQLRule: see the top of this file.
func TestRuleViewEqualsSQLRule(t *testing.T) {
	start := time.Now()
	w := newWorld(t)
	app := w.app
	now := time.Now()
	t3 := w.mk("territories", map[string]any{"name": "Est", "code": "T3", "kind": "region", "departments": []string{"67"}}).Id
	p3 := w.mk("partners", map[string]any{"name": "Suspendu", "kind": "installer", "tier": "standard", "status": "suspended", "territories": []string{w.T1}}).Id

	// custom roles (through the app: validated, rules recompiled)
	custom := customLeadRoles()
	kinds := map[roles.Kind]int{}
	for _, r := range custom {
		kinds[r.kind]++
		rec := w.mk("roles", map[string]any{"id": r.id, "name": r.id, "kind": string(r.kind)})
		require.Equal(t, r.id, rec.Id)
		w.mk("permissions", map[string]any{"role": r.id, "resource": "leads", "read": string(r.level), "update": "none", "delete": "none"})
	}
	require.Equal(t, map[roles.Kind]int{roles.Internal: 5, roles.Partner: 3, roles.Integration: 2}, kinds,
		"every level the policy accepts: internal none/own/territory/pool/all, partner none/own/org, integration none/own")
	leadsColl, err := app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	for _, r := range custom {
		if r.level != policy.None {
			require.Contains(t, *leadsColl.ViewRule, "'"+r.id+"'", "the compiled rule has a branch for %s", r.id)
		}
	}

	// users: every custom and default role, each in a few shapes
	rng := rand.New(rand.NewPCG(*ruleSeed, 7))
	roleIDs := []string{}
	partnerKind := map[string]bool{}
	for _, r := range custom {
		roleIDs = append(roleIDs, r.id)
		partnerKind[r.id] = r.kind == roles.Partner
	}
	for _, r := range policy.DefaultRoles() {
		roleIDs = append(roleIDs, r.ID)
		partnerKind[r.ID] = r.Kind == roles.Partner
	}
	var users []*ruleUser
	hour := time.Hour
	for _, role := range roleIDs {
		shapes := []int{0, 1, 2, 3, 4, 5, 6, 7}
		if !*ruleSweep {
			shapes = rng.Perm(len(shapes))[:4] // every shape occurs, over the roles
		}
		for _, shape := range shapes {
			key := fmt.Sprintf("%s_%d", role, shape)
			partner := map[int]string{0: "P1", 1: "P1", 2: "P2", 3: "", 4: "P1", 5: "", 6: "P1", 7: "P2"}[shape]
			u := w.addLegacyUser(key, role, partner) // every role × partner shape, consistent or not
			ru := &ruleUser{desc: key, partner: w.partnerID(partner), partnerKind: partnerKind[role]}
			switch shape {
			case 1:
				ru.managed = []string{w.T1}
			case 2:
				ru.managed = []string{w.T1, w.T2}
				u.Set("access_expires", now.Add(24*hour)) // expires later: still in
			case 3:
				ru.managed = []string{w.T2}
			case 4:
				u.Set("active", false)
			case 5:
				u.Set("access_expires", now.Add(-hour)) // expired
			case 6:
				ru.partner = p3 // partner suspended
				u.Set("partner", p3)
			}
			if !ru.partnerKind && rng.IntN(2) == 0 {
				ru.partner = "" // an internal user usually has no partner
				u.Set("partner", "")
			}
			u.Set("territories", ru.managed)
			require.NoError(t, app.SaveNoValidate(u), key) // legacy shapes included
			// territory grants: running, expired or future (T2 or T3)
			gt := []string{w.T2, t3}[rng.IntN(2)]
			switch rng.IntN(4) {
			case 1:
				w.mk("grants", map[string]any{"user": u.Id, "kind": "territory", "territory": gt, "starts": now.Add(-24 * hour), "expires": now.Add(24 * hour), "reason": "test"})
				ru.granted = gt
			case 2:
				w.mk("grants", map[string]any{"user": u.Id, "kind": "territory", "territory": gt, "starts": now.Add(-48 * hour), "expires": now.Add(-24 * hour), "reason": "expired"})
			case 3:
				w.mk("grants", map[string]any{"user": u.Id, "kind": "territory", "territory": gt, "starts": now.Add(24 * hour), "expires": now.Add(48 * hour), "reason": "future"})
			}
			users = append(users, ru)
		}
	}
	// a partner user whose partner no longer exists (a dangling relation,
	// raw SQL): rulecheck leaves it to SQL
	for _, u := range users {
		if u.partnerKind && u.partner == w.P2 {
			execSQL(t, w, fmt.Sprintf("UPDATE users SET partner = 'nosuchpartner00' WHERE email = '%s@world.test'", u.desc))
			u.partner = "nosuchpartner00"
			break
		}
	}
	// colleagues: users of the same partner (or of no partner)
	for _, u := range users {
		for _, o := range users {
			if o != u && o.partner == u.partner {
				u.colleagues = append(u.colleagues, o.desc)
			}
		}
	}
	// a superuser
	su, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	require.NoError(t, err)
	sup := core.NewRecord(su)
	sup.SetEmail("root@world.test")
	sup.SetPassword("root-password-1")
	require.NoError(t, app.Save(sup))
	users = append(users, &ruleUser{desc: "superuser", superuser: true})
	for _, u := range users {
		if u.superuser {
			u.rec = sup
			continue
		}
		fresh, err := app.FindAuthRecordByEmail("users", u.desc+"@world.test")
		require.NoError(t, err)
		u.rec = fresh
	}

	// lead shapes relative to a user
	type leadShape struct{ partner, assignee, creator, territory, status string }
	var shapes []leadShape
	for _, p := range []string{"own", "foreign", "none"} {
		for _, a := range []string{"me", "colleague", "none"} {
			for _, c := range []string{"me", "other", "none"} {
				for _, tr := range []string{"managed", "granted", "other", "none"} {
					for _, st := range lifecycle.Statuses() {
						shapes = append(shapes, leadShape{p, a, c, tr, st})
					}
				}
			}
		}
	}
	otherUser := w.uid("sales2")
	leadsC, err := app.FindCollectionByNameOrId("leads")
	require.NoError(t, err)
	makeLead := func(tx core.App, u *ruleUser, s leadShape) (*core.Record, error) {
		f := map[string]any{"company": "RC " + w.next(), "status": s.status, "country": "FR", "postal_code": "35000", "score": 70}
		switch s.partner {
		case "own":
			f["partner"] = u.partner
			if u.partner == "" || u.partner == "nosuchpartner00" {
				f["partner"] = w.P1
			}
		case "foreign":
			f["partner"] = w.P2
			if u.partner == w.P2 {
				f["partner"] = w.P1
			}
		}
		switch s.assignee {
		case "me":
			f["assignee"] = u.rec.Id
		case "colleague":
			if len(u.colleagues) > 0 {
				f["assignee"] = w.uid(u.colleagues[rng.IntN(len(u.colleagues))])
			} else {
				f["assignee"] = otherUser
			}
		}
		switch s.creator {
		case "me":
			f["created_by"] = u.rec.Id
		case "other":
			f["created_by"] = otherUser
		}
		switch s.territory {
		case "managed":
			f["territory"] = w.T1
			if len(u.managed) > 0 {
				f["territory"] = u.managed[rng.IntN(len(u.managed))]
			}
		case "granted":
			f["territory"] = w.T2
			if u.granted != "" {
				f["territory"] = u.granted
			}
		case "other":
			f["territory"] = t3
		}
		if u.superuser {
			delete(f, "assignee")
			delete(f, "created_by")
		}
		r := core.NewRecord(leadsC)
		for k, v := range f {
			r.Set(k, v)
		}
		return r, tx.Save(r)
	}

	// the pairs to compare: each user with shapes of its own (all of them
	// in the sweep, a sample otherwise), and with leads made for others
	perUser := 14
	if *ruleSweep {
		perUser = len(shapes)
	}
	var pairs [][2]int // user index, lead index
	var leads []*core.Record
	for ui, u := range users {
		order := rng.Perm(len(shapes))
		if !*ruleSweep {
			order = order[:perUser]
		}
		// one transaction per user: one commit instead of one per lead
		require.NoError(t, app.RunInTransaction(func(tx core.App) error {
			for _, si := range order {
				l, err := makeLead(tx, u, shapes[si])
				if err != nil {
					return fmt.Errorf("lead %+v for %s: %w", shapes[si], u.desc, err)
				}
				leads = append(leads, l)
				pairs = append(pairs, [2]int{ui, len(leads) - 1})
			}
			return nil
		}))
	}
	cross := 6
	for ui := range users {
		for range cross {
			pairs = append(pairs, [2]int{ui, rng.IntN(len(leads))})
		}
	}

	// compare
	answered, unknown, visible := 0, 0, 0
	partnerUnknown := 0
	for _, pr := range pairs {
		u, lead := users[pr[0]], leads[pr[1]] // the leads as saved
		info := &core.RequestInfo{Auth: u.rec, Method: http.MethodGet, Context: core.RequestInfoContextDefault,
			Query: map[string]string{}, Headers: map[string]string{}, Body: map[string]any{}}
		sqlOK, err := app.CanAccessRecord(lead, info, lead.Collection().ViewRule)
		require.NoError(t, err)
		if sqlOK {
			visible++
		}
		got := access.RuleView(app, u.rec, lead).String()
		if got == "unknown" {
			unknown++
			if u.partnerKind && u.partner != "nosuchpartner00" {
				partnerUnknown++
			}
			continue
		}
		answered++
		if (got == "true") != sqlOK {
			t.Errorf("rulecheck says %s, SQL says %v: user %s (role %s, partner %q, territories %v, grant %q, active %v, expires %q) on lead partner %q assignee %q created_by %q territory %q status %q",
				got, sqlOK, u.desc, u.rec.GetString("role"), u.partner, u.managed, u.granted, u.rec.GetBool("active"), u.rec.GetString("access_expires"),
				lead.GetString("partner"), lead.GetString("assignee"), lead.GetString("created_by"), lead.GetString("territory"), lead.GetString("status"))
		}
	}
	t.Logf("seed %d, sweep %v: %d users, %d leads, %d comparisons (%d answered in memory, %d left to SQL, %d visible) in %s",
		*ruleSeed, *ruleSweep, len(users), len(leads), len(pairs), answered, unknown, visible, time.Since(start).Round(time.Millisecond))
	require.Zero(t, partnerUnknown, "partner roles (with an existing partner) are always answered in memory")
	require.Greater(t, answered, len(pairs)/2, "rulecheck answers most pairs: the test compares something")
	require.Greater(t, visible, len(pairs)/10, "enough visible pairs")
	require.Greater(t, len(pairs)-visible, len(pairs)/10, "enough hidden pairs")
}
