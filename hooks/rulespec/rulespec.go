// Package rulespec specializes a PocketBase rule for one signed-in caller.
//
// A compiled Relais rule is one expression for every role:
// `@request.auth.active = true && (... (@request.auth.role = 'admin') ||
// (@request.auth.role = 'sales' && assignee = @request.auth.id) ...)`.
// PocketBase turns each `@request.auth.<field>` into a LEFT JOIN of the
// users table (and each relation path into more joins) and, because there
// are joins, lists with `SELECT DISTINCT` and counts with `COUNT(DISTINCT)`,
// even for an admin whose rule is simply true.
//
// Specialize evaluates, for the caller's own values, every comparison whose
// two sides are known (literals, `@request.auth.<field>`, `@now`), writes
// the caller's text values as literals where they are compared to a record
// field, expands `x ?= @request.auth.<list>:each` into an OR of equalities
// when that is exactly equivalent, replaces the running-grant condition
// of the territory scope by the caller's granted territories (grants.go),
// folds the boolean tree and prints the rest back as a filter. What it does not understand is kept as it was:
// PocketBase still evaluates it with the full auth record.
//
// The equivalences it relies on (checked against PocketBase v0.40.4's
// resolver, tools/search/filter.go and core/record_field_resolver_runner.go):
//
//   - fexpr has no negation; AND and OR over SQL's three-valued logic are
//     monotone, so a row passes exactly when the two-valued evaluation with
//     NULL read as false passes: folding a known comparison to true/false is
//     exact;
//   - `@request.auth.<field>` is the column of the caller's own users row
//     (a LEFT JOIN on its id): the caller supplies that row's values, never
//     NULL for an existing row (PocketBase's columns are NOT NULL); text vs
//     text compares bytewise (BINARY collation), as Go strings do;
//   - a text column compared with `=`/`!=` (and `?=`/`?!=`) to another
//     text column or to a text parameter builds the same null-fallback SQL
//     (`COALESCE` on both sides, or `”`-aware forms), so replacing the
//     auth column by its value as a literal keeps the rows;
//   - a row passes a filter with LEFT JOINs when some combination of join
//     rows satisfies it; a join used by one single comparison, on a
//     monotone formula, can be replaced by the OR over its rows.
package rulespec

import (
	"strconv"
	"strings"
	"time"

	"github.com/ganigeorgiev/fexpr"
)

// Kind is the type of a known value.
type Kind int

// The kinds of known values.
const (
	// Unknown: not a known value (kept for PocketBase to evaluate).
	Unknown Kind = iota
	// Text: a string (text, relation, select, date and e-mail columns).
	Text
	// Bool: a boolean column (stored as 0 or 1).
	Bool
	// Number: a number column or literal.
	Number
)

// Value is a known value of the caller.
type Value struct {
	Kind Kind
	Text string
	Bool bool
	Num  float64
}

// TextValue returns a text value.
func TextValue(s string) Value { return Value{Kind: Text, Text: s} }

// BoolValue returns a boolean value.
func BoolValue(b bool) Value { return Value{Kind: Bool, Bool: b} }

// Auth holds what the caller's own record says, as PocketBase's joins would
// read it from the database.
type Auth struct {
	// Values by path after `@request.auth.`: "id", "collectionName",
	// "role", "active", "partner", "partner.status" (a single relation's
	// field, resolved by the caller: "" when the relation is empty).
	Values map[string]Value
	// Lists are multiple relations or select values by field name
	// ("territories"), for the `:each` expansion.
	Lists map[string][]string
	// Grants are the caller's territory grants, for the expansion of the
	// grants back-relation (grants.go).
	Grants Grants
}

// Outcome is the kind of a specialized rule.
type Outcome int

// The outcomes.
const (
	// Residual: a filter is left (Result.Filter).
	Residual Outcome = iota
	// Always: every record passes.
	Always
	// Never: no record passes.
	Never
)

// Result is a specialized rule.
type Result struct {
	Outcome Outcome
	// Filter is the residual rule (Outcome Residual only).
	Filter string
}

// nowLayout is PocketBase's date layout (types.DefaultDateLayout), the text
// `@now` is bound as.
const nowLayout = "2006-01-02 15:04:05.000Z"

// Specialize specializes rule for auth at now. An empty rule is Always.
func Specialize(rule string, auth Auth, now time.Time) (Result, error) {
	if strings.TrimSpace(rule) == "" {
		return Result{Outcome: Always}, nil
	}
	groups, err := parse(rule)
	if err != nil {
		return Result{}, err
	}
	s := specializer{auth: auth, now: now.UTC().Format(nowLayout)}
	n := s.fold(fromGroups(groups))
	if n.kind == nodeLeaf || n.kind == nodeAnd || n.kind == nodeOr {
		n = s.expandLists(n)
	}
	if n.kind == nodeAnd || n.kind == nodeOr {
		n = s.expandGrants(n)
	}
	switch n.kind {
	case nodeTrue:
		return Result{Outcome: Always}, nil
	case nodeFalse:
		return Result{Outcome: Never}, nil
	}
	return Result{Outcome: Residual, Filter: Print(n)}, nil
}

type specializer struct {
	auth Auth
	now  string
}

