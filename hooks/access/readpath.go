package access

import (
	"database/sql"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/rulespec"
)

// This file is the one rule-aware read path of SPEC §3.3.6: every Go handler
// that reads records on behalf of a user goes through ListFor / ViewFor,
// which apply the collection's ListRule / ViewRule for that user exactly as
// the REST API does (same resolver, same rule, hidden fields not filterable
// by the caller's filter). Never use app.Find* for user-facing data.

// ListQuery narrows a rule-aware list.
type ListQuery struct {
	// Where is a trusted server-side condition (built by Go code with bound
	// params, never from client text).
	Where dbx.Expression
	// Filter and Sort use PocketBase's filter syntax, like the REST API's
	// `filter` and `sort`; they may come from the client: for non-superusers
	// they are checked by the filter guard (CheckClientQuery: own fields and
	// one single-relation hop only), hidden fields are refused, relations
	// obey the related collections' rules.
	Filter, Sort string
	// Page (1-based) and PerPage (capped at MaxPerPage).
	Page, PerPage int
	// Count asks for the total (a COUNT query); off by default.
	Count bool
}

// MaxPerPage caps every rule-aware list.
const MaxPerPage = 200

// The request methods the rules see as @request.method: a list or a view
// is a GET, an update check a PATCH, a create check a POST.
const (
	methodGet   = "GET"
	methodPatch = "PATCH"
	methodPost  = "POST"
)

// requestInfoFor builds the RequestInfo the rules are evaluated with.
func requestInfoFor(auth *core.Record, method string) *core.RequestInfo {
	return &core.RequestInfo{Auth: auth, Method: method, Context: core.RequestInfoContextDefault, Query: map[string]string{}, Headers: map[string]string{}, Body: map[string]any{}}
}

// ListFor lists the records of a collection that auth may list.
func ListFor(app core.App, auth *core.Record, collection string, q ListQuery) ([]*core.Record, *search.Result, error) {
	coll, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, nil, err
	}
	super := auth != nil && auth.IsSuperuser()
	// Filter and Sort may come from a client: the same allow-list as the
	// REST API (CheckClientQuery)
	if err := CheckClientQuery(app, auth, collection, q.Filter, q.Sort); err != nil {
		return nil, nil, err
	}
	query, resolver, err := ruleQuery(app, auth, coll, q.Where)
	if err != nil {
		return nil, nil, err
	}
	resolver.SetAllowHiddenFields(super)
	limit, err := PageCapFor(app, auth)
	if err != nil {
		return nil, nil, err
	}
	hint := ""
	if !super {
		hint = ListHint(app, auth, collection, time.Now())
	}
	params := listParams(q, limit, hint)
	provider := search.NewProvider(resolver).Query(query).CountCol("_rowid_")
	records := []*core.Record{}
	result, err := provider.ParseAndExec(params.Encode(), &records)
	if err != nil {
		return nil, nil, err
	}
	return records, result, nil
}

// ruleQuery is the query of the records of coll that auth may list (its
// ListRule, none for a superuser) narrowed by where (trusted, may be nil),
// with the resolver that built the rule (its joins are added by
// resolver.UpdateQuery). domain.ErrForbidden when the collection has no
// list rule for auth.
func ruleQuery(app core.App, auth *core.Record, coll *core.Collection, where dbx.Expression) (*dbx.SelectQuery, *core.RecordFieldResolver, error) {
	super := auth != nil && auth.IsSuperuser()
	if coll.ListRule == nil && !super {
		return nil, nil, domain.ErrForbidden
	}
	query := app.RecordQuery(coll)
	resolver := core.NewRecordFieldResolver(app, coll, requestInfoFor(auth, methodGet), true)
	if !super && *coll.ListRule != "" {
		// the rule for this caller (rulespec.go): no join for what depends
		// only on the caller
		rule, err := SpecializeRule(app, auth, coll, *coll.ListRule, time.Now())
		if err != nil {
			return nil, nil, err
		}
		if rule.Outcome != rulespec.Always {
			expr, err := search.FilterData(rule.FilterText()).BuildExpr(resolver)
			if err != nil {
				return nil, nil, err
			}
			query.AndWhere(expr)
		}
	}
	if where != nil {
		query.AndWhere(where)
	}
	return query, resolver, nil
}

