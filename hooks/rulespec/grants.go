package rulespec

import (
	"slices"
	"strings"

	"github.com/ganigeorgiev/fexpr"
)

// The territory scope of a rule lets a user reach a record through a
// running territory grant (hooks/policy inTerritory):
//
//	P.user ?= @request.auth.id && P.kind ?= 'territory' &&
//	P.starts ?<= @now && P.expires ?> @now
//
// with P = `<path>.grants_via_territory` and <path> the record's territory
// relation (`territory`, `lead.territory`…). PocketBase LEFT JOINs the
// grants of the record's territory once per distinct path (the join alias
// is built from the path, core/record_field_resolver_runner.go, and
// registerJoin keeps one join per alias), so the four comparisons hold on
// the same grant row, and `?=`/`?<=`/`?>` build no multi-match subquery
// (tools/search/filter.go isAnyMatchOp). The row passes when some
// grant of its territory satisfies the four: a grant of the caller, of
// kind territory, started and not expired at @now. When that group is the
// only use of the path's join in the whole rule (the formula is then
// monotone in the single atom "the group holds on the join row", so "some
// join row passes the rule" is "the rule with the atom replaced by some
// row satisfies the group"), the group is exactly
// `<path> ?= 't1' || <path> ?= 't2' …` over the territories of the
// caller's running grants, and false when there is none.
//
// The caller (package access) supplies its grants of kind territory on a
// territory that exists (the join of the territories row) and the schema
// check of the path (Grants.Path): every hop a single relation, the last
// one to the territories collection, and grants.territory a single
// relation to it, so that `<path> = 't'` is "the territory row joined by
// the path is t".

// grantsVia is the back-relation segment of the pattern.
const grantsVia = "grants_via_territory"

// Grant is one grant of the caller, as stored (dates in PocketBase's
// text layout, "" when unset).
type Grant struct {
	Territory string
	Starts    string
	Expires   string
}

// Grants are the caller's grants of kind territory on an existing
// territory, for the expansion above. A nil Path keeps the back-relation.
type Grants struct {
	Rows []Grant
	// Path reports whether the expansion is exact for a territory
	// relation path of the rule's collection (see above).
	Path func(path string) bool
}

// Running returns the distinct territories of the grants that run at now
// (PocketBase's text form of @now): started (`starts <= now`, an unset
// start included, as SQLite compares the texts) and not expired
// (`expires > now`), sorted. SQLite compares the stored texts with the
// bound @now bytewise (BINARY), as Go compares strings.
func Running(rows []Grant, now string) []string {
	var out []string
	for _, g := range rows {
		if g.Territory != "" && g.Starts <= now && g.Expires > now && !slices.Contains(out, g.Territory) {
			out = append(out, g.Territory)
		}
	}
	slices.Sort(out)
	return out
}

// grantKey returns the join path `<path>.grants_via_territory` an
// identifier goes through (its modifiers aside), if any.
func grantKey(t fexpr.Token) (string, bool) {
	if t.Type != fexpr.TokenIdentifier || strings.HasPrefix(t.Literal, "@") {
		return "", false
	}
	parts := strings.Split(t.Literal, ".")
	for i, p := range parts {
		name, _, _ := strings.Cut(p, ":")
		if name == grantsVia {
			return strings.Join(append(parts[:i:i], grantsVia), "."), true
		}
	}
	return "", false
}

// countGrantUses counts, per join path, the identifiers of the tree that
// go through it (function arguments included).
func countGrantUses(n *node, uses map[string]int) {
	if n.kind != nodeLeaf {
		for _, k := range n.kids {
			countGrantUses(k, uses)
		}
		return
	}
	var visit func(t fexpr.Token)
	visit = func(t fexpr.Token) {
		if k, ok := grantKey(t); ok {
			uses[k]++
		}
		if args, ok := t.Meta.([]fexpr.Token); ok {
			for _, a := range args {
				visit(a)
			}
		}
	}
	visit(n.expr.Left)
	visit(n.expr.Right)
}

