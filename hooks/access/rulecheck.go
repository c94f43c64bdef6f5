package access

import (
	"maps"
	"strings"
	"sync"

	"github.com/ganigeorgiev/fexpr"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// This file decides a collection rule for one record in memory, without
// the SQL query ViewFor runs (the rule's joins on the auth collection and
// the DISTINCT cost ~1 ms a call on modernc SQLite, more than the rest of
// an accept). It only ever answers for the expressions whose SQL meaning
// it reproduces exactly; anything else makes the answer unknown and the
// caller falls back to the SQL path, so the verdict is always the rule's.
//
// Supported: `&&`, `||` and parentheses with SQL precedence (PocketBase
// joins the groups into one SQL string, AND before OR); the operators
// = != < <= > >= (not the `?` any-of forms, not ~); operands that are
// quoted text, true/false, @now, a plain field of the record, `@request.auth.F`
// and `@request.auth.R.F` through a single relation R of the auth record.
// Fields must be single-valued text, e-mail, URL, select, relation or date
// (compared as text, like SQLite does with PocketBase's text columns) or
// bool (compared with true/false only). Multi-valued fields, modifiers
// (:each, :changed, :length…), back-relations, nested paths on the record,
// @collection, @request.body/query/headers, numbers and null are unknown.
//
// Proven, not assumed: TestRuleViewEqualsSQLRule (rulecheck_property_test.go)
// compares it with app.CanAccessRecord for custom roles of every kind at
// every leads read level, users and leads of every shape, territory grants
// running, expired and future. It is proven for the leads ViewRule only
// (the one its callers ask: distribution's visibleLead, the api's
// savedLeadJSON): for any other
// collection it answers unknown and SQL decides. It is proven on the
// module versions of ruleViewProvenOn: TestRuleViewProvenOnTheseVersions
// fails when go.mod moves away from them, until the full sweep is run
// again on the new versions. (Measured in that test: ~40 µs a decision in
// memory against ~2 ms for CanAccessRecord's query on the same rule.)
//
// The auth record is the one the request loaded; SQL joins the stored row
// for `@request.auth.R.F`. Both are the same unless the user's relation R
// changes during the request.

// ruleViewProvenOn are the versions of the modules whose semantics
// rulecheck reproduces (PocketBase's SQL rendering of rules, the fexpr
// parser) on which the full sweep of TestRuleViewEqualsSQLRule last found
// no difference.
var ruleViewProvenOn = map[string]string{
	"github.com/pocketbase/pocketbase": "v0.40.4",
	"github.com/ganigeorgiev/fexpr":    "v0.6.0",
}

// ruleViewCollections are the collections whose ViewRule the property test
// covers.
var ruleViewCollections = map[string]bool{"leads": true}

// Verdict is a rule's answer for one record: unknown means "ask SQL".
type Verdict int8

// The verdicts of RuleView.
const (
	RuleUnknown Verdict = iota
	RuleFalse
	RuleTrue
)

// String is "true", "false" or "unknown".
func (v Verdict) String() string {
	return map[Verdict]string{RuleTrue: "true", RuleFalse: "false", RuleUnknown: "unknown"}[v]
}

// RuleViewProvenOn returns the module versions RuleView is proven on (a
// copy of ruleViewProvenOn; TestRuleViewProvenOnTheseVersions compares
// them with go.mod).
func RuleViewProvenOn() map[string]string { return maps.Clone(ruleViewProvenOn) }

func vAnd(a, b Verdict) Verdict {
	switch {
	case a == RuleFalse || b == RuleFalse:
		return RuleFalse
	case a == RuleTrue && b == RuleTrue:
		return RuleTrue
	}
	return RuleUnknown
}

func vOr(a, b Verdict) Verdict {
	switch {
	case a == RuleTrue || b == RuleTrue:
		return RuleTrue
	case a == RuleFalse && b == RuleFalse:
		return RuleFalse
	}
	return RuleUnknown
}

// parsedRules caches the parse of the few rules in force (they change only
// when the permissions matrix is applied; the cache is dropped when it
// grows past a handful of versions).
var parsedRules struct {
	sync.Mutex
	m map[string][]fexpr.ExprGroup
}

func parseRule(rule string) ([]fexpr.ExprGroup, error) {
	parsedRules.Lock()
	defer parsedRules.Unlock()
	if g, ok := parsedRules.m[rule]; ok {
		return g, nil
	}
	g, err := fexpr.Parse(rule)
	if err != nil {
		return nil, err
	}
	if parsedRules.m == nil || len(parsedRules.m) >= 64 {
		parsedRules.m = map[string][]fexpr.ExprGroup{}
	}
	parsedRules.m[rule] = g
	return g, nil
}

// RuleView decides the collection's ViewRule for auth on rec in memory
// (see the top of this file); RuleUnknown means the caller must ask
// ViewFor. Like ViewFor, a superuser passes and a nil rule refuses.
func RuleView(app core.App, auth, rec *core.Record) Verdict {
	coll := rec.Collection()
	if !ruleViewCollections[coll.Name] {
		return RuleUnknown
	}
	if auth != nil && auth.IsSuperuser() {
		return RuleTrue
	}
	if coll.ViewRule == nil {
		return RuleFalse
	}
	if *coll.ViewRule == "" {
		return RuleTrue
	}
	if auth == nil {
		return RuleUnknown
	}
	groups, err := parseRule(*coll.ViewRule)
	if err != nil {
		return RuleUnknown
	}
	ev := &ruleEval{app: app, auth: auth, rec: rec, now: types.NowDateTime().String()}
	return ev.groups(groups)
}

// ruleEval evaluates one rule for one record and auth record.
type ruleEval struct {
	app       core.App
	auth, rec *core.Record
	now       string
	related   map[string]*core.Record // auth relation field → related record (nil: none)
}

// groups follows PocketBase's SQL rendering: `a && b || c && d` is
// `a AND b OR c AND d`, i.e. (a AND b) OR (c AND d).
func (ev *ruleEval) groups(gs []fexpr.ExprGroup) Verdict {
	if len(gs) == 0 {
		return RuleUnknown
	}
	acc, chain := RuleFalse, RuleTrue
	for i, g := range gs {
		if i > 0 && g.Join == fexpr.JoinOr {
			if acc = vOr(acc, chain); acc == RuleTrue {
				return RuleTrue // TRUE OR anything
			}
			chain = ev.item(g.Item)
			continue
		}
		if chain != RuleFalse { // FALSE AND anything: skip the lookups
			chain = vAnd(chain, ev.item(g.Item))
		}
	}
	return vOr(acc, chain)
}

func (ev *ruleEval) item(it any) Verdict {
	switch x := it.(type) {
	case fexpr.Expr:
		return ev.expr(x)
	case fexpr.ExprGroup:
		return ev.groups([]fexpr.ExprGroup{x})
	case []fexpr.ExprGroup:
		return ev.groups(x)
	}
	return RuleUnknown
}

// ruleValue is a known, non-null operand: text or bool.
type ruleValue struct {
	isBool bool
	b      bool
	s      string
}

func (ev *ruleEval) expr(e fexpr.Expr) Verdict {
	l, ok := ev.operand(e.Left)
	if !ok {
		return RuleUnknown
	}
	r, ok := ev.operand(e.Right)
	if !ok || l.isBool != r.isBool {
		return RuleUnknown
	}
	var res bool
	switch e.Op {
	case fexpr.SignEq:
		res = l == r
	case fexpr.SignNeq:
		res = l != r
	case fexpr.SignLt, fexpr.SignLte, fexpr.SignGt, fexpr.SignGte:
		if l.isBool {
			return RuleUnknown
		}
		c := strings.Compare(l.s, r.s) // SQLite's BINARY collation
		res = map[fexpr.SignOp]bool{fexpr.SignLt: c < 0, fexpr.SignLte: c <= 0, fexpr.SignGt: c > 0, fexpr.SignGte: c >= 0}[e.Op]
	default:
		return RuleUnknown
	}
	if res {
		return RuleTrue
	}
	return RuleFalse
}

func (ev *ruleEval) operand(t fexpr.Token) (ruleValue, bool) {
	switch t.Type {
	case fexpr.TokenText:
		return ruleValue{s: t.Literal}, true
	case fexpr.TokenIdentifier:
	default:
		return ruleValue{}, false
	}
	name := t.Literal
	if strings.ContainsAny(name, ":") {
		return ruleValue{}, false
	}
	switch strings.ToLower(name) {
	case "true":
		return ruleValue{isBool: true, b: true}, true
	case "false":
		return ruleValue{isBool: true, b: false}, true
	}
	if name == "@now" {
		return ruleValue{s: ev.now}, true
	}
	if rest, ok := strings.CutPrefix(name, "@request.auth."); ok {
		parts := strings.Split(rest, ".")
		switch {
		case len(parts) == 1 && parts[0] == "collectionName":
			return ruleValue{s: ev.auth.Collection().Name}, true
		case len(parts) == 1 && parts[0] == "collectionId":
			return ruleValue{s: ev.auth.Collection().Id}, true
		case len(parts) == 1:
			return fieldValue(ev.auth, parts[0])
		case len(parts) == 2:
			rel := ev.relatedOfAuth(parts[0])
			if rel == nil {
				return ruleValue{}, false
			}
			return fieldValue(rel, parts[1])
		}
		return ruleValue{}, false
	}
	if strings.HasPrefix(name, "@") || strings.Contains(name, ".") {
		return ruleValue{}, false
	}
	return fieldValue(ev.rec, name)
}

// relatedOfAuth loads the record a single relation of the auth record
// points to (nil when the relation is empty, multiple or dangling: the
// SQL join would give NULL, which this evaluator leaves to SQL).
func (ev *ruleEval) relatedOfAuth(field string) *core.Record {
	if r, ok := ev.related[field]; ok {
		return r
	}
	var out *core.Record
	if f, ok := ev.auth.Collection().Fields.GetByName(field).(*core.RelationField); ok && !f.IsMultiple() {
		if id := ev.auth.GetString(field); id != "" {
			if r, err := ev.app.FindRecordById(f.CollectionId, id); err == nil {
				out = r
			}
		}
	}
	if ev.related == nil {
		ev.related = map[string]*core.Record{}
	}
	ev.related[field] = out
	return out
}

// fieldValue is the value SQL compares for a plain field of r.
func fieldValue(r *core.Record, name string) (ruleValue, bool) {
	if name == core.FieldNameId {
		return ruleValue{s: r.Id}, true
	}
	switch f := r.Collection().Fields.GetByName(name).(type) {
	case *core.TextField, *core.EmailField, *core.URLField, *core.DateField, *core.AutodateField:
		return ruleValue{s: r.GetString(name)}, true
	case *core.SelectField:
		if !f.IsMultiple() {
			return ruleValue{s: r.GetString(name)}, true
		}
	case *core.RelationField:
		if !f.IsMultiple() {
			return ruleValue{s: r.GetString(name)}, true
		}
	case *core.BoolField:
		return ruleValue{isBool: true, b: r.GetBool(name)}, true
	}
	return ruleValue{}, false
}
