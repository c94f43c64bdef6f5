package hooks

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/governance"
)

// bindGovernance binds the governance hooks, routes and (under serve) cron
// jobs.
func bindGovernance(app core.App) {

	bindAuthAudit(app)
	bindAccessRequests(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		governanceRoutes(se)
		// Cron jobs run only under `serve` (se.Server is nil when tests
		// build the router without a server).
		if se.Server != nil {
			se.App.Cron().MustAdd(governance.SuspensionsCronID, "*/5 * * * *", func() {
				rep, err := governance.RunSuspensions(se.App, time.Now())
				if err != nil {
					se.App.Logger().Error("automatic suspension", "error", err)
				}
				if !rep.Empty() {
					se.App.Logger().Info("automatic suspension", "report", rep)
				}
			})
			se.App.Cron().MustAdd(governance.AccessReviewCronID, "0 6 1 1,4,7,10 *", func() {
				review, created, err := governance.OpenReviewCampaign(se.App, time.Now())
				if err != nil {
					se.App.Logger().Error("access review campaign", "error", err)
				} else if created {
					se.App.Logger().Info("access review campaign opened", "review", review.Id, "period", review.GetString("period"))
				}
			})
		}
		return se.Next()
	})
}
