package rulespec

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ganigeorgiev/fexpr"
)

var now = time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)

// leadsRule is the shape of the compiled leads ListRule.
const leadsRule = `@request.auth.collectionName = 'users' && @request.auth.active = true && (@request.auth.access_expires = '' || @request.auth.access_expires > @now) && (
  (@request.auth.role = 'admin') ||
  (@request.auth.role = 'channel_manager' && (territory != '' && (territory ?= @request.auth.territories:each || (territory.grants_via_territory.user ?= @request.auth.id && territory.grants_via_territory.kind ?= 'territory' && territory.grants_via_territory.starts ?<= @now && territory.grants_via_territory.expires ?> @now)))) ||
  (@request.auth.role = 'partner_manager' && (@request.auth.partner != '' && partner = @request.auth.partner) && @request.auth.partner.status = 'active') ||
  (@request.auth.role = 'sales' && (assignee = @request.auth.id || created_by = @request.auth.id)) ||
  (@request.auth.role = 'teleoperator' && (partner = '' && (status = 'new' || status = 'ready')))
)`

func authOf(role string, mod func(a Auth)) Auth {
	a := Auth{Values: map[string]Value{
		"id": TextValue("u1"), "collectionName": TextValue("users"), "role": TextValue(role),
		"active": BoolValue(true), "access_expires": TextValue(""), "partner": TextValue(""),
		"partner.status": TextValue(""),
	}, Lists: map[string][]string{}}
	if mod != nil {
		mod(a)
	}
	return a
}

// specializeCase is a caller and what Specialize must make of a rule for it.
type specializeCase struct {
	name string
	auth Auth
	want Result
}