// fold evaluates the known comparisons and simplifies the tree.
func (s specializer) fold(n *node) *node {
	switch n.kind {
	case nodeLeaf:
		return s.leaf(n.expr)
	case nodeAnd, nodeOr:
		kids := make([]*node, 0, len(n.kids))
		for _, k := range n.kids {
			kids = append(kids, s.fold(k))
		}
		return combine(n.kind, kids)
	}
	return n
}

// combine folds the constants of an AND or an OR and flattens nested
// nodes of the same kind.
func combine(kind nodeKind, kids []*node) *node {
	absorbing, neutral := nodeFalse, nodeTrue
	if kind == nodeOr {
		absorbing, neutral = nodeTrue, nodeFalse
	}
	out := make([]*node, 0, len(kids))
	for _, k := range kids {
		switch k.kind {
		case absorbing:
			return &node{kind: absorbing}
		case neutral:
			continue
		case kind:
			out = append(out, k.kids...)
		default:
			out = append(out, k)
		}
	}
	switch len(out) {
	case 0:
		return &node{kind: neutral}
	case 1:
		return out[0]
	}
	return &node{kind: kind, kids: out}
}

// leaf evaluates one comparison or substitutes the caller's values in it.
func (s specializer) leaf(e fexpr.Expr) *node {
	l, r := s.operand(e.Left), s.operand(e.Right)
	if l.Kind != Unknown && r.Kind != Unknown {
		if v, ok := compare(l, e.Op, r); ok {
			return constant(v)
		}
		return &node{kind: nodeLeaf, expr: e}
	}
	if !substitutable(e.Op) {
		return &node{kind: nodeLeaf, expr: e}
	}
	out := e
	if l.Kind == Text && isRecordField(e.Right) {
		out.Left = textToken(l.Text)
	}
	if r.Kind == Text && isRecordField(e.Left) {
		out.Right = textToken(r.Text)
	}
	return &node{kind: nodeLeaf, expr: out}
}

func constant(v bool) *node {
	if v {
		return &node{kind: nodeTrue}
	}
	return &node{kind: nodeFalse}
}

// substitutable: the operators whose SQL treats a text column and a text
// parameter alike (see the package comment).
func substitutable(op fexpr.SignOp) bool {
	switch op {
	case fexpr.SignEq, fexpr.SignNeq, fexpr.SignAnyEq, fexpr.SignAnyNeq:
		return true
	}
	return false
}

// isRecordField reports whether t is a field path of the listed record
// (not a macro, a request value, a constant or a literal).
func isRecordField(t fexpr.Token) bool {
	if t.Type != fexpr.TokenIdentifier || strings.HasPrefix(t.Literal, "@") {
		return false
	}
	switch strings.ToLower(t.Literal) {
	case "true", "false", "null":
		return false
	}
	return true
}

func textToken(s string) fexpr.Token {
	return fexpr.Token{Type: fexpr.TokenText, Literal: s}
}

// operand returns the known value of a token, or Unknown.
func (s specializer) operand(t fexpr.Token) Value {
	switch t.Type {
	case fexpr.TokenText:
		return TextValue(t.Literal)
	case fexpr.TokenNumber:
		f, err := strconv.ParseFloat(t.Literal, 64)
		if err != nil {
			return Value{}
		}
		return Value{Kind: Number, Num: f}
	case fexpr.TokenIdentifier:
	default:
		return Value{}
	}
	switch lit := t.Literal; {
	case strings.EqualFold(lit, "true"):
		return BoolValue(true)
	case strings.EqualFold(lit, "false"):
		return BoolValue(false)
	case lit == "@now":
		return TextValue(s.now)
	case strings.HasPrefix(lit, "@request.auth."):
		name := strings.TrimPrefix(lit, "@request.auth.")
		if v, ok := s.auth.Values[name]; ok {
			return v
		}
	}
	return Value{}
}

// compare evaluates l op r for two known values; ok is false when the
// pair is not one whose SQL result is certain.
func compare(l Value, op fexpr.SignOp, r Value) (result, ok bool) {
	if l.Kind != r.Kind {
		return false, false
	}
	c, ok := order(l, r)
	if !ok {
		return false, false
	}
	switch op {
	case fexpr.SignEq, fexpr.SignAnyEq:
		return c == 0, true
	case fexpr.SignNeq, fexpr.SignAnyNeq:
		return c != 0, true
	}
	if l.Kind == Bool {
		return false, false
	}
	switch op {
	case fexpr.SignLt, fexpr.SignAnyLt:
		return c < 0, true
	case fexpr.SignLte, fexpr.SignAnyLte:
		return c <= 0, true
	case fexpr.SignGt, fexpr.SignAnyGt:
		return c > 0, true
	case fexpr.SignGte, fexpr.SignAnyGte:
		return c >= 0, true
	}
	return false, false
}

// order compares two values of the same kind (-1, 0, 1).
func order(l, r Value) (int, bool) {
	switch l.Kind {
	case Text:
		return strings.Compare(l.Text, r.Text), true
	case Number:
		switch {
		case l.Num < r.Num:
			return -1, true
		case l.Num > r.Num:
			return 1, true
		}
		return 0, true
	case Bool:
		if l.Bool == r.Bool {
			return 0, true
		}
		return 1, true
	}
	return 0, false
}
