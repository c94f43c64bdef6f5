package api

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/governance"
)

// truncatePattern is the route of PocketBase's collection truncation, which
// has no request hook of its own.
const truncatePattern = http.MethodDelete + " /api/collections/{collection}/truncate"

// The collection guard governs what superusers may do to collections
// through the API (`/_/`): changes of governed collections' rules or
// schema, their deletion or truncation, and imports that would do any of
// these are refused with 400 and audited (collection.denied); every other
// collection change through the API is audited (which keys changed, never
// values: auth collections hold secrets in their options). The decisions
// are governance.CollectionGuard's; Register binds its model hooks and
// these request hooks.

// guardCollectionRequest runs a collection create, update or delete
// request through the guard.
func guardCollectionRequest(g *governance.CollectionGuard, op, action string) func(e *core.CollectionRequestEvent) error {
	return func(e *core.CollectionRequestEvent) error {
		return runCollectionRequest(g, e.RequestEvent, op, action, e.Collection.Name, nil, e.Next)
	}
}

// guardCollectionsImport runs a collections import through the guard.
func guardCollectionsImport(g *governance.CollectionGuard) func(e *core.CollectionsImportRequestEvent) error {
	return func(e *core.CollectionsImportRequestEvent) error {
		return runCollectionRequest(g, e.RequestEvent, "import", governance.ActionCollectionsImport, "", map[string]any{"deleteMissing": e.DeleteMissing}, e.Next)
	}
}

// guardTruncate refuses the truncation of a governed collection and audits
// the others'. Truncation deletes the records one by one in Go, outside
// the record API (no rules, no per-record audit), and has no request hook
// of its own: this router middleware runs after the superuser check (and
// its IP allow-list) so that only superusers reach it.
func guardTruncate(g *governance.CollectionGuard) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if e.Request.Pattern != truncatePattern || !e.HasSuperuserAuth() {
			return e.Next()
		}
		c, err := e.App.FindCachedCollectionByNameOrId(e.Request.PathValue("collection"))
		if err != nil {
			return e.Next() // the handler answers 404
		}
		if g.Governed(c.Name) {
			return denyCollection(e, "truncate", governance.TruncateDenial(c.Name))
		}
		// the entry first: the handler answers 204 as soon as it is done
		app := e.App
		err = app.RunInTransaction(func(tx core.App) error {
			e.App = tx
			if err := governance.AuditTruncate(tx, audit.ActorOf(e), c.Name); err != nil {
				return err
			}
			return e.Next()
		})
		e.App = app
		return err
	}
}

// runCollectionRequest runs a collection API request through the guard
// (governance.CollectionGuard.Run) and answers a refused change with 400,
// audited.
func runCollectionRequest(g *governance.CollectionGuard, e *core.RequestEvent, op, action, subject string, extra map[string]any, next func() error) error {
	app := e.App
	d, err := g.Run(app, audit.ActorOf(e), action, subject, extra, func(tx core.App) error {
		e.App = tx
		return next()
	})
	e.App = app
	if d != nil {
		return denyCollection(e, op, d)
	}
	return err
}

// denyCollection audits a refusal and answers it.
func denyCollection(e *core.RequestEvent, op string, d *governance.CollectionDenial) error {
	if err := governance.AuditDenial(e.App, audit.ActorOf(e), op, d); err != nil {
		return err
	}
	return e.BadRequestError(d.Message(), d.Data())
}
