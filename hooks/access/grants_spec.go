package access

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/rulespec"
)

// The caller's running territory grants for the per-caller rules: the
// territory scope's back-relation (`territory.grants_via_territory…`)
// becomes `territory ?= '<t>' || …` over the territories the caller holds
// a running grant on (rulespec/grants.go), so a channel manager's list
// needs no join of the grants table and no SELECT DISTINCT.
//
// The grants come with the caller's users row, in the same statement
// (callerRow): those of kind territory, on a territory that exists (the
// territories row PocketBase's join goes through), not expired when read.
// Whether each runs is decided at every use against that use's now, so
// the caller memo (one request's auth record, at most callerMemoTTL, reset
// by any committed grant or territory change) never serves a grant past
// its expiry nor one revoked through this app.

// grantsSpec returns the caller's grants of row for rules of coll: the
// rows and the schema check of the paths. Unreadable grants keep the
// back-relation (a nil Path).
func grantsSpec(app core.App, coll *core.Collection, row authRow) rulespec.Grants {
	rows, ok := parseGrants(row.Grants)
	if !ok || coll == nil || !grantsJoinIsSingle(app) {
		return rulespec.Grants{}
	}
	return rulespec.Grants{Rows: rows, Path: func(path string) bool { return territoryPath(app, coll, path) }}
}

// parseGrants reads the JSON array of [territory, starts, expires] built
// by callerRow.
func parseGrants(s string) ([]rulespec.Grant, bool) {
	if s == "" {
		return nil, false
	}
	var raw [][]string
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, false
	}
	out := make([]rulespec.Grant, 0, len(raw))
	for _, r := range raw {
		if len(r) != 3 {
			return nil, false
		}
		out = append(out, rulespec.Grant{Territory: r[0], Starts: r[1], Expires: r[2]})
	}
	return out, true
}

// grantsJoinIsSingle reports whether the grants collection has the fields
// the expansion assumes: `territory` a single relation to territories
// (PocketBase joins it with `grants.territory = territories.id`), `user` a
// single relation, `kind` a single select, `starts` and `expires` dates.
func grantsJoinIsSingle(app core.App) bool {
	g, err := app.FindCachedCollectionByNameOrId("grants")
	if err != nil {
		return false
	}
	t, ok := g.Fields.GetByName("territory").(*core.RelationField)
	if !ok || t.IsMultiple() || !isTerritories(app, t.CollectionId) {
		return false
	}
	u, ok := g.Fields.GetByName("user").(*core.RelationField)
	if !ok || u.IsMultiple() {
		return false
	}
	k, ok := g.Fields.GetByName("kind").(*core.SelectField)
	if !ok || k.IsMultiple() {
		return false
	}
	_, s := g.Fields.GetByName("starts").(*core.DateField)
	_, e := g.Fields.GetByName("expires").(*core.DateField)
	return s && e
}

// territoryPath reports whether path, from coll, goes through single
// relations only and ends on the territories collection: `path = 't'` is
// then "the one territories row the path joins is t".
func territoryPath(app core.App, coll *core.Collection, path string) bool {
	c := coll
	parts := strings.Split(path, ".")
	for i, name := range parts {
		rf, ok := c.Fields.GetByName(name).(*core.RelationField)
		if !ok || rf.IsMultiple() {
			return false
		}
		next, err := app.FindCachedCollectionByNameOrId(rf.CollectionId)
		if err != nil {
			return false
		}
		if i == len(parts)-1 {
			return next.Name == "territories"
		}
		c = next
	}
	return false
}

func isTerritories(app core.App, id string) bool {
	c, err := app.FindCachedCollectionByNameOrId(id)
	return err == nil && c.Name == "territories"
}

// runningGrants returns the territories on which user holds a territory
// grant running at now, from the caller row (memo or one statement); ok
// is false when they could not be read.
func runningGrants(app core.App, user *core.Record, now time.Time) ([]string, bool) {
	row, found, err := callerRow(app, user, now)
	if err != nil || !found {
		return nil, false
	}
	rows, ok := parseGrants(row.Grants)
	if !ok {
		return nil, false
	}
	return rulespec.Running(rows, now.UTC().Format(types.DefaultDateLayout)), true
}
