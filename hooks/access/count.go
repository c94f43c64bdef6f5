package access

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"
)

// CountFor counts the records of a collection that auth may list (the
// same rule, list hint and trusted condition as ListFor) and that match
// where, stopping at limit: it returns min(count, limit). A search shows
// "1 000+" rather than counting tens of thousands of matches one by one;
// a limit ≤ 0 counts them all.
func CountFor(app core.App, auth *core.Record, collection string, where dbx.Expression, limit int) (int, error) {
	coll, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return 0, err
	}
	query, resolver, err := ruleQuery(app, auth, coll, where)
	if err != nil {
		return 0, err
	}
	if auth == nil || !auth.IsSuperuser() {
		if hint := ListHint(app, auth, collection, time.Now()); hint != "" {
			expr, err := search.FilterData(hint).BuildExpr(resolver)
			if err != nil {
				return 0, err
			}
			query.AndWhere(expr)
		}
	}
	if err := resolver.UpdateQuery(query); err != nil {
		return 0, err
	}
	// the rule's joins may repeat a record: count each once
	query.Select("[[" + coll.Name + "._rowid_]]").Distinct(true)
	if limit > 0 {
		query.Limit(int64(limit))
	}
	built := query.Build()
	n := 0
	err = app.DB().NewQuery("SELECT COUNT(*) FROM (" + built.SQL() + ")").Bind(built.Params()).Row(&n)
	return n, err
}
