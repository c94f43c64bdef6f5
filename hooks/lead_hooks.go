package hooks

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/intake"
	"github.com/relais/relais/hooks/lifecycle"
)

// checkLeadUpdate applies the lifecycle to a lead update by a user, for the
// REST API and the UI alike: allowed status transitions per role, outcome
// requirements for won/lost, the score threshold for `ready`, closed_at.
func checkLeadUpdate(app core.App, user *core.Record, lead *core.Record) error {
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

// afterLeadSaved distributes a lead that just became ready.
func afterLeadSaved(app core.App, lead *core.Record) {
	if lead.GetString("status") != "ready" || lead.GetBool("held") {
		return
	}
	if err := app.RunInTransaction(func(tx core.App) error {
		_, err := Distribute(tx, lead.Id, audit.SystemActor("distribution"), time.Now())
		return err
	}); err != nil {
		app.Logger().Error("distribution failed", "lead", lead.Id, "error", err)
	}
}

// bindLeadHooks applies the lifecycle to REST changes of leads and
// activities, and schedules the jobs (they run under serve only).
func bindLeadHooks(app core.App) {
	app.OnRecordUpdateRequest("leads").BindFunc(func(e *core.RecordRequestEvent) error {
		if err := checkLeadUpdate(e.App, e.Auth, e.Record); err != nil {
			return APIError(e.RequestEvent, err)
		}
		if err := e.Next(); err != nil {
			return err
		}
		afterLeadSaved(e.App, e.Record)
		return nil
	})
	app.OnRecordCreateRequest("leads").BindFunc(func(e *core.RecordRequestEvent) error {
		if err := intake.PrepareLead(e.App, e.Auth, e.Record); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordCreateRequest("activities").BindFunc(func(e *core.RecordRequestEvent) error {
		prepareActivity(e.Auth, e.Record)
		return e.Next()
	})

	app.Cron().MustAdd("relais_offers", "* * * * *", func() {
		now := time.Now()
		if n, err := ExpireOffers(app, now); err != nil {
			app.Logger().Error("offer expiry job failed", "error", err)
		} else if n > 0 {
			app.Logger().Info("offers expired", "count", n)
		}
		if n, err := DistributePending(app, now); err != nil {
			app.Logger().Error("distribution job failed", "error", err)
		} else if n > 0 {
			app.Logger().Info("leads offered", "count", n)
		}
	})
}

// prepareActivity makes the author the current user.
func prepareActivity(user *core.Record, a *core.Record) {
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
