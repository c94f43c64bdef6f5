package access

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/rulespec"
)

// ListsEvery reports whether auth may list every record of a collection:
// a superuser, an empty list rule, or a rule that passes every record for
// this caller (SpecializeRule's Always: an admin's leads). A count of
// such a list needs no record read, and a list of it no rule's join.
func ListsEvery(app core.App, auth *core.Record, collection string) (bool, error) {
	if auth != nil && auth.IsSuperuser() {
		return true, nil
	}
	coll, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil || coll.ListRule == nil {
		return false, err
	}
	if *coll.ListRule == "" {
		return true, nil
	}
	if auth == nil {
		return false, nil
	}
	rule, err := SpecializeRule(app, auth, coll, *coll.ListRule, time.Now())
	return err == nil && rule.Outcome == rulespec.Always, err
}
