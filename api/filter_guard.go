package api

import (
	"errors"
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/filterguard"
)

// The filter guard refuses the client filters and sorts that could ask
// about records the caller's rules hide (SPEC §3.3.3; the allowed paths and
// why are in package filterguard, the decision in access.CheckClientQuery).
// It covers every place a client's filter or sort reaches PocketBase's
// resolver: the collection list API (guardListFilter), realtime
// subscription options (guardRealtimeFilters), and the export route. A
// refusal is a 400 naming the kind of path and an audit entry
// `filter.denied`.

// FilterGuardMiddlewareID identifies the middleware on the list API.
const FilterGuardMiddlewareID = "relaisFilterGuard"

// filterDenied audits a refusal and returns the API error to answer with.
func filterDenied(app core.App, actor audit.Actor, channel, collection, filter, sort string, d *filterguard.Denied) error {
	if err := access.AuditFilterDenied(app, actor, channel, collection, filter, sort, d); err != nil {
		return err
	}
	msg := FilterDeniedMessage(d)
	return apis.NewBadRequestError(msg, map[string]any{d.Param: validation.NewError("filter_denied_"+d.Code, msg)})
}

// FilterDeniedMessage is the bilingual message of a refusal. It names the
// kind of path refused, not the path: the answer does not echo the
// client's text (the audit entry keeps it).
func FilterDeniedMessage(d *filterguard.Denied) string {
	fr := map[string]string{"filter": "filtre", "sort": "tri"}[d.Param]
	if d.Code == filterguard.CodeSyntax {
		return "This " + d.Param + " cannot be parsed. / Ce " + fr + " est illisible."
	}
	return "This " + d.Param + " is not allowed: a path " + d.Reason + " (see README, \"Client filters\"). / Ce " + fr +
		" n'est pas autorisé : un chemin " + frenchReasons[d.Code] + "."
}

var frenchReasons = map[string]string{
	filterguard.CodeSyntax:       "ne se lit pas",
	filterguard.CodeBackRelation: "passe par une relation inverse (_via_), interdite aux filtres clients",
	filterguard.CodeCollection:   "joint une autre collection (@collection), interdit aux filtres clients",
	filterguard.CodeRequest:      "lit des données de la requête (@request), interdit aux filtres clients",
	filterguard.CodeUnknown:      "n'est pas un champ de cette collection",
	filterguard.CodeHidden:       "n'est pas filtrable",
	filterguard.CodeMultiHop:     "passe par une relation multiple, interdite aux filtres clients",
	filterguard.CodeDepth:        "va au-delà d'une relation",
	filterguard.CodeModifier:     "utilise un modificateur non autorisé ici",
	filterguard.CodeFunction:     "appelle une fonction inconnue",
}

// guardListFilter refuses, on the collection list API, a client filter or
// sort the caller may not send (access.CheckClientQuery): 400 and an
// audit entry. Superusers send anything.
func guardListFilter(e *core.RequestEvent) error {
	if e.Request.Method != http.MethodGet || (e.Auth != nil && e.Auth.IsSuperuser()) {
		return e.Next()
	}
	mm := listPath.FindStringSubmatch(e.Request.URL.Path)
	if mm == nil {
		return e.Next()
	}
	q := e.Request.URL.Query()
	filter, sort := q.Get("filter"), q.Get("sort")
	err := access.CheckClientQuery(e.App, e.Auth, mm[1], filter, sort)
	var d *filterguard.Denied
	if errors.As(err, &d) {
		return filterDenied(e.App, audit.ActorOf(e), "rest", mm[1], filter, sort, d)
	}
	// an unknown collection is PocketBase's 404 to give
	return e.Next()
}

// guardRealtimeFilters refuses a realtime subscription whose options hold
// a filter or a sort the caller may not send, topic by topic (a refused
// topic refuses the whole request).
func guardRealtimeFilters(e *core.RealtimeSubscribeRequestEvent) error {
	if e.Auth != nil && e.Auth.IsSuperuser() {
		return e.Next()
	}
	for _, sub := range e.Subscriptions {
		collection, filter, sort := subscriptionQuery(sub)
		err := access.CheckClientQuery(e.App, e.Auth, collection, filter, sort)
		var d *filterguard.Denied
		if errors.As(err, &d) {
			return filterDenied(e.App, audit.ActorOf(e.RequestEvent), "realtime", collection, filter, sort, d)
		}
	}
	return e.Next()
}

// subscriptionQuery extracts the collection and the filter and sort of a
// record subscription topic (`collection/*?options={"query":{"filter":…}}`,
// `collection/ID?options=…`, or the deprecated `collection?options=…`),
// parsed by PocketBase's own subscription client so that the guard reads
// exactly what the broadcast will use. The collection is what precedes the
// first "/" or "?": PocketBase delivers a record event to the subscriptions
// that start with "name/", "id/", "name?" or "id?".
func subscriptionQuery(topic string) (collection, filter, sort string) {
	collection = topic
	if i := strings.IndexAny(topic, "/?"); i >= 0 {
		collection = topic[:i]
	}
	c := subscriptions.NewDefaultClient()
	c.Subscribe(topic)
	for _, opts := range c.Subscriptions() {
		filter, sort = opts.Query["filter"], opts.Query["sort"]
	}
	return collection, filter, sort
}
