// Package filterguard decides which client filter and sort expressions a
// non-superuser may send (SPEC §3.3.3).
//
// PocketBase applies a related collection's ListRule to the joins of a
// filter, except inside the "multi-match" subquery it builds for negated and
// all-of conditions over multi-valued paths (back-relations `X_via_Y`,
// multiple relations, `@collection.*`): there the related rows are joined
// without any rule, so `territories?filter=leads_via_territory.company !=
// "X"` tells whether a lead the caller cannot see is named X. The rules
// themselves may use such paths (they are written by the compiler, not by
// the caller); a client may not.
//
// Rather than follow PocketBase's resolver case by case, the guard allows a
// small, explicit set of paths and refuses everything else:
//
//   - a field of the listed collection itself, not Hidden (nor an auth
//     collection's e-mail) (`status`, `territories`,
//     `segments:each`, `name:lower`, a JSON field's path `effective_access.x`);
//   - one hop through a single (non-multiple) relation of the listed
//     collection to a single-valued field of the related collection
//     (`lead.status`, `partner.name:lower`): PocketBase joins it with the
//     related collection's ListRule applied, and no multi-match subquery
//     is involved;
//   - the date macros (`@now`, `@todayStart`, …), `@random` and `@rowid`
//     in sorts, literals and the functions PocketBase knows, whose
//     arguments are checked the same way.
//
// Hidden fields are refused too (PocketBase refuses them anyway). The
// decision does not depend on the caller's role: every path it allows is
// one PocketBase fully guards with the caller's own rules.
package filterguard

import (
	"fmt"
	"strings"

	"github.com/ganigeorgiev/fexpr"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"
)

// Denied explains why a filter or sort was refused.
type Denied struct {
	// Param is "filter" or "sort".
	Param string
	// Path is the refused identifier ("" when the expression does not parse).
	Path string
	// Reason is a short English explanation (Code is its stable key).
	Reason string
	// Code is a stable key of the reason, for translations and tests.
	Code string
}

// Error implements error.
func (d *Denied) Error() string {
	if d.Path == "" {
		return d.Param + ": " + d.Reason
	}
	return fmt.Sprintf("%s: %q %s", d.Param, d.Path, d.Reason)
}

// Reason codes.
const (
	CodeSyntax       = "syntax"
	CodeBackRelation = "back_relation"
	CodeCollection   = "collection_join"
	CodeRequest      = "request_field"
	CodeUnknown      = "unknown_field"
	CodeHidden       = "hidden_field"
	CodeMultiHop     = "multiple_relation"
	CodeDepth        = "too_deep"
	CodeModifier     = "modifier"
	CodeFunction     = "function"
)

var reasons = map[string]string{
	CodeSyntax:       "cannot be parsed",
	CodeBackRelation: "goes through a back-relation (_via_), which client filters may not use",
	CodeCollection:   "joins another collection (@collection), which client filters may not use",
	CodeRequest:      "reads request data (@request), which client filters may not use",
	CodeUnknown:      "is not a field of this collection",
	CodeHidden:       "is not filterable",
	CodeMultiHop:     "goes through a multiple relation, which client filters may not use",
	CodeDepth:        "goes further than one relation",
	CodeModifier:     "uses a modifier that is not allowed here",
	CodeFunction:     "calls an unknown function",
}

func deny(param, path, code string) *Denied {
	return &Denied{Param: param, Path: path, Code: code, Reason: reasons[code]}
}

// Lookup finds a collection by id or name (nil when there is none).
type Lookup func(nameOrID string) *core.Collection

// dateMacros are PocketBase's identifier macros (tools/search).
var dateMacros = map[string]bool{
	"@now": true, "@yesterday": true, "@tomorrow": true, "@second": true, "@minute": true, "@hour": true,
	"@day": true, "@month": true, "@weekday": true, "@year": true, "@todayStart": true, "@todayEnd": true,
	"@monthStart": true, "@monthEnd": true, "@yearStart": true, "@yearEnd": true,
}

// literals are identifiers PocketBase reads as values when no field has
// that name.
var literals = map[string]bool{"true": true, "false": true, "null": true}

// sortSpecials are sort keys that name no field.
var sortSpecials = map[string]bool{"@random": true, "@rowid": true}

// Check returns nil when every identifier of filter and sort is allowed on
// coll, a *Denied otherwise.
func Check(coll *core.Collection, lookup Lookup, filter, sort string) error {
	if strings.TrimSpace(filter) != "" {
		groups, err := fexpr.Parse(filter)
		if err != nil {
			return deny("filter", "", CodeSyntax)
		}
		if err := checkGroups(coll, lookup, groups); err != nil {
			return err
		}
	}
	for _, f := range search.ParseSortFromString(sort) {
		if f.Name == "" || sortSpecials[f.Name] {
			continue
		}
		if code := checkPath(coll, lookup, f.Name); code != "" {
			return deny("sort", f.Name, code)
		}
	}
	return nil
}

