package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/deals"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/fieldcheck"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/reports"
	"github.com/relais/relais/hooks/webhooks"

	"github.com/relais/relais/hooks/textindex"
)

// rollupPriority is 0: the rollups' and the search index's handlers are the
// only Relais handlers of the Execute events of leads, contacts and offers;
// they wrap PocketBase's own SQL write (the end of the chain), so that they
// run in its transaction.
const rollupPriority = 0

// outboxPriority is 1: the webhook outbox handler of the leads' update
// Execute event runs inside the rollups' handler, in the same transaction
// as the SQL write (webhooks.LeadWritten opens one itself otherwise).
const outboxPriority = 1

// bindRecords binds the rules that hold on every write of these records,
// whatever the path.
func bindRecords(app core.App) {
	// a private customer's name never in a lead (SPEC §3.3.3)
	app.OnRecordCreate("leads").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisPrivateLead", Func: intake.GuardPrivateLead})
	app.OnRecordUpdate("leads").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisPrivateLead", Func: intake.GuardPrivateLead})

	// a declined offer's reason is counted by code, whoever wrote it
	app.OnRecordCreate("lead_offers").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisDeclineReason", Func: distribution.CodeDeclineReason})
	app.OnRecordUpdate("lead_offers").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisDeclineReason", Func: distribution.CodeDeclineReason})

	// the report rollups, in the transaction of each lead and offer write
	for _, table := range reports.RolledUp {
		app.OnRecordCreateExecute(table).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisRollups_" + table, Priority: rollupPriority, Func: reports.RollupCreate})
		app.OnRecordUpdateExecute(table).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisRollups_" + table, Priority: rollupPriority, Func: reports.RollupUpdate})
		app.OnRecordDeleteExecute(table).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisRollups_" + table, Priority: rollupPriority, Func: reports.RollupDelete})
	}

	// the distribution counters, in the transaction of each offer and lead write
	for _, table := range distribution.CountersFollow {
		app.OnRecordCreateExecute(table).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisCounters_" + table, Priority: rollupPriority, Func: distribution.CountCreate})
		app.OnRecordUpdateExecute(table).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisCounters_" + table, Priority: rollupPriority, Func: distribution.CountUpdate})
		app.OnRecordDeleteExecute(table).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisCounters_" + table, Priority: rollupPriority, Func: distribution.CountDelete})
	}

	// the status events of an integration's leads, in the transaction of
	// each lead update (webhooks outbox)
	app.OnRecordUpdateExecute("leads").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisWebhookOutbox", Priority: outboxPriority, Func: webhooks.LeadWritten})

	// the search index, in the transaction of each lead and contact write
	for _, name := range textindex.Collections() {
		app.OnRecordCreateExecute(name).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisSearchIndex_" + name, Priority: rollupPriority, Func: textindex.Create})
		app.OnRecordUpdateExecute(name).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisSearchIndex_" + name, Priority: rollupPriority, Func: textindex.Update})
		app.OnRecordDeleteExecute(name).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisSearchIndex_" + name, Priority: rollupPriority, Func: textindex.Delete})
	}

	// a lead made ready is distributed right after the commit of its update
	app.OnRecordAfterUpdateSuccess("leads").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisDistributeReady", Func: distribution.LeadUpdated})

	// the audit log is append-only, for Go code too
	refuse := func(e *core.RecordEvent) error { return audit.ErrAppendOnly }
	app.OnRecordUpdate("audit_log").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisAuditLogAppendOnly", Func: refuse})
	app.OnRecordDelete("audit_log").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisAuditLogAppendOnly", Func: refuse})

	// duplicate keys of accounts and deal registrations (SPEC §4.2)
	app.OnRecordCreate("accounts").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisAccountKeys", Func: deals.AccountCreated})
	app.OnRecordUpdate("accounts").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisAccountKeys", Func: deals.AccountUpdated})
	app.OnRecordDelete("accounts").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisAccountKeys", Func: deals.AccountDeleted})
	app.OnRecordDelete("opportunities").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisRegistrationKeys", Func: deals.OpportunityDeleted})

	// the values of every write: clean texts, French postal codes with a
	// département, amounts within bounds (fieldcheck.Record, on the fields
	// the write changes)
	app.OnRecordValidate().Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisFieldCheck", Func: func(e *core.RecordEvent) error {
		if err := fieldcheck.Record(e.Record); err != nil {
			return err
		}
		return e.Next()
	}})

	// documents name their audience
	app.OnRecordValidate("documents").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisDocumentAudience", Func: func(e *core.RecordEvent) error {
		if err := deals.ValidateAudience(e.Record); err != nil {
			return err
		}
		return e.Next()
	}})

	// access requests: validated, pending, their approvers notified
	app.OnRecordValidate("access_requests").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisAccessRequest", Func: func(e *core.RecordEvent) error {
		if e.Record.IsNew() {
			if err := governance.ValidateRequest(e.App, e.Record); err != nil {
				return err
			}
		}
		return e.Next()
	}})
	app.OnRecordCreate("access_requests").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisAccessRequest", Func: governance.RequestCreated})
}
