package api

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
)

// ListRulesMiddlewareID identifies the middleware.
const ListRulesMiddlewareID = "relaisListRules"

// specializeListRule makes PocketBase's own list handler (recordsList) run
// a REST list of a collection with the ListRule specialized for the caller
// (access.SpecializeRule): an admin's rule becomes `1 = 1`, a partner's
// `partner = '<id>'`, so the list needs no join of the users, partners
// and territories tables and no SELECT DISTINCT. The handler itself is
// unchanged: it parses page, perPage, sort, filter, skipTotal, expand and
// fields, checks the superuser-only fields and the rate limits, runs the
// list request hooks and the enrichment, throttles empty filtered results
// and answers with its JSON. Only the collection it looks up for this one
// request carries the caller's rule (ruleApp); the rows are the same by
// construction and by the differential test (list_rules_test.go in hooks).
// Guests, superusers and collections without a ListRule go through as they
// are.
func specializeListRule(e *core.RequestEvent) error {
	if e.Request.Method != http.MethodGet || e.Auth == nil || e.Auth.IsSuperuser() || !access.RuleSpecializationOn(e.App) {
		return e.Next()
	}
	mm := listPath.FindStringSubmatch(e.Request.URL.Path)
	if mm == nil {
		return e.Next()
	}
	coll, err := e.App.FindCachedCollectionByNameOrId(mm[1])
	if err != nil || coll.ListRule == nil || *coll.ListRule == "" {
		// PocketBase's 404 or 403, or a rule with nothing to specialize
		return e.Next()
	}
	rule, err := access.SpecializeRule(e.App, e.Auth, coll, *coll.ListRule, time.Now())
	if err != nil {
		return err
	}
	special := *coll
	filter := rule.FilterText()
	special.ListRule = &filter
	app := e.App
	e.App = &ruleApp{App: app, coll: &special}
	defer func() { e.App = app }()
	return e.Next()
}

// ruleApp is the app of one list request: the listed collection, looked up
// by its name or id, carries the caller's specialized ListRule; everything
// else is the app itself.
type ruleApp struct {
	core.App
	coll *core.Collection
}

// FindCachedCollectionByNameOrId implements core.App.
func (a *ruleApp) FindCachedCollectionByNameOrId(nameOrId string) (*core.Collection, error) {
	if nameOrId == a.coll.Name || nameOrId == a.coll.Id {
		return a.coll, nil
	}
	return a.App.FindCachedCollectionByNameOrId(nameOrId)
}