// grantPart returns which of the four comparisons a leaf is (0..3) and
// its join path, or -1.
func (s specializer) grantPart(e fexpr.Expr) (string, int) {
	key, ok := grantKey(e.Left)
	if !ok {
		return "", -1
	}
	field := strings.TrimPrefix(e.Left.Literal, key+".")
	nowMacro := e.Right.Type == fexpr.TokenIdentifier && e.Right.Literal == "@now"
	text := e.Right.Type == fexpr.TokenText
	switch {
	case field == "user" && e.Op == fexpr.SignAnyEq && text && s.auth.Values["id"].Kind == Text && e.Right.Literal == s.auth.Values["id"].Text:
		return key, 0
	case field == "kind" && e.Op == fexpr.SignAnyEq && text && e.Right.Literal == "territory":
		return key, 1
	case field == "starts" && e.Op == fexpr.SignAnyLte && nowMacro:
		return key, 2
	case field == "expires" && e.Op == fexpr.SignAnyGt && nowMacro:
		return key, 3
	}
	return "", -1
}

// groupsOf returns, for an AND node, the join paths whose four
// comparisons are all among its direct leaves.
func (s specializer) groupsOf(n *node) map[string]bool {
	seen := map[string][4]bool{}
	for _, k := range n.kids {
		if k.kind != nodeLeaf {
			continue
		}
		if key, part := s.grantPart(k.expr); part >= 0 {
			p := seen[key]
			p[part] = true
			seen[key] = p
		}
	}
	out := map[string]bool{}
	for key, p := range seen {
		if p[0] && p[1] && p[2] && p[3] {
			out[key] = true
		}
	}
	return out
}

// countGroups counts the complete groups of each join path in the tree.
func (s specializer) countGroups(n *node, groups map[string]int) {
	if n.kind == nodeAnd {
		for key := range s.groupsOf(n) {
			groups[key]++
		}
	}
	for _, k := range n.kids {
		s.countGroups(k, groups)
	}
}

// expandGrants replaces each grant group whose join path is used by its
// groups only (four comparisons each) and passes Grants.Path.
func (s specializer) expandGrants(n *node) *node {
	if s.auth.Grants.Path == nil {
		return n
	}
	uses, groups := map[string]int{}, map[string]int{}
	countGrantUses(n, uses)
	if len(uses) == 0 {
		return n
	}
	s.countGroups(n, groups)
	replace := map[string]bool{}
	for key, g := range groups {
		if uses[key] == 4*g && s.auth.Grants.Path(strings.TrimSuffix(key, "."+grantsVia)) {
			replace[key] = true
		}
	}
	if len(replace) == 0 {
		return n
	}
	return s.replaceGrants(n, replace, Running(s.auth.Grants.Rows, s.now))
}

func (s specializer) replaceGrants(n *node, replace map[string]bool, territories []string) *node {
	if n.kind != nodeAnd && n.kind != nodeOr {
		return n
	}
	kids := make([]*node, 0, len(n.kids))
	for _, k := range n.kids {
		kids = append(kids, s.replaceGrants(k, replace, territories))
	}
	if n.kind == nodeOr {
		return combine(nodeOr, kids)
	}
	groups := s.groupsOf(&node{kind: nodeAnd, kids: kids})
	out := make([]*node, 0, len(kids))
	done := map[string]bool{}
	for _, k := range kids {
		key, part := "", -1
		if k.kind == nodeLeaf {
			key, part = s.grantPart(k.expr)
		}
		if part < 0 || !groups[key] || !replace[key] {
			out = append(out, k)
			continue
		}
		if !done[key] {
			done[key] = true
			out = append(out, territoryAnyOf(strings.TrimSuffix(key, "."+grantsVia), territories))
		}
	}
	return combine(nodeAnd, out)
}

// territoryAnyOf is `path ?= 't1' || path ?= 't2' …`, false for none.
func territoryAnyOf(path string, territories []string) *node {
	kids := make([]*node, 0, len(territories))
	for _, t := range territories {
		kids = append(kids, &node{kind: nodeLeaf, expr: fexpr.Expr{
			Left: fexpr.Token{Type: fexpr.TokenIdentifier, Literal: path}, Op: fexpr.SignAnyEq, Right: textToken(t)}})
	}
	return combine(nodeOr, kids)
}
