package distribution

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

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

// AfterLeadSaved distributes a lead that just became ready (a failure is
// logged: the distribution job tries again).
func AfterLeadSaved(app core.App, lead *core.Record) {
	if lead.GetString("status") != lifecycle.StatusReady || lead.GetBool("held") {
		return
	}
	if err := DistributeNow(app, lead.Id); err != nil {
		app.Logger().Error("distribution failed", "lead", lead.Id, "error", err)
	}
}

// DistributeNow offers a lead to the next partner at once, in its own
// transaction (Distribute, as the distribution job would).
func DistributeNow(app core.App, leadID string) error {
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

// DistributePending offers the ready leads that have no pending offer
// (ingested in batches, qualified, or left without a candidate earlier).
func DistributePending(app core.App, now time.Time) (int, error) {
	rows := []struct {
		ID string `db:"id"`
	}{}
	settings, err := access.LoadSettings(app)
	if err != nil {
		return 0, err
	}
	err = app.DB().NewQuery(`SELECT id FROM leads WHERE status = 'ready' AND held = 0 AND (score >= {:t} OR forced = 1)
		ORDER BY created LIMIT 200`).Bind(dbx.Params{"t": settings.ScoreThreshold}).All(&rows)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		err := app.RunInTransaction(func(tx core.App) error {
			res, err := Distribute(tx, r.ID, audit.SystemActor("distribution"), now)
			if res.Offered {
				n++
			}
			return err
		})
		if err != nil {
			app.Logger().Error("distributing a lead failed", "lead", r.ID, "error", err)
		}
	}
	return n, nil
}
