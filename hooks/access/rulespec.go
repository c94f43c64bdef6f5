package access

import (
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/rulespec"
)

// Per-caller rules: a compiled rule is one expression for every role, and
// PocketBase joins the caller's users row, its partner, its territories and
// every relation any role's branch names, then deduplicates the rows
// (SELECT DISTINCT). SpecializeRule evaluates what depends only on the
// caller (package rulespec) so that an admin lists with no condition at
// all and a partner with `partner = '<id>'`: no join, no DISTINCT. ListFor,
// ViewFor and the REST list (api/list_rules.go) use it; the result is the
// same rows by construction (rulespec's equivalences) and by test (the
// differential test of the REST list against PocketBase's own handler).

// The values rulespec receives are read from the database, in one query,
// exactly where PocketBase's joins read them: the caller's users row
// (`@request.auth.<field>` is a LEFT JOIN on its id) and its partner's row
// (`@request.auth.partner.status`). `id` and `collectionName` are the
// in-memory ones, as PocketBase resolves them.
type authRow struct {
	Role          string `db:"role"`
	Active        bool   `db:"active"`
	AccessExpires string `db:"access_expires"`
	Partner       string `db:"partner"`
	Territories   string `db:"territories"`
	PartnerStatus string `db:"partner_status"`
	// Grants are the caller's grants of kind territory not expired when
	// the row was read, on a territory that exists: a JSON array of
	// [territory, starts, expires] (grants_spec.go).
	Grants string `db:"grants"`
}

// ruleSpecOffKey is the app store key of the switch that turns the
// specialization off (SetRuleSpecialization): the differential tests
// compare both ways.
const ruleSpecOffKey = "relais.access.ruleSpecOff"

// SetRuleSpecialization turns the per-caller rules on (the default) or off
// for app; off, every read applies the stored rules as PocketBase does.
func SetRuleSpecialization(app core.App, on bool) {
	app.Store().Set(ruleSpecOffKey, !on)
}

// RuleSpecializationOn reports whether the per-caller rules are on for app.
func RuleSpecializationOn(app core.App) bool {
	off, _ := app.Store().Get(ruleSpecOffKey).(bool)
	return !off
}

// SpecializedRule is a collection rule for one caller.
type SpecializedRule struct {
	// Outcome: rulespec.Always (no condition), rulespec.Never (no record)
	// or rulespec.Residual (Filter).
	Outcome rulespec.Outcome
	// Filter is the rule to apply when Outcome is Residual (the stored
	// rule itself when it could not be specialized).
	Filter string
}

// SpecializeRule specializes rule (a non-empty stored rule of coll) for
// auth at now. Guests, superusers, other auth collections, a caller whose
// row is gone and a rule rulespec cannot parse keep the stored rule:
// PocketBase then decides exactly as without this function.
func SpecializeRule(app core.App, auth *core.Record, coll *core.Collection, rule string, now time.Time) (SpecializedRule, error) {
	keep := SpecializedRule{Outcome: rulespec.Residual, Filter: rule}
	if auth == nil || auth.IsSuperuser() || auth.Collection().Name != "users" || !RuleSpecializationOn(app) {
		return keep, nil
	}
	row, found, err := callerRow(app, auth, now)
	if err != nil || !found {
		return keep, err
	}
	var territories []string
	if row.Territories != "" {
		if err := json.Unmarshal([]byte(row.Territories), &territories); err != nil {
			return keep, nil
		}
	}
	a := rulespec.Auth{
		Values: map[string]rulespec.Value{
			"id":             rulespec.TextValue(auth.Id),
			"collectionName": rulespec.TextValue(auth.Collection().Name),
			"role":           rulespec.TextValue(row.Role),
			"active":         rulespec.BoolValue(row.Active),
			"access_expires": rulespec.TextValue(row.AccessExpires),
			"partner":        rulespec.TextValue(row.Partner),
			"partner.status": rulespec.TextValue(row.PartnerStatus),
		},
		Lists:  map[string][]string{"territories": territories},
		Grants: grantsSpec(app, coll, row),
	}
	res, err := rulespec.Specialize(rule, a, now)
	if err != nil {
		return keep, nil
	}
	return SpecializedRule{Outcome: res.Outcome, Filter: res.Filter}, nil
}

// alwaysFilter and neverFilter are the join-free filters of the Always and
// Never outcomes where a filter text is needed (PocketBase's own handler).
const (
	alwaysFilter = "1 = 1"
	neverFilter  = "1 = 0"
)

// FilterText returns the specialized rule as a filter PocketBase accepts:
// the residual, or a constant comparison for Always and Never.
func (s SpecializedRule) FilterText() string {
	switch s.Outcome {
	case rulespec.Always:
		return alwaysFilter
	case rulespec.Never:
		return neverFilter
	}
	return s.Filter
}

// callerRow reads the caller's users row and its partner's status (see
// authRow), or takes them from the memo of this auth record
// (rulespec_memo.go); found is false when the row is gone.
func callerRow(app core.App, auth *core.Record, now time.Time) (authRow, bool, error) {
	c := cachesOf(app)
	var gen memoGen
	if c != nil {
		gen = c.memoGen()
		if row, ok := callers.get(auth, gen, now); ok {
			return row, true, nil
		}
	}
	var row authRow
	// the grants in the same statement (idx_grants_user): expiry is
	// checked again at each use (rulespec.Running), so an entry of the
	// memo never serves a grant past its expiry
	err := app.DB().NewQuery(`SELECT u.role, u.active, u.access_expires, u.partner, u.territories,
		COALESCE(p.status, '') AS partner_status,
		(SELECT json_group_array(json_array(g.territory, g.starts, g.expires))
			FROM grants g JOIN territories t ON t.id = g.territory
			WHERE g.user = u.id AND g.kind = 'territory' AND g.expires > {:now}) AS grants
		FROM users u LEFT JOIN partners p ON p.id = u.partner WHERE u.id = {:id}`).
		Bind(dbx.Params{"id": auth.Id, "now": now.UTC().Format(types.DefaultDateLayout)}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return row, false, nil
	}
	if err != nil {
		return row, false, err
	}
	if c != nil {
		callers.put(auth, callerEntry{row: row, gen: gen, at: now})
	}
	return row, true, nil
}
