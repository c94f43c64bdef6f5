package rulespec

import (
	"strings"

	"github.com/ganigeorgiev/fexpr"
)

// nodeKind is the kind of a node of a boolean tree.
type nodeKind int

const (
	nodeLeaf nodeKind = iota
	nodeAnd
	nodeOr
	nodeTrue
	nodeFalse
)

// node is a boolean tree over fexpr comparisons.
type node struct {
	kind nodeKind
	expr fexpr.Expr
	kids []*node
}

// fromGroups builds the tree of a parsed filter. PocketBase joins the
// groups into SQL text ("a AND b OR c"), so AND binds tighter than OR:
// the list is an OR of AND chains.
func fromGroups(groups []fexpr.ExprGroup) *node {
	or := &node{kind: nodeOr}
	and := &node{kind: nodeAnd}
	for i, g := range groups {
		if i > 0 && g.Join == fexpr.JoinOr {
			or.kids = append(or.kids, and)
			and = &node{kind: nodeAnd}
		}
		and.kids = append(and.kids, fromItem(g.Item))
	}
	or.kids = append(or.kids, and)
	return or
}

func fromItem(item any) *node {
	switch x := item.(type) {
	case fexpr.Expr:
		return &node{kind: nodeLeaf, expr: x}
	case fexpr.ExprGroup:
		return fromGroups([]fexpr.ExprGroup{x})
	case []fexpr.ExprGroup:
		return fromGroups(x)
	}
	// fexpr.Parse yields nothing else; an unknown item must not vanish
	panic("rulespec: unexpected fexpr item")
}

// Print writes a tree back as a filter that fexpr parses to the same tree.
// Constants print as comparisons PocketBase evaluates without a join.
func Print(n *node) string {
	var b strings.Builder
	printNode(&b, n)
	return b.String()
}

func printNode(b *strings.Builder, n *node) {
	switch n.kind {
	case nodeTrue:
		b.WriteString("1 = 1")
	case nodeFalse:
		b.WriteString("1 = 0")
	case nodeLeaf:
		printToken(b, n.expr.Left)
		b.WriteString(" " + string(n.expr.Op) + " ")
		printToken(b, n.expr.Right)
	case nodeAnd, nodeOr:
		sep := " && "
		if n.kind == nodeOr {
			sep = " || "
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(sep)
			}
			if k.kind == nodeAnd || k.kind == nodeOr {
				b.WriteString("(")
				printNode(b, k)
				b.WriteString(")")
			} else {
				printNode(b, k)
			}
		}
	}
}

// printToken writes one operand: identifiers and numbers as they are,
// texts single-quoted with `\` and `'` escaped (fexpr's scanner reads
// `\\` and `\'` back; every other rune, newlines included, is literal),
// functions with their arguments.
func printToken(b *strings.Builder, t fexpr.Token) {
	switch t.Type {
	case fexpr.TokenText:
		b.WriteString(Quote(t.Literal))
	case fexpr.TokenFunction:
		b.WriteString(t.Literal + "(")
		args, _ := t.Meta.([]fexpr.Token)
		for i, a := range args {
			if i > 0 {
				b.WriteString(", ")
			}
			printToken(b, a)
		}
		b.WriteString(")")
	default:
		b.WriteString(t.Literal)
	}
}

// Quote returns s as a single-quoted fexpr text literal.
func Quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
