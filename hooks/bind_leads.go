package hooks

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/intake"
)

// bindLeadHooks applies the lifecycle to REST changes of leads and
// activities, and schedules the jobs (they run under serve only).
func bindLeadHooks(app core.App) {
	app.OnRecordUpdateRequest("leads").BindFunc(func(e *core.RecordRequestEvent) error {
		if err := distribution.CheckLeadUpdate(e.App, e.Auth, e.Record); err != nil {
			return APIError(e.RequestEvent, err)
		}
		if err := e.Next(); err != nil {
			return err
		}
		distribution.AfterLeadSaved(e.App, e.Record)
		return nil
	})
	app.OnRecordCreateRequest("leads").BindFunc(func(e *core.RecordRequestEvent) error {
		if err := intake.PrepareLead(e.App, e.Auth, e.Record); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnRecordCreateRequest("activities").BindFunc(func(e *core.RecordRequestEvent) error {
		distribution.PrepareActivity(e.Auth, e.Record)
		return e.Next()
	})

	app.Cron().MustAdd("relais_offers", "* * * * *", func() {
		now := time.Now()
		if n, err := distribution.ExpireOffers(app, now); err != nil {
			app.Logger().Error("offer expiry job failed", "error", err)
		} else if n > 0 {
			app.Logger().Info("offers expired", "count", n)
		}
		if n, err := distribution.DistributePending(app, now); err != nil {
			app.Logger().Error("distribution job failed", "error", err)
		} else if n > 0 {
			app.Logger().Info("leads offered", "count", n)
		}
	})
}
