package rulespec

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ganigeorgiev/fexpr"
)

// grantGroup is the running-grant condition of the territory scope on path.
func grantGroup(path string) string {
	g := path + ".grants_via_territory."
	return "(" + g + "user ?= @request.auth.id && " + g + "kind ?= 'territory' && " + g + "starts ?<= @now && " + g + "expires ?> @now)"
}

// Dates around now (2026-12-05 03:00:00.000Z).
const (
	past   = "2026-12-01 00:00:00.000Z"
	future = "2026-12-09 00:00:00.000Z"
	nowTxt = "2026-12-05 03:00:00.000Z"
)

func territoryPath(p string) bool { return p == "territory" || p == "t" }

func TestRunning(t *testing.T) {
	rows := []Grant{
		{"t1", past, future}, {"t1", "", future}, // running, twice
		{"t2", past, past},     // expired
		{"t3", future, future}, // not started
		{"t4", nowTxt, future}, // starts now: running
		{"t5", past, nowTxt},   // expires now: over
		{"t6", past, ""},       // no expiry date: never runs
		{"", past, future},     // no territory
		{"t0", "", "2099-01-01 00:00:00.000Z"},
	}
	got := Running(rows, nowTxt)
	if want := []string{"t0", "t1", "t4"}; !slices.Equal(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestSpecializeGrantsOfAChannelManager(t *testing.T) {
	cm := func(own []string, rows []Grant, path func(string) bool) Auth {
		a := authOf("channel_manager", func(a Auth) { a.Lists["territories"] = own })
		a.Grants = Grants{Rows: rows, Path: path}
		return a
	}
	g := grantGroup("territory")
	cases := []specializeCase{
		{"own territories, no grant", cm([]string{"t1", "t2"}, nil, territoryPath),
			Result{Filter: `territory != '' && (territory ?= 't1' || territory ?= 't2')`}},
		{"own territories, grants running, expired, not started", cm([]string{"t1"}, []Grant{{"t3", past, future}, {"t4", past, past}, {"t5", future, future}, {"t1", past, future}}, territoryPath),
			Result{Filter: `territory != '' && (territory ?= 't1' || territory ?= 't1' || territory ?= 't3')`}},
		{"no own territory, one grant", cm(nil, []Grant{{"t2", past, future}}, territoryPath),
			Result{Filter: `territory != '' && (territory ?= @request.auth.territories:each || territory ?= 't2')`}},
		{"no own territory, two grants", cm(nil, []Grant{{"t2", past, future}, {"t1", "", future}}, territoryPath),
			Result{Filter: `territory != '' && (territory ?= @request.auth.territories:each || territory ?= 't1' || territory ?= 't2')`}},
		{"grants unknown: the join stays", cm([]string{"t1"}, []Grant{{"t2", past, future}}, nil),
			Result{Filter: `territory != '' && (territory ?= 't1' || ` + strings.ReplaceAll(g, "@request.auth.id", "'u1'") + `)`}},
		{"path refused: the join stays", cm([]string{"t1"}, []Grant{{"t2", past, future}}, func(string) bool { return false }),
			Result{Filter: `territory != '' && (territory ?= 't1' || ` + strings.ReplaceAll(g, "@request.auth.id", "'u1'") + `)`}},
	}
	runSpecializeCases(t, leadsRule, cases)
}

func TestSpecializeGrantsKeepsSharedJoins(t *testing.T) {
	a := authOf("channel_manager", func(a Auth) { a.Lists["territories"] = []string{"t1"} })
	a.Grants = Grants{Rows: []Grant{{"t2", past, future}}, Path: territoryPath}
	cases := []struct{ rule, want string }{
		// the path's join is also read by another comparison: kept
		{grantGroup("territory") + " && territory.grants_via_territory.reason = 'x'", ""},
		{grantGroup("territory") + " || territory.grants_via_territory:length > 0", ""},
		{grantGroup("territory") + " && territory.grants_via_territory.kind ?= 'territory'", ""},
		// an incomplete group: kept
		{"(territory.grants_via_territory.user ?= @request.auth.id && territory.grants_via_territory.starts ?<= @now && territory.grants_via_territory.expires ?> @now)", ""},
		// another kind, another comparison: kept
		{"(territory.grants_via_territory.user ?= @request.auth.id && territory.grants_via_territory.kind ?= 'export' && territory.grants_via_territory.starts ?<= @now && territory.grants_via_territory.expires ?> @now)", ""},
		{"(territory.grants_via_territory.user ?= @request.auth.id && territory.grants_via_territory.kind ?= 'territory' && territory.grants_via_territory.starts ?< @now && territory.grants_via_territory.expires ?> @now)", ""},
		{"(territory.grants_via_territory.user = @request.auth.id && territory.grants_via_territory.kind ?= 'territory' && territory.grants_via_territory.starts ?<= @now && territory.grants_via_territory.expires ?> @now)", ""},
		// another user's id: kept
		{"(territory.grants_via_territory.user ?= 'u2' && territory.grants_via_territory.kind ?= 'territory' && territory.grants_via_territory.starts ?<= @now && territory.grants_via_territory.expires ?> @now)", ""},
		// two identical groups over one join: one atom, replaced
		{"(a = 'x' || " + grantGroup("territory") + ") && (b = 'y' || " + grantGroup("territory") + ")", "(a = 'x' || territory ?= 't2') && (b = 'y' || territory ?= 't2')"},
		// two paths: each its own join
		{grantGroup("territory") + " || " + grantGroup("lead.territory"), "territory ?= 't2' || " + strings.ReplaceAll(grantGroup("lead.territory"), "@request.auth.id", "'u1'")},
	}
	for _, c := range cases {
		got, err := Specialize(c.rule, a, now)
		if err != nil {
			t.Fatal(err)
		}
		want := c.want
		if want == "" {
			// kept: as without the caller's grants
			b := a
			b.Grants = Grants{}
			kept, err := Specialize(c.rule, b, now)
			if err != nil {
				t.Fatal(err)
			}
			want = kept.Filter
		}
		if got.Outcome != Residual || got.Filter != want {
			t.Fatalf("%s\ngot  %+v\nwant %s", c.rule, got, want)
		}
	}
}

func mustParse(t *testing.T, s string) []fexpr.ExprGroup {
	g, err := fexpr.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// grantWorld is a set of stored grants for the brute-force model: every
// kind, user, territory (t3 does not exist) and time.
type storedGrant struct{ user, kind, territory, starts, expires string }

var grantWorld = func() []storedGrant {
	var out []storedGrant
	for _, u := range []string{"u1", "u2"} {
		for _, k := range []string{"territory", "export"} {
			for _, t := range []string{"t1", "t2", "t3"} {
				for _, span := range [][2]string{{past, future}, {"", future}, {past, past}, {future, future}, {past, ""}} {
					out = append(out, storedGrant{u, k, t, span[0], span[1]})
				}
			}
		}
	}
	return out
}()

// grantModel evaluates a rule over a record the way PocketBase's joins do:
// the record passes when some grant of its territory (or the null row
// when it has none) makes the whole tree true, every identifier through
// `t.grants_via_territory.` reading that one row.
type grantModel struct {
	model
	grants []storedGrant
	grant  *storedGrant
}

func (m *grantModel) passes(n *node) bool {
	var rows []*storedGrant
	for i, g := range m.grants {
		if g.territory == m.record["t"] && g.territory != "t3" {
			rows = append(rows, &m.grants[i])
		}
	}
	if len(rows) == 0 {
		rows = []*storedGrant{nil}
	}
	for _, g := range rows {
		m.grant = g
		if m.eval(n) {
			return true
		}
	}
	return false
}

func (m *grantModel) eval(n *node) bool { return evalTree(n, m.values) }

func (m *grantModel) values(t fexpr.Token) []Value {
	field, ok := strings.CutPrefix(t.Literal, "t.grants_via_territory.")
	if t.Type != fexpr.TokenIdentifier || !ok {
		return m.model.values(t)
	}
	if m.grant == nil {
		return nil // the null row: every comparison is NULL
	}
	v := map[string]string{"user": m.grant.user, "kind": m.grant.kind, "starts": m.grant.starts, "expires": m.grant.expires}[field]
	return []Value{TextValue(v)}
}

// TestSpecializeGrantsAgreesWithBruteForce: random rules mixing the grant
// group (whole or in part, other kinds, other comparisons) with the other
// atoms; the specialized rule passes exactly the records the original
// passes under the join reading above, for callers with every mix of
// grants.
func TestSpecializeGrantsAgreesWithBruteForce(t *testing.T) {
	g := "t.grants_via_territory."
	atoms := append(slices.Clone(randomAtoms), grantGroup("t"), grantGroup("t"), grantGroup("t"),
		g+"kind ?= 'export'", g+"user ?= @request.auth.id", g+"expires ?> @now", `t != ''`, `t = 't1'`,
		"("+g+"user ?= @request.auth.id && "+g+"kind ?= 'export' && "+g+"starts ?<= @now && "+g+"expires ?> @now)")
	saved := randomAtoms
	randomAtoms = atoms
	defer func() { randomAtoms = saved }()
	r := rand.New(rand.NewPCG(17, 71))
	records := []map[string]string{}
	for _, a := range []string{"", "x"} {
		for _, b := range []string{"", "u1"} {
			for _, tt := range []string{"", "t1", "t2", "t3"} {
				records = append(records, map[string]string{"a": a, "b": b, "c": "p1", "t": tt})
			}
		}
	}
	expanded := 0
	for i := 0; i < 3000; i++ {
		rule := randomRule(r, 4)
		auth := randomAuth(r)
		// the stored world is a random subset of grantWorld
		var stored []storedGrant
		for _, sg := range grantWorld {
			if r.IntN(6) == 0 {
				stored = append(stored, sg)
			}
		}
		// what package access reads: the caller's grants of kind
		// territory on an existing territory
		var rows []Grant
		for _, sg := range stored {
			if sg.user == auth.Values["id"].Text && sg.kind == "territory" && sg.territory != "t3" {
				rows = append(rows, Grant{sg.territory, sg.starts, sg.expires})
			}
		}
		auth.Grants = Grants{Rows: rows, Path: territoryPath}
		res, err := Specialize(rule, auth, now)
		if err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		spec := specNode(t, rule, res)
		if strings.Contains(rule, "grants_via") && !strings.Contains(res.Filter, "grants_via") {
			expanded++
		}
		orig := fromGroups(mustParse(t, rule))
		m := &grantModel{model: model{auth: auth, now: now.Format(nowLayout)}, grants: stored}
		for _, rec := range records {
			m.record = rec
			if a, b := m.passes(orig), m.passes(spec); a != b {
				t.Fatalf("rule %s\nauth %+v\nrecord %v\ngrants %v\noriginal %v, specialized (%s) %v", rule, auth, rec, stored, a, res.Filter, b)
			}
		}
	}
	if expanded < 100 {
		t.Fatalf("only %d rules lost their grants join: the generator must exercise the expansion", expanded)
	}
}
