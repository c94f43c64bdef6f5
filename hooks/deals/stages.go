package deals

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
)

// ApplyStage applies the stage machine to a loaded (not yet saved)
// opportunity change by user. On Pending it puts the stage back and
// records the win request; on Apply it stamps a validator's win and
// withdraws a pending request the change supersedes.
func ApplyStage(app core.App, user *core.Record, rec *core.Record) (Outcome, error) {
	orig := rec.Original()
	from, to := orig.GetString("stage"), rec.GetString("stage")
	amountChanged := orig.GetFloat("amount") != rec.GetFloat("amount")
	if from == to && !amountChanged {
		return Apply, nil
	}
	actor, err := actorOf(app, user)
	if err != nil {
		return "", err
	}
	settings, err := access.LoadSettings(app)
	if err != nil {
		return "", err
	}
	threshold := settings.WonValidationAmount
	outcome, err := Decide(actor, Change{
		From: from, To: to, Amount: rec.GetFloat("amount"), AmountChanged: amountChanged,
		LostReason: rec.GetString("lost_reason"), Threshold: threshold,
	})
	if err != nil {
		return "", dealError(err)
	}
	now := types.NowDateTime()
	uid := ""
	if user != nil {
		uid = user.Id
	}
	switch {
	case outcome == Pending:
		rec.Set("stage", from)
		rec.Set("won_pending", true)
		rec.Set("won_requested_by", uid)
		rec.Set("won_requested_at", now)
	case to == Won && from != Won:
		rec.Set("won_pending", false)
		if actor.Validator && threshold > 0 && rec.GetFloat("amount") > threshold {
			rec.Set("won_validated_by", uid)
			rec.Set("won_validated_at", now)
		}
		if rec.GetDateTime("close_date").IsZero() {
			rec.Set("close_date", now)
		}
	case to != from:
		// a new stage withdraws a win request made from the old one
		rec.Set("won_pending", false)
	}
	return outcome, nil
}

// StageInput is the body of POST /api/prm/opportunities/{id}/stage.
type StageInput struct {
	Stage      string   `json:"stage"`
	Amount     *float64 `json:"amount"`
	CloseDate  string   `json:"close_date"`
	LostReason string   `json:"lost_reason"`
}

// MoveStage changes the stage of an opportunity (and its amount, close date
// and lost reason) for a user who may update it. A win above the
// validation amount by a non-validator is stored as a pending validation
// (the stage does not change; the channel managers are notified); the
// outcome tells which.
func MoveStage(app core.App, by access.By, id string, in StageInput) (*core.Record, Outcome, error) {
	rec, err := access.ViewFor(app, by.User, "opportunities", id)
	if err != nil {
		return nil, "", err
	}
	if !Valid(in.Stage) {
		return nil, "", domain.Invalid(CodeUnknownStage, "stage", "stage must be one of "+strings.Join(Stages(), ", "))
	}
	body := map[string]any{"stage": in.Stage}
	if in.Amount != nil {
		if *in.Amount < 0 {
			return nil, "", domain.Invalid("out_of_range", "amount", "amount cannot be negative")
		}
		body["amount"] = *in.Amount
	}
	if in.CloseDate != "" {
		d, err := types.ParseDateTime(in.CloseDate)
		if err != nil || d.IsZero() {
			return nil, "", domain.Invalid("invalid_value", "close_date", "close_date must be a date such as 2026-12-31")
		}
		body["close_date"] = d
	}
	// The update rule is checked with the fields a partner may send; the
	// lost reason is part of the stage move this route offers.
	ok, err := access.CanDo(app, by.User, rec, "update", body)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", domain.Forbidden("not_allowed", "you may not change this opportunity")
	}
	reason := strings.TrimSpace(in.LostReason)
	if len([]rune(reason)) > 500 {
		return nil, "", domain.Invalid("too_long", "lost_reason", "the reason is longer than 500 characters")
	}
	if reason != "" {
		body["lost_reason"] = reason
	}
	access.LoadBody(rec, body)
	outcome, err := ApplyStage(app, by.User, rec)
	if err != nil {
		return nil, "", err
	}
	err = app.RunInTransaction(func(tx core.App) error {
		changes := audit.Diff(rec)
		if err := tx.Save(rec); err != nil {
			return err
		}
		action := "opportunity.stage"
		if outcome == Pending {
			action = "opportunity.win_requested"
			if err := NotifyWinToValidate(tx, rec, by.User); err != nil {
				return err
			}
		}
		return audit.Append(tx, by.Actor, action, "opportunities", rec.Id, changes)
	})
	if err != nil {
		return nil, "", err
	}
	return rec, outcome, nil
}
