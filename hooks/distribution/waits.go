package distribution

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/audit"
)

// A ready lead no partner can take (no assignment rule, or no candidate:
// a territory without an active partner, every partner at capacity) waits
// in the distribution_waits collection: since when, and when the
// distribution job tries it again. The job takes the leads that do not
// wait first, so that such leads never block the others; the board and the
// dashboard show them; their channel managers are alerted by one grouped
// notification per territory while unread (waits_notify.go).

// WaitsCollection is the collection of the leads no partner can take.
const WaitsCollection = "distribution_waits"

// RetryAfter is how long the distribution job leaves a lead no partner
// could take before it tries again (a partner may have been added or
// reactivated, or freed capacity, in between). Ingest, qualification and
// manual assignment try at once whatever the wait.
const RetryAfter = 15 * time.Minute

// ActionNoCandidate is the audit action of a lead found, for the first
// time, without a partner to take it.
const ActionNoCandidate = "lead.no_candidate"

// NotifyNoCandidate is the notification kind sent to the channel managers
// of the leads no partner can take (grouped per territory).
const NotifyNoCandidate = "lead_no_candidate"

// WaitingLeadIDsSQL selects the ids of the leads waiting for a partner; a
// trusted server-side subquery for the read path (ui board, dashboard).
const WaitingLeadIDsSQL = "SELECT lead FROM " + WaitsCollection + " WHERE reason != 'error'"

// markWaiting records that no partner can take the lead (reason: no_rule
// or no_candidate) and when to try again. The first time, in the same
// transaction, it writes one audit entry per lead and counts the lead in
// its channel managers' grouped notification; later tries only move the
// retry time.
func markWaiting(tx core.App, lead *core.Record, actor audit.Actor, reason string, now time.Time) error {
	retry := now.Add(RetryAfter).UTC().Format(types.DefaultDateLayout)
	res, err := tx.DB().Update(WaitsCollection, dbx.Params{"retry_at": retry, "reason": reason, "updated": now.UTC().Format(types.DefaultDateLayout)},
		dbx.HashExp{"lead": lead.Id}).Execute()
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	c, err := tx.FindCachedCollectionByNameOrId(WaitsCollection)
	if err != nil {
		return err
	}
	w := core.NewRecord(c)
	w.Set("lead", lead.Id)
	w.Set("since", now)
	w.Set("retry_at", retry)
	w.Set("reason", reason)
	if err := tx.Save(w); err != nil {
		return err
	}
	if err := audit.Append(tx, actor, ActionNoCandidate, "leads", lead.Id, map[string]any{"reason": reason}); err != nil {
		return err
	}
	return notifyNoCandidate(tx, lead, reason, now)
}

// delayRetry moves the next try of a lead whose distribution failed with
// an error (logged by the caller) after RetryAfter, so that a failing lead
// does not hold the job's batch either; it is not shown as waiting for a
// partner unless it already was.
func delayRetry(app core.App, leadID string, now time.Time) error {
	retry := now.Add(RetryAfter).UTC().Format(types.DefaultDateLayout)
	res, err := app.DB().Update(WaitsCollection, dbx.Params{"retry_at": retry}, dbx.HashExp{"lead": leadID}).Execute()
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	c, err := app.FindCachedCollectionByNameOrId(WaitsCollection)
	if err != nil {
		return err
	}
	w := core.NewRecord(c)
	w.Set("lead", leadID)
	w.Set("since", now)
	w.Set("retry_at", retry)
	w.Set("reason", "error")
	return app.Save(w)
}

// clearWaiting forgets that a lead waited (it is offered now).
func clearWaiting(tx core.App, leadID string) error {
	_, err := tx.DB().Delete(WaitsCollection, dbx.HashExp{"lead": leadID}).Execute()
	return err
}

// ReadyOutcome tells what the distribution did with a lead just made
// ready, for the message of the user who qualified it.
type ReadyOutcome struct {
	// Offered: the lead is offered to PartnerName.
	Offered     bool
	PartnerName string
	// Waiting: no partner can take it; its channel managers were told.
	Waiting bool
}

// OutcomeOf reads what became of a lead the caller just made ready: the
// partner it is offered to (its name only), or that it waits for a
// partner. It reads no contact and no other lead.
func OutcomeOf(app core.App, leadID string) (ReadyOutcome, error) {
	row := struct {
		Status  string `db:"status"`
		Partner string `db:"partner"`
		Waiting int    `db:"waiting"`
	}{}
	err := app.DB().NewQuery(`SELECT l.status AS status, COALESCE(p.name, '') AS partner,
		EXISTS (SELECT 1 FROM ` + WaitsCollection + ` w WHERE w.lead = l.id AND w.reason != 'error') AS waiting
		FROM leads l LEFT JOIN partners p ON p.id = l.partner WHERE l.id = {:id}`).Bind(dbx.Params{"id": leadID}).One(&row)
	if err != nil {
		return ReadyOutcome{}, err
	}
	if row.Status == "offered" {
		return ReadyOutcome{Offered: true, PartnerName: row.Partner}, nil
	}
	return ReadyOutcome{Waiting: row.Status == "ready" && row.Waiting == 1}, nil
}