func checkGroups(coll *core.Collection, lookup Lookup, groups []fexpr.ExprGroup) error {
	for _, g := range groups {
		switch item := g.Item.(type) {
		case fexpr.Expr:
			for _, tok := range []fexpr.Token{item.Left, item.Right} {
				if err := checkToken(coll, lookup, tok); err != nil {
					return err
				}
			}
		case fexpr.ExprGroup:
			if err := checkGroups(coll, lookup, []fexpr.ExprGroup{item}); err != nil {
				return err
			}
		case []fexpr.ExprGroup:
			if err := checkGroups(coll, lookup, item); err != nil {
				return err
			}
		default:
			return deny("filter", "", CodeSyntax)
		}
	}
	return nil
}

func checkToken(coll *core.Collection, lookup Lookup, tok fexpr.Token) error {
	switch tok.Type {
	case fexpr.TokenText, fexpr.TokenNumber:
		return nil
	case fexpr.TokenIdentifier:
		if code := checkPath(coll, lookup, tok.Literal); code != "" {
			return deny("filter", tok.Literal, code)
		}
		return nil
	case fexpr.TokenFunction:
		if _, ok := search.TokenFunctions[tok.Literal]; !ok {
			return deny("filter", tok.Literal, CodeFunction)
		}
		args, _ := tok.Meta.([]fexpr.Token)
		for _, a := range args {
			if err := checkToken(coll, lookup, a); err != nil {
				return err
			}
		}
		return nil
	}
	return deny("filter", tok.Literal, CodeSyntax)
}

// checkPath returns "" when the identifier is allowed, the reason code
// otherwise.
func checkPath(coll *core.Collection, lookup Lookup, ident string) string {
	if dateMacros[ident] {
		return ""
	}
	if strings.HasPrefix(ident, "@") {
		return checkMacroPath(ident)
	}
	parts := strings.Split(ident, ".")
	for _, p := range parts {
		if strings.Contains(p, "_via_") {
			return CodeBackRelation
		}
	}
	name, modifier, _ := strings.Cut(parts[0], ":")
	field := coll.Fields.GetByName(name)
	if field == nil {
		if len(parts) == 1 && modifier == "" && literals[strings.ToLower(name)] {
			return ""
		}
		return CodeUnknown
	}
	if !filterable(coll, field) {
		return CodeHidden
	}
	if len(parts) == 1 {
		return checkModifier(modifier, field, true)
	}
	if modifier != "" {
		return CodeModifier
	}
	switch f := field.(type) {
	case *core.JSONField:
		return "" // a path inside the record's own JSON value
	case *core.RelationField:
		return checkHop(f, lookup, parts)
	}
	return CodeUnknown
}

// checkHop checks a path through the relation f (parts: the relation and
// what follows): one hop through a single relation to a single-valued,
// filterable field of the related collection.
func checkHop(f *core.RelationField, lookup Lookup, parts []string) string {
	if f.IsMultiple() {
		return CodeMultiHop
	}
	if len(parts) > 2 {
		return CodeDepth
	}
	target := lookup(f.CollectionId)
	if target == nil {
		return CodeUnknown
	}
	tname, tmod, _ := strings.Cut(parts[1], ":")
	tf := target.Fields.GetByName(tname)
	if tf == nil {
		return CodeUnknown
	}
	if !filterable(target, tf) {
		return CodeHidden
	}
	if isMultiple(tf) || tf.Type() == core.FieldTypeJSON {
		// a multi-valued field at the end of the hop turns the
		// condition into a multi-match subquery: no rule there
		return CodeMultiHop
	}
	return checkModifier(tmod, tf, false)
}

// checkMacroPath refuses every other @ identifier: @collection.* joins
// without the multi-match rule gap being closed, and PocketBase itself
// refuses @request.* in client filters ("Only superusers can filter by
// @request.").
func checkMacroPath(ident string) string {
	if strings.HasPrefix(ident, "@collection.") {
		return CodeCollection
	}
	return CodeRequest
}

// checkModifier allows ":lower" everywhere and ":each" / ":length" on the
// listed collection's own multi-valued fields.
func checkModifier(modifier string, f core.Field, own bool) string {
	switch modifier {
	case "", "lower":
		return ""
	case "each", "length":
		if own && isMultiple(f) {
			return ""
		}
	}
	return CodeModifier
}

// filterable refuses Hidden fields and the e-mail of auth records: PocketBase
// lets a filter on it match only public e-mails, but a sort on it would
// order the rows by addresses the caller cannot read.
func filterable(c *core.Collection, f core.Field) bool {
	return !f.GetHidden() && !(c.IsAuth() && f.GetName() == core.FieldNameEmail)
}

func isMultiple(f core.Field) bool {
	m, ok := f.(core.MultiValuer)
	return ok && m.IsMultiple()
}