// runSpecializeCases specializes rule for each case's caller, in a subtest
// named after the case.
func runSpecializeCases(t *testing.T, rule string, cases []specializeCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Specialize(rule, c.auth, now)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestSpecializeLeadsRule(t *testing.T) {
	cases := []specializeCase{
		{"admin", authOf("admin", nil), Result{Outcome: Always}},
		{"inactive admin", authOf("admin", func(a Auth) { a.Values["active"] = BoolValue(false) }), Result{Outcome: Never}},
		{"expired admin", authOf("admin", func(a Auth) { a.Values["access_expires"] = TextValue("2026-12-05 02:59:59.999Z") }), Result{Outcome: Never}},
		{"admin expiring later", authOf("admin", func(a Auth) { a.Values["access_expires"] = TextValue("2026-12-05 03:00:00.001Z") }), Result{Outcome: Always}},
		{"wrong collection", authOf("admin", func(a Auth) { a.Values["collectionName"] = TextValue("_superusers") }), Result{Outcome: Never}},
		{"unknown role", authOf("nobody", nil), Result{Outcome: Never}},
		{"sales", authOf("sales", nil), Result{Filter: `assignee = 'u1' || created_by = 'u1'`}},
		{"teleoperator", authOf("teleoperator", nil), Result{Filter: `partner = '' && (status = 'new' || status = 'ready')`}},
		{"partner manager, active partner", authOf("partner_manager", func(a Auth) {
			a.Values["partner"] = TextValue("p1")
			a.Values["partner.status"] = TextValue("active")
		}), Result{Filter: `partner = 'p1'`}},
		{"partner manager, suspended partner", authOf("partner_manager", func(a Auth) {
			a.Values["partner"] = TextValue("p1")
			a.Values["partner.status"] = TextValue("suspended")
		}), Result{Outcome: Never}},
		{"partner manager without partner", authOf("partner_manager", nil), Result{Outcome: Never}},
		{"channel manager with territories", authOf("channel_manager", func(a Auth) { a.Lists["territories"] = []string{"t1", "t2"} }),
			Result{Filter: `territory != '' && (territory ?= 't1' || territory ?= 't2' || (territory.grants_via_territory.user ?= 'u1' && territory.grants_via_territory.kind ?= 'territory' && territory.grants_via_territory.starts ?<= @now && territory.grants_via_territory.expires ?> @now))`}},
		{"channel manager without territories keeps the join", authOf("channel_manager", nil),
			Result{Filter: `territory != '' && (territory ?= @request.auth.territories:each || (territory.grants_via_territory.user ?= 'u1' && territory.grants_via_territory.kind ?= 'territory' && territory.grants_via_territory.starts ?<= @now && territory.grants_via_territory.expires ?> @now))`}},
	}
	runSpecializeCases(t, leadsRule, cases)
}

func TestSpecializeKeepsWhatItDoesNotKnow(t *testing.T) {
	cases := []struct{ rule, want string }{
		// an auth field the caller did not supply stays for PocketBase
		{`@request.auth.verified = true && x = 1`, `@request.auth.verified = true && x = 1`},
		{`@request.auth.partner.kind = 'installer'`, `@request.auth.partner.kind = 'installer'`},
		// LIKE with a parameter is not LIKE with a column: no substitution
		{`name ~ @request.auth.partner`, `name ~ @request.auth.partner`},
		// a bool is not substituted, nor compared with a text
		{`flag = @request.auth.active`, `flag = @request.auth.active`},
		{`@request.auth.active = 'x' || a = 1`, `@request.auth.active = 'x' || a = 1`},
		// a list used twice must hold on the same item: not expanded
		{`a ?= @request.auth.territories:each && b ?= @request.auth.territories:each`, `a ?= @request.auth.territories:each && b ?= @request.auth.territories:each`},
		// not an any-match equality: not expanded
		{`a != @request.auth.territories:each`, `a != @request.auth.territories:each`},
		{`@request.body.x:isset = true`, `@request.body.x:isset = true`},
		{`@todayStart < created`, `@todayStart < created`},
		{`strftime('%Y', created) = '2026' && id = @request.auth.id`, `strftime('%Y', created) = '2026' && id = 'u1'`},
		{`@request.auth.id = id`, `'u1' = id`},
		{`@request.auth.id ?!= owner.id`, `'u1' ?!= owner.id`},
		{`x = 1 || @request.auth.role = 'sales'`, `1 = 1`},
	}
	a := authOf("sales", func(a Auth) { a.Lists["territories"] = []string{"t1"} })
	for _, c := range cases {
		got, err := Specialize(c.rule, a, now)
		if err != nil {
			t.Fatal(err)
		}
		want := Result{Filter: c.want}
		if c.want == "1 = 1" {
			want = Result{Outcome: Always}
		}
		if got != want {
			t.Errorf("%s\n got %+v\nwant %+v", c.rule, got, want)
		}
	}
}

func TestSpecializeComparisons(t *testing.T) {
	cases := []struct {
		rule string
		want Outcome
	}{
		{`'a' < 'b'`, Always}, {`'b' <= 'a'`, Never}, {`'b' >= 'b'`, Always}, {`'a' > 'b'`, Never},
		{`'a' ?= 'a'`, Always}, {`'a' ?!= 'a'`, Never}, {`1 < 2`, Always}, {`2.5 = 2.50`, Always},
		{`true = false`, Never}, {`true != false`, Always}, {`@request.auth.active ?= true`, Always},
		{`@request.auth.role = 'sales' && (@request.auth.role != 'admin')`, Always},
		{`'' = ''`, Always}, {`@request.auth.partner = ''`, Always}, {`@request.auth.partner != ''`, Never},
		{`@now > '2026-12-05 02:59:59.999Z'`, Always}, {`@now < '2026-12-05 02:59:59.999Z'`, Never},
	}
	for _, c := range cases {
		got, err := Specialize(c.rule, authOf("sales", nil), now)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != c.want {
			t.Errorf("%s: got %+v, want outcome %v", c.rule, got, c.want)
		}
	}
	if _, err := Specialize(`a = `, authOf("sales", nil), now); err == nil {
		t.Error("an incomplete rule must fail")
	}
	if got, _ := Specialize(`  `, authOf("sales", nil), now); got.Outcome != Always {
		t.Error("an empty rule is Always")
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, s := range []string{"", "a", `it's`, `back\slash`, `\`, `\'`, `"dq"`, "new\nline", `\n`, "tab\t", "é ✓", `a\\'b`, "&& || ( ) = 'x'"} {
		groups, err := fexpr.Parse("f = " + Quote(s))
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		got := groups[0].Item.(fexpr.Expr).Right
		if got.Type != fexpr.TokenText || got.Literal != s {
			t.Errorf("%q printed as %s read back as %q", s, Quote(s), got.Literal)
		}
	}
}

// TestPrintRoundTrip: parse(print(tree)) is the same tree, for the
// operators, modifiers, functions and nesting PocketBase's filters use.
func TestPrintRoundTrip(t *testing.T) {
	for _, rule := range []string{
		leadsRule,
		`a = 1 && b != 'x' || c ~ "y" && (d !~ 'z' || e < 1.5) && f <= -2 || g > @now && h >= @todayStart`,
		`a ?= 1 || a ?!= 'b' || a ?~ 'c' || a ?!~ 'd' || a ?< 1 || a ?<= 1 || a ?> 1 || a ?>= 1`,
		`tags:each = 'x' && name:lower = 'y' && items:length > 2 && @request.body.x:isset = true && @request.body.y:changed = false`,
		`x_via_y.f != 'v' && ((a = 1) || ((b = 2 && c = 3)))`,
		`geoDistance(lon, lat, 1.5, 2) < 25 && strftime('%Y-%m', created, 'x y') = '2026-12'`,
		`f = 'it\'s' && g = "say \"hi\"" && h = 'back\\slash'`,
		`null = null && true = f && false != g`,
	} {
		groups, err := fexpr.Parse(rule)
		if err != nil {
			t.Fatal(err)
		}
		tree := fromGroups(groups)
		printed := Print(tree)
		again, err := fexpr.Parse(printed)
		if err != nil {
			t.Fatalf("%s\nprinted %s: %v", rule, printed, err)
		}
		if a, b := dump(normal(tree)), dump(normal(fromGroups(again))); a != b {
			t.Errorf("round trip changed the tree:\n%s\n%s", a, b)
		}
	}
}

// normal flattens nested nodes of the same kind (the printer drops
// redundant parentheses).
func normal(n *node) *node {
	if n.kind != nodeAnd && n.kind != nodeOr {
		return n
	}
	kids := []*node{}
	for _, k := range n.kids {
		k = normal(k)
		if k.kind == n.kind {
			kids = append(kids, k.kids...)
		} else {
			kids = append(kids, k)
		}
	}
	if len(kids) == 1 {
		return kids[0]
	}
	return &node{kind: n.kind, kids: kids}
}

func dump(n *node) string {
	switch n.kind {
	case nodeLeaf:
		return fmt.Sprintf("[%s|%s|%s %s|%s|%v]", n.expr.Left.Type, n.expr.Left.Literal, n.expr.Op, n.expr.Right.Type, n.expr.Right.Literal, n.expr.Right.Meta)
	case nodeAnd, nodeOr:
		parts := []string{}
		for _, k := range n.kids {
			parts = append(parts, dump(k))
		}
		return fmt.Sprintf("%d(%s)", n.kind, strings.Join(parts, ","))
	}
	return fmt.Sprint(n.kind)
}