// listParams are the search parameters of a rule-aware list: the page
// (1 by default) and its size (30 by default, at most limit: partner
// roles' lists are not bulk exports), no total unless asked, the client's
// filter ANDed with the list hint, the sort.
func listParams(q ListQuery, limit int, hint string) url.Values {
	perPage := q.PerPage
	if perPage <= 0 {
		perPage = 30
	}
	perPage = min(perPage, limit)
	page := max(q.Page, 1)
	params := url.Values{}
	params.Set("page", strconv.Itoa(page))
	params.Set("perPage", strconv.Itoa(perPage))
	if !q.Count {
		params.Set("skipTotal", "1")
	}
	filter := q.Filter
	if hint != "" {
		if filter != "" {
			filter = "(" + hint + ") && (" + filter + ")"
		} else {
			filter = hint
		}
	}
	if filter != "" {
		params.Set("filter", filter)
	}
	if q.Sort != "" {
		params.Set("sort", q.Sort)
	}
	return params
}

// ViewFor returns one record if auth may view it, domain.ErrNotVisible otherwise.
func ViewFor(app core.App, auth *core.Record, collection, id string) (*core.Record, error) {
	coll, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	super := auth != nil && auth.IsSuperuser()
	if coll.ViewRule == nil && !super {
		return nil, domain.ErrNotVisible
	}
	rec, err := app.FindRecordById(coll, id, func(q *dbx.SelectQuery) error {
		if super || *coll.ViewRule == "" {
			return nil
		}
		rule, err := SpecializeRule(app, auth, coll, *coll.ViewRule, time.Now())
		if err != nil || rule.Outcome == rulespec.Always {
			return err
		}
		resolver := core.NewRecordFieldResolver(app, coll, requestInfoFor(auth, methodGet), true)
		expr, err := search.FilterData(rule.FilterText()).BuildExpr(resolver)
		if err != nil {
			return err
		}
		q.AndWhere(expr)
		return resolver.UpdateQuery(q)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotVisible
	}
	return rec, err
}

// CanDo reports whether auth passes a collection rule ("update", "delete")
// on a stored record, as the REST API would check it for a request with the
// given body.
func CanDo(app core.App, auth *core.Record, rec *core.Record, action string, body map[string]any) (bool, error) {
	var rule *string
	switch action {
	case "view":
		rule = rec.Collection().ViewRule
	case "update":
		rule = rec.Collection().UpdateRule
	case "delete":
		rule = rec.Collection().DeleteRule
	default:
		return false, errors.New("CanDo: unsupported action " + action)
	}
	if auth != nil && auth.IsSuperuser() {
		return true, nil
	}
	info := requestInfoFor(auth, methodPatch)
	if body != nil {
		info.Body = body
	}
	return app.CanAccessRecord(rec, info, rule)
}

// ListPlan returns SQLite's EXPLAIN QUERY PLAN of the list query a user's
// REST list runs (rule, list hint and filter, newest first, one page): the
// tool behind the index checks of the tests and benchmarks.
func ListPlan(app core.App, auth *core.Record, collection, filter string) ([]string, error) {
	coll, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	if coll.ListRule == nil {
		return nil, domain.ErrForbidden
	}
	q := app.RecordQuery(coll)
	r := core.NewRecordFieldResolver(app, coll, requestInfoFor(auth, methodGet), true)
	rule := *coll.ListRule
	if rule != "" {
		spec, err := SpecializeRule(app, auth, coll, rule, time.Now())
		if err != nil {
			return nil, err
		}
		rule = spec.FilterText()
	}
	for _, f := range []string{rule, ListHint(app, auth, collection, time.Now()), filter} {
		if strings.TrimSpace(f) == "" {
			continue
		}
		expr, err := search.FilterData(f).BuildExpr(r)
		if err != nil {
			return nil, err
		}
		q.AndWhere(expr)
	}
	if err := r.UpdateQuery(q); err != nil {
		return nil, err
	}
	built := q.OrderBy("created DESC").Limit(50).Build()
	rows := []struct {
		Detail string `db:"detail"`
	}{}
	if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + built.SQL()).Bind(built.Params()).All(&rows); err != nil {
		return nil, err
	}
	out := make([]string, len(rows))
	for i, row := range rows {
		out[i] = row.Detail
	}
	return out, nil
}
