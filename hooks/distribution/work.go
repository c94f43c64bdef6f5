package distribution

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/lifecycle"
)

// CheckLeadUpdate applies the lifecycle to a lead update by a user, for the
// REST API and the UI alike: allowed status transitions per role, outcome
// requirements for won/lost, the score threshold for `ready`, closed_at.
func CheckLeadUpdate(app core.App, user *core.Record, lead *core.Record) error {
	from, to := lead.Original().GetString("status"), lead.GetString("status")
	if from == to {
		return nil
	}
	if user != nil && user.Collection().Name == "users" {
		kind, err := access.RoleKindOf(app, user)
		if err != nil {
			return err
		}
		if err := lifecycle.CanTransition(user.GetString("role"), kind, from, to); err != nil {
			code := "transition_not_allowed"
			if te, ok := err.(interface{ Code() string }); ok {
				code = te.Code()
			}
			return domain.Invalid(code, "status", err.Error())
		}
	}
	if err := lifecycle.RequireOutcome(to, lead.GetFloat("won_amount"), lead.GetString("lost_reason")); err != nil {
		field := "status"
		if oe, ok := err.(*lifecycle.OutcomeError); ok {
			field = map[string]string{"amount": "won_amount", "reason": "lost_reason"}[oe.Field]
		}
		return domain.Invalid("outcome_required", field, err.Error())
	}
	if to == "ready" && !lead.GetBool("forced") {
		settings, err := access.LoadSettings(app)
		if err != nil {
			return err
		}
		if lead.GetInt("score") < settings.ScoreThreshold {
			return domain.Invalid("below_threshold", "score", "a lead becomes ready when its score reaches the threshold")
		}
	}
	if lifecycle.Closed(to) {
		lead.Set("closed_at", time.Now())
	}
	return nil
}

// LeadUpdated distributes a lead that an update just made ready (from
// another status, not held), whatever the write path (REST, UI, Go code):
// it is bound to the lead's after-update-success event, which PocketBase
// runs once the transaction of the update committed, with the app outside
// that transaction, so the distribution sees the committed qualification
// and runs in its own transaction, before the request that qualified the
// lead returns. A failure is logged, not returned (the update committed):
// the distribution job tries again.
//
// The lead is distributed only if it is still ready once committed: a
// decline or an expiry also saves a lead as ready, then offers it again or
// returns it to the pool in the same transaction.
func LeadUpdated(e *core.RecordEvent) error {
	if becameReady(e.Record) {
		_, err := candidates(e.App) // loaded before the writer is taken
		if err != nil {
			e.App.Logger().Error("distribution failed", "lead", e.Record.Id, "error", err)
			return e.Next()
		}
		err = e.App.RunInTransaction(func(tx core.App) error {
			lead, err := tx.FindRecordById("leads", e.Record.Id)
			if err != nil || lead.GetString("status") != lifecycle.StatusReady {
				return err
			}
			_, err = Distribute(tx, lead.Id, audit.SystemActor("distribution"), time.Now())
			return err
		})
		if err != nil {
			e.App.Logger().Error("distribution failed", "lead", e.Record.Id, "error", err)
		}
	}
	return e.Next()
}

// becameReady reports whether a saved lead moved to ready from another
// status and is not held for the channel manager.
func becameReady(lead *core.Record) bool {
	return lead.GetString("status") == lifecycle.StatusReady && !lead.GetBool("held") &&
		lead.Original().GetString("status") != lifecycle.StatusReady
}

// DistributeNow offers a lead to the next partner at once, in its own
// transaction (Distribute, as the distribution job would).
func DistributeNow(app core.App, leadID string) error {
	if _, err := candidates(app); err != nil { // loaded before the writer is taken
		return err
	}
	return app.RunInTransaction(func(tx core.App) error {
		_, err := Distribute(tx, leadID, audit.SystemActor("distribution"), time.Now())
		return err
	})
}

// PrepareActivity makes the author the current user.
func PrepareActivity(user *core.Record, a *core.Record) {
	if user != nil && user.Collection().Name == "users" {
		a.Set("author", user.Id)
	}
	if a.GetString("at") == "" {
		a.Set("at", time.Now())
	}
}

// jobBudget bounds the time one run of the distribution job spends
// offering leads; what is left waits for the next run.
const jobBudget = 40 * time.Second

// jobBatch is how many ready leads the job reads at a time.
const jobBatch = 200

// ReadyQueueSQL selects the next ready leads for the distribution job:
// those that do not wait for a partner first, then those whose retry time
// came, oldest first. It walks the partial index idx_leads_ready_queue
// (migration 1763800910: same status and held terms), named explicitly:
// without statistics SQLite prefers idx_leads_status, which also holds
// the held leads.
const ReadyQueueSQL = `SELECT l.id AS id FROM leads l INDEXED BY idx_leads_ready_queue LEFT JOIN ` + WaitsCollection + ` w ON w.lead = l.id
	WHERE l.status = 'ready' AND l.held = 0 AND (l.score >= {:t} OR l.forced = 1) AND (w.retry_at IS NULL OR w.retry_at <= {:now})
	ORDER BY w.retry_at IS NOT NULL, l.created LIMIT {:n}`

// DistributePending offers the ready leads that have no pending offer
// (ingested in batches, qualified, or left without a candidate earlier),
// batch after batch until none is due or the run's budget is spent. A lead
// no partner can take is marked waiting (markWaiting) and a lead whose
// distribution fails is put off (delayRetry): neither comes back before
// RetryAfter, so they never hold the leads behind them.
func DistributePending(app core.App, now time.Time) (int, error) {
	settings, err := access.LoadSettings(app)
	if err != nil {
		return 0, err
	}
	start, n, seen := time.Now(), 0, map[string]bool{}
	for time.Since(start) < jobBudget {
		rows := []struct {
			ID string `db:"id"`
		}{}
		err = app.DB().NewQuery(ReadyQueueSQL).Bind(dbx.Params{"t": settings.ScoreThreshold, "now": now.UTC().Format(types.DefaultDateLayout), "n": jobBatch}).All(&rows)
		if err != nil {
			return n, err
		}
		fresh := 0
		for _, r := range rows {
			if seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			fresh++
			if offered := distributeOne(app, r.ID, now); offered {
				n++
			}
		}
		if fresh == 0 || len(rows) < jobBatch {
			return n, nil
		}
	}
	return n, nil
}

// distributeOne runs Distribute for one lead of the job in its own
// transaction; an error is logged and the lead put off.
func distributeOne(app core.App, leadID string, now time.Time) bool {
	offered := false
	err := jobTx(app, func(tx core.App) error {
		res, err := Distribute(tx, leadID, audit.SystemActor("distribution"), now)
		offered = res.Offered
		return err
	})
	if err != nil {
		app.Logger().Error("distributing a lead failed", "lead", leadID, "error", err)
		if err := delayRetry(app, leadID, now); err != nil {
			app.Logger().Error("putting off a lead failed", "lead", leadID, "error", err)
		}
		return false
	}
	return offered
}

// AtIngest offers a ready lead in the transaction that ingests it
// (intake.Distributor): the candidates' cache is loaded before the writer
// is taken, then Distribute runs in the ingest's transaction.
type AtIngest struct{}

// Prepare loads the candidates' cache outside the writer.
func (AtIngest) Prepare(app core.App) error {
	_, err := candidates(app)
	return err
}

// Distribute offers the lead (Distribute, as the distribution job would).
func (AtIngest) Distribute(tx core.App, leadID string) error {
	_, err := Distribute(tx, leadID, audit.SystemActor("distribution"), time.Now())
	return err
}
