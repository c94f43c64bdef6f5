package hooks

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
	"github.com/relais/relais/hooks/roles"
)

// This file glues the governance features of SPEC §5 (issue 4) to
// PocketBase: login/logout auditing (audit_auth.go), grants (grants.go),
// access requests (access_requests.go), automatic suspension
// (suspensions.go), access reviews (access_review.go), exports and the
// partner page cap (export.go), GDPR helpers (gdpr.go). Routes are in
// governance_routes.go.

// Cron job ids (visible in /_/ → Settings → Crons).
const (
	SuspensionsCronID  = "relaisSuspensions"
	AccessReviewCronID = "relaisAccessReview"
)

// governance carries the governance routes and middlewares.
type governance struct{}

// bindGovernance binds the governance hooks, routes and (under serve) cron
// jobs.
func bindGovernance(app core.App) {
	g := &governance{}

	bindAuthAudit(app)
	bindAccessRequests(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g.routes(se)
		// Cron jobs run only under `serve` (se.Server is nil when tests
		// build the router without a server).
		if se.Server != nil {
			se.App.Cron().MustAdd(SuspensionsCronID, "*/5 * * * *", func() {
				rep, err := RunSuspensions(se.App, time.Now())
				if err != nil {
					se.App.Logger().Error("automatic suspension", "error", err)
				}
				if !rep.Empty() {
					se.App.Logger().Info("automatic suspension", "report", rep)
				}
			})
			se.App.Cron().MustAdd(AccessReviewCronID, "0 6 1 1,4,7,10 *", func() {
				review, created, err := OpenReviewCampaign(se.App, time.Now())
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

// govIsAdmin reports whether auth is a superuser or an active user of the
// admin role.
func govIsAdmin(app core.App, auth *core.Record) bool {
	if auth == nil {
		return false
	}
	if auth.IsSuperuser() {
		return true
	}
	return auth.Collection().Name == "users" && auth.GetString("role") == roles.Admin &&
		access.AccountBlock(app, auth, time.Now()) == ""
}
