package governance

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
)

// The quarterly review campaign: one item per user, decided by the admins.

// ReviewPeriod names the quarter of t ("2026-Q2").
func ReviewPeriod(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
}

// OpenReviewCampaign opens the review campaign of the quarter of now, with
// one item per user holding the review row as effective_access, and
// writes one access_reviews.open entry. It does nothing (created=false)
// when the quarter already has a campaign. Superusers are not items (they
// are not users) but appear in AccessReview and in the audit entry.
func OpenReviewCampaign(app core.App, now time.Time) (review *core.Record, created bool, err error) {
	period := ReviewPeriod(now)
	if r, err := app.FindFirstRecordByFilter("access_reviews", "period = {:p}", dbx.Params{"p": period}); err == nil {
		return r, false, nil
	}
	rows, err := AccessReview(app, now)
	if err != nil {
		return nil, false, err
	}
	err = app.RunInTransaction(func(tx core.App) error {
		if _, err := tx.FindFirstRecordByFilter("access_reviews", "period = {:p}", dbx.Params{"p": period}); err == nil {
			return errSkip
		}
		rc, err := tx.FindCachedCollectionByNameOrId("access_reviews")
		if err != nil {
			return err
		}
		ic, err := tx.FindCachedCollectionByNameOrId("access_review_items")
		if err != nil {
			return err
		}
		review = core.NewRecord(rc)
		review.Set("name", "Revue des accès / Access review "+period)
		review.Set("period", period)
		review.Set("status", "open")
		review.Set("opened_at", now)
		if err := tx.Save(review); err != nil {
			return err
		}
		items := 0
		var supers []string
		for _, row := range rows {
			if row.Account != "user" {
				supers = append(supers, row.ID)
				continue
			}
			it := core.NewRecord(ic)
			it.Set("review", review.Id)
			it.Set("user", row.ID)
			it.Set("effective_access", row)
			if err := tx.Save(it); err != nil {
				return err
			}
			items++
		}
		return audit.Append(tx, audit.SystemActor("access-review"), ActionReviewOpen, "access_reviews", review.Id,
			map[string]any{"period": period, "items": items, "superusers": supers})
	})
	if errors.Is(err, errSkip) {
		r, ferr := app.FindFirstRecordByFilter("access_reviews", "period = {:p}", dbx.Params{"p": period})
		return r, false, ferr
	}
	if err != nil {
		return nil, false, err
	}
	return review, true, nil
}

// reviewDecisions are the decisions of a review item.
var reviewDecisions = []string{"keep", "revoke", "change"}

// DecideReviewItem records a reviewer's decision on one item of an open
// campaign: keep, revoke (the account is deactivated at once — its
// sessions end — and its running grants end) or change (a note says what
// to change; the admin then edits the account). Only admins and
// superusers review; nobody reviews their own account; a decided item
// cannot be decided again. The last decision closes the campaign. One
// access_review_items.decide entry is written, in the same transaction.
func DecideReviewItem(app core.App, reviewer *core.Record, by audit.Actor, itemID, decision, note string, now time.Time) error {
	if !IsAdmin(app, reviewer) {
		return domain.ErrForbidden
	}
	if !slices.Contains(reviewDecisions, decision) {
		return domain.Errorf(domain.KindInvalid, "invalid_decision", "decision", "decision must be keep, revoke or change")
	}
	if decision == "change" && strings.TrimSpace(note) == "" {
		return domain.Errorf(domain.KindInvalid, "note_required", "note", "a change decision needs a note saying what to change")
	}
	return app.RunInTransaction(func(tx core.App) error {
		item, err := tx.FindRecordById("access_review_items", itemID)
		if err != nil {
			return domain.MissingAsNotVisible(err)
		}
		review, err := tx.FindRecordById("access_reviews", item.GetString("review"))
		if err != nil {
			return domain.MissingAsNotVisible(err)
		}
		if review.GetString("status") != "open" {
			return domain.Errorf(domain.KindConflict, "review_closed", "", "this review campaign is closed")
		}
		if item.GetString("decision") != "" {
			return domain.Errorf(domain.KindConflict, "already_decided", "", "this item has already been decided")
		}
		userID := item.GetString("user")
		if !reviewer.IsSuperuser() && userID == reviewer.Id {
			return domain.Errorf(domain.KindForbidden, "own_review", "", "nobody reviews their own access")
		}
		item.Set("decision", decision)
		if !reviewer.IsSuperuser() {
			item.Set("reviewer", reviewer.Id)
		}
		item.Set("decided_at", now)
		item.Set("note", note)
		if err := tx.Save(item); err != nil {
			return err
		}
		changes := map[string]any{"review": review.Id, "user": userID, "decision": decision, "note": note}
		if decision == "revoke" {
			deactivated, ended, err := revokeAccess(tx, userID, now)
			if err != nil {
				return err
			}
			changes["deactivated"], changes["grants_ended"] = deactivated, ended
		}
		var open int
		if err := tx.DB().NewQuery("SELECT COUNT(*) FROM access_review_items WHERE review = {:r} AND decision = ''").
			Bind(dbx.Params{"r": review.Id}).Row(&open); err != nil {
			return err
		}
		if open == 0 {
			review.Set("status", "closed")
			review.Set("closed_at", now)
			if err := tx.Save(review); err != nil {
				return err
			}
			changes["review_closed"] = true
		}
		return audit.Append(tx, by, ActionReviewDecide, "access_review_items", item.Id, changes)
	})
}

// revokeAccess deactivates a user (the users hook rotates the token key)
// and ends their running grants.
func revokeAccess(tx core.App, userID string, now time.Time) (deactivated bool, ended []string, err error) {
	u, err := tx.FindRecordById("users", userID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil, nil // the account is gone: nothing left to revoke
	}
	if err != nil {
		return false, nil, err // a revoke that cannot read the account must not be recorded as done
	}
	if u.GetBool("active") {
		u.Set("active", false)
		if err := tx.Save(u); err != nil {
			return false, nil, err
		}
		deactivated = true
	}
	grants, err := tx.FindAllRecords("grants", dbx.NewExp("user = {:u} AND ended_at = '' AND expires > {:now}",
		dbx.Params{"u": userID, "now": now.UTC().Format(types.DefaultDateLayout)}))
	if err != nil {
		return deactivated, nil, err
	}
	ended = []string{}
	for _, g := range grants {
		g.Set("expires", now)
		g.Set("ended_at", now)
		if err := tx.Save(g); err != nil {
			return deactivated, nil, err
		}
		ended = append(ended, g.Id)
	}
	return deactivated, ended, nil
}
