package access

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/filterguard"
)

// The filter guard's glue (SPEC §3.3.3; the allowed paths and why are in
// package filterguard): which client filters and sorts a caller may send,
// and the audit entry of a refusal. It covers every place a client's
// filter or sort reaches PocketBase's resolver: the collection list API and
// realtime subscriptions (bound by the api package) and ListFor (the
// export route, the UI).

// ActionFilterDenied is the audit action of a refused filter or sort.
const ActionFilterDenied = "filter.denied"

// CheckClientQuery returns nil when auth may send filter and sort to a list
// of collection, a *filterguard.Denied otherwise. Superusers may send
// anything.
func CheckClientQuery(app core.App, auth *core.Record, collection, filter, sort string) error {
	if auth != nil && auth.IsSuperuser() {
		return nil
	}
	if strings.TrimSpace(filter) == "" && strings.TrimSpace(sort) == "" {
		return nil
	}
	coll, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return err
	}
	lookup := func(nameOrID string) *core.Collection {
		c, err := app.FindCachedCollectionByNameOrId(nameOrID)
		if err != nil {
			return nil
		}
		return c
	}
	return filterguard.Check(coll, lookup, filter, sort)
}

// AuditFilterDenied records a refused filter or sort (filter.denied): the
// channel (rest, realtime, export), the collection, the refused path and
// parameter, and the masked query (audit.ClientQuery).
func AuditFilterDenied(app core.App, actor audit.Actor, channel, collection, filter, sort string, d *filterguard.Denied) error {
	changes := audit.ClientQuery(filter, sort)
	changes["channel"], changes["param"], changes["path"], changes["code"] = channel, d.Param, d.Path, d.Code
	return audit.Append(app, actor, ActionFilterDenied, collection, "", changes)
}
