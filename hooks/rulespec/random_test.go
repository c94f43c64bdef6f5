package rulespec

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ganigeorgiev/fexpr"
)

// The atoms of the random rules: comparisons of the caller's values, of a
// record's fields with the caller's values, and of a record's fields alone.
var randomAtoms = []string{
	`@request.auth.role = 'admin'`, `@request.auth.role != 'sales'`, `@request.auth.active = true`,
	`@request.auth.active = false`, `@request.auth.partner != ''`, `@request.auth.partner = ''`,
	`@request.auth.access_expires = ''`, `@request.auth.access_expires > @now`,
	`@request.auth.partner.status = 'active'`, `@request.auth.collectionName = 'users'`,
	`a = 'x'`, `a != 'y'`, `b = @request.auth.id`, `@request.auth.partner = c`, `c ?!= @request.auth.partner`,
	`t ?= @request.auth.territories:each`, `@request.auth.territories:each ?= t`, `a ?= @request.auth.id`,
}

func randomRule(r *rand.Rand, depth int) string {
	if depth == 0 || r.IntN(3) == 0 {
		return randomAtoms[r.IntN(len(randomAtoms))]
	}
	n := 1 + r.IntN(3)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = randomRule(r, depth-1)
	}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString([]string{" && ", " || "}[r.IntN(2)])
		}
		if r.IntN(2) == 0 {
			b.WriteString("(" + p + ")")
		} else {
			b.WriteString(p)
		}
	}
	return b.String()
}

// model is a brute-force reading of a rule over one caller and one record.
type model struct {
	auth   Auth
	record map[string]string
	now    string
}

func (m model) eval(n *node) bool { return evalTree(n, m.values) }

// evalTree is the brute-force reading of a rule's tree: and/or over the
// atoms, an atom true when some value of its left operand compares true
// with some value of its right one (values gives an operand's values).
func evalTree(n *node, values func(fexpr.Token) []Value) bool {
	switch n.kind {
	case nodeTrue:
		return true
	case nodeFalse:
		return false
	case nodeAnd:
		for _, k := range n.kids {
			if !evalTree(k, values) {
				return false
			}
		}
		return true
	case nodeOr:
		for _, k := range n.kids {
			if evalTree(k, values) {
				return true
			}
		}
		return false
	}
	ls, rs := values(n.expr.Left), values(n.expr.Right)
	for _, l := range ls {
		for _, r := range rs {
			if v, ok := compare(l, n.expr.Op, r); ok && v {
				return true
			}
		}
	}
	return false
}

// specNode is the tree of what Specialize made of rule: true, false or
// the printed residual filter parsed again.
func specNode(t *testing.T, rule string, res Result) *node {
	t.Helper()
	switch res.Outcome {
	case Always:
		return &node{kind: nodeTrue}
	case Never:
		return &node{kind: nodeFalse}
	}
	g, err := fexpr.Parse(res.Filter)
	if err != nil {
		t.Fatalf("%s printed as %s: %v", rule, res.Filter, err)
	}
	return fromGroups(g)
}

// values: the possible values of an operand (a list's items for :each).
func (m model) values(t fexpr.Token) []Value {
	switch {
	case t.Type == fexpr.TokenText:
		return []Value{TextValue(t.Literal)}
	case t.Literal == "true" || t.Literal == "false":
		return []Value{BoolValue(t.Literal == "true")}
	case t.Literal == "@now":
		return []Value{TextValue(m.now)}
	case strings.HasSuffix(t.Literal, ":each"):
		out := []Value{}
		for _, v := range m.auth.Lists[strings.TrimSuffix(strings.TrimPrefix(t.Literal, "@request.auth."), ":each")] {
			out = append(out, TextValue(v))
		}
		return out
	case strings.HasPrefix(t.Literal, "@request.auth."):
		return []Value{m.auth.Values[strings.TrimPrefix(t.Literal, "@request.auth.")]}
	}
	return []Value{TextValue(m.record[t.Literal])}
}

func randomAuth(r *rand.Rand) Auth {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	a := Auth{Values: map[string]Value{
		"id": TextValue(pick("u1", "u2")), "collectionName": TextValue(pick("users", "_superusers")),
		"role": TextValue(pick("admin", "sales", "partner_user")), "active": BoolValue(r.IntN(4) != 0),
		"access_expires": TextValue(pick("", "2026-01-01 00:00:00.000Z", "2027-01-01 00:00:00.000Z")),
		"partner":        TextValue(pick("", "p1", "p2")), "partner.status": TextValue(pick("", "active", "suspended")),
	}, Lists: map[string][]string{"territories": [][]string{nil, {"t1"}, {"t1", "t2"}}[r.IntN(3)]}}
	return a
}

// TestSpecializeAgreesWithBruteForce: for random rules, callers and
// records, the specialized rule passes exactly the records the original
// passes (in the model above; PocketBase's own reading is the
// differential test of the REST list).
func TestSpecializeAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 6))
	records := []map[string]string{}
	for _, a := range []string{"", "x", "y"} {
		for _, b := range []string{"", "u1", "u2"} {
			for _, c := range []string{"", "p1", "p2"} {
				for _, tt := range []string{"", "t1", "t2", "t3"} {
					records = append(records, map[string]string{"a": a, "b": b, "c": c, "t": tt})
				}
			}
		}
	}
	for i := 0; i < 3000; i++ {
		rule := randomRule(r, 4)
		auth := randomAuth(r)
		res, err := Specialize(rule, auth, now)
		if err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		orig := fromGroups(mustParse(t, rule))
		spec := specNode(t, rule, res)
		m := model{auth: auth, now: now.Format(nowLayout)}
		for _, rec := range records {
			m.record = rec
			if a, b := m.eval(orig), m.eval(spec); a != b {
				t.Fatalf("rule %s\nauth %+v\nrecord %v\noriginal %v, specialized (%s) %v", rule, auth, rec, a, res.Filter, b)
			}
		}
	}
}
