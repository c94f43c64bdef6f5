package rulespec

import (
	"strings"

	"github.com/ganigeorgiev/fexpr"
)

// expandLists replaces `field ?= @request.auth.<list>:each` (either side)
// by an OR of `field ?= 'value'` over the caller's list when:
//
//   - the list is known and not empty (an empty list keeps the original
//     comparison: PocketBase's LEFT JOIN of an empty json_each yields one
//     NULL row, whose null fallback we do not reproduce);
//   - that auth path appears in one single comparison of the whole tree:
//     PocketBase joins it once, so two comparisons would have to hold on
//     the same list item; for one comparison in a monotone formula,
//     "some item makes the row pass" is "the OR over the items passes".
func (s specializer) expandLists(n *node) *node {
	uses := map[string]int{}
	countAuthPaths(n, uses)
	return s.expand(n, uses)
}

func countAuthPaths(n *node, uses map[string]int) {
	if n.kind == nodeLeaf {
		for _, t := range []fexpr.Token{n.expr.Left, n.expr.Right} {
			if p, ok := authListPath(t); ok {
				uses[p]++
			}
		}
		return
	}
	for _, k := range n.kids {
		countAuthPaths(k, uses)
	}
}

// authListPath returns the join path of an `@request.auth.` identifier
// (without modifier), for counting.
func authListPath(t fexpr.Token) (string, bool) {
	if t.Type != fexpr.TokenIdentifier || !strings.HasPrefix(t.Literal, "@request.auth.") {
		return "", false
	}
	p, _, _ := strings.Cut(t.Literal, ":")
	return p, true
}

func (s specializer) expand(n *node, uses map[string]int) *node {
	switch n.kind {
	case nodeLeaf:
		return s.expandLeaf(n, uses)
	case nodeAnd, nodeOr:
		kids := make([]*node, len(n.kids))
		for i, k := range n.kids {
			kids[i] = s.expand(k, uses)
		}
		return combine(n.kind, kids)
	}
	return n
}

func (s specializer) expandLeaf(n *node, uses map[string]int) *node {
	e := n.expr
	if e.Op != fexpr.SignAnyEq {
		return n
	}
	values, ok := s.eachList(e.Right, uses)
	other := e.Left
	if !ok {
		values, ok = s.eachList(e.Left, uses)
		other = e.Right
	}
	if !ok || !isRecordField(other) {
		return n
	}
	kids := make([]*node, 0, len(values))
	for _, v := range values {
		kids = append(kids, &node{kind: nodeLeaf, expr: fexpr.Expr{Left: other, Op: fexpr.SignAnyEq, Right: textToken(v)}})
	}
	return combine(nodeOr, kids)
}

// eachList returns the caller's non-empty list behind an
// `@request.auth.<field>:each` used once.
func (s specializer) eachList(t fexpr.Token, uses map[string]int) ([]string, bool) {
	if t.Type != fexpr.TokenIdentifier || !strings.HasPrefix(t.Literal, "@request.auth.") || !strings.HasSuffix(t.Literal, ":each") {
		return nil, false
	}
	p, _ := authListPath(t)
	if uses[p] != 1 {
		return nil, false
	}
	field := strings.TrimSuffix(strings.TrimPrefix(t.Literal, "@request.auth."), ":each")
	values := s.auth.Lists[field]
	return values, len(values) > 0
}
