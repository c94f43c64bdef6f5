package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
)

// bindAudit protects the log and records API changes of business
// collections in the same transaction as the change.
func bindAudit(app core.App) {
	refuse := func(e *core.RecordEvent) error { return audit.ErrAppendOnly }
	app.OnRecordUpdate("audit_log").BindFunc(refuse)
	app.OnRecordDelete("audit_log").BindFunc(refuse)
	refuseReq := func(e *core.RecordRequestEvent) error { return e.ForbiddenError(audit.ErrAppendOnly.Error(), nil) }
	app.OnRecordCreateRequest("audit_log").BindFunc(refuseReq)
	app.OnRecordUpdateRequest("audit_log").BindFunc(refuseReq)
	app.OnRecordDeleteRequest("audit_log").BindFunc(refuseReq)

	wrap := func(verb string) func(e *core.RecordRequestEvent) error {
		return func(e *core.RecordRequestEvent) error {
			// the event goes back to PocketBase after the commit: restore
			// its app (see bindRollups)
			orig := e.App
			defer func() { e.App = orig }()
			return e.App.RunInTransaction(func(tx core.App) error {
				e.App = tx
				var changes map[string]any
				if verb != "delete" {
					changes = audit.Diff(e.Record)
				}
				if err := e.Next(); err != nil {
					return err
				}
				return audit.Append(tx, audit.ActorOf(e.RequestEvent), audit.Action(e.Collection.Name, verb, changes), e.Collection.Name, e.Record.Id, changes)
			})
		}
	}
	for _, c := range audit.Collections {
		app.OnRecordCreateRequest(c).BindFunc(wrap("create"))
		app.OnRecordUpdateRequest(c).BindFunc(wrap("update"))
		app.OnRecordDeleteRequest(c).BindFunc(wrap("delete"))
	}
}
