package api

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/intake"
)

// The request hooks of PocketBase's record API (create, update, delete
// through /api/collections/{collection}/records): each applies to the REST
// API the domain checks the Go write path (writepath) applies to the UI.
// Register binds them with their priorities: the relation guard first,
// then these checks (which derive fields), then the audit wrapper, so that
// the audited diff holds what the checks derive.

// checkLeadUpdate applies the lead lifecycle to a REST update
// (distribution.CheckLeadUpdate). A lead that became ready is distributed
// right after the commit by the model hook every write path shares
// (distribution.LeadUpdated), before this request returns.
func checkLeadUpdate(e *core.RecordRequestEvent) error {
	if err := distribution.CheckLeadUpdate(e.App, e.Auth, e.Record); err != nil {
		return APIError(e.RequestEvent, err)
	}
	return e.Next()
}

// prepareLead fills the derived fields of a lead created through the REST
// API (intake.PrepareLead).
func prepareLead(e *core.RecordRequestEvent) error {
	if err := intake.PrepareLead(e.App, e.Auth, e.Record); err != nil {
		return APIError(e.RequestEvent, err)
	}
	return e.Next()
}

// prepareAccount completes an account created through the REST API:
// owner or partner, place, conflict check (deals.PrepareAccount); a
// partner user's conflict is reported once the account is saved.
func prepareAccount(e *core.RecordRequestEvent) error {
	c, err := deals.PrepareAccount(e.App, e.Auth, e.Record)
	if err != nil {
		return APIError(e.RequestEvent, err)
	}
	if err := e.Next(); err != nil {
		return err
	}
	return deals.ReportAccountConflict(e.App, e.Auth, e.Record, c)
}

// checkAccountUpdate runs the conflict check of a REST update of an
// account (deals.CheckAccountConflict).
func checkAccountUpdate(e *core.RecordRequestEvent) error {
	c, err := deals.CheckAccountConflict(e.App, e.Auth, e.Record)
	if err != nil {
		return APIError(e.RequestEvent, err)
	}
	if err := e.Next(); err != nil {
		return err
	}
	return deals.ReportAccountConflict(e.App, e.Auth, e.Record, c)
}

// prepareActivity makes the caller the author of an activity.
func prepareActivity(e *core.RecordRequestEvent) error {
	distribution.PrepareActivity(e.Auth, e.Record)
	return e.Next()
}

// prepareOpportunity completes an opportunity created through the REST API
// (deals.PrepareOpportunity).
func prepareOpportunity(e *core.RecordRequestEvent) error {
	if err := deals.PrepareOpportunity(e.App, e.Auth, e.Record); err != nil {
		return APIError(e.RequestEvent, err)
	}
	return e.Next()
}

// applyStage applies the stage machine to a REST update of an opportunity
// (deals.ApplyStage); a win waiting for a validator notifies the
// validators in the transaction of the save.
func applyStage(e *core.RecordRequestEvent) error {
	outcome, err := deals.ApplyStage(e.App, e.Auth, e.Record)
	if err != nil {
		return APIError(e.RequestEvent, err)
	}
	if outcome != deals.Pending {
		return e.Next()
	}
	orig := e.App // restored for what runs after the commit (see auditRecordRequest)
	defer func() { e.App = orig }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		return deals.NotifyWinToValidate(tx, e.Record, e.Auth)
	})
}

// auditRecordRequest records a REST create, update or delete (verb) of a
// business collection (audit.Collections) in the same transaction as the
// change, with its field diff (audit.Diff).
func auditRecordRequest(verb string) func(e *core.RecordRequestEvent) error {
	return func(e *core.RecordRequestEvent) error {
		// The write runs in the transaction, but the event outlives it:
		// PocketBase sends the answer and runs the after-success hooks with
		// the event's App once this hook returns. Give them back the app
		// they came with.
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

// refuseAuditLogRequest answers 403 to any create, update or delete of an
// audit entry through the API, superusers included.
func refuseAuditLogRequest(e *core.RecordRequestEvent) error {
	return e.ForbiddenError(audit.ErrAppendOnly.Error(), nil)
}
