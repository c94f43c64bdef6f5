package hooks

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/certificates"
	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/governance"
	"github.com/relais/relais/hooks/notify"
	"github.com/relais/relais/hooks/sessions"
)

// OffersCronID is the job that expires offers and distributes ready leads.
const OffersCronID = "relais_offers"

// bindJobs schedules the jobs. PocketBase's cron runs only under `serve`;
// the session, suspension, review and digest jobs are added when the app serves
// (se.Server is nil when tests build the router without a server).
func bindJobs(app core.App) {
	app.Cron().MustAdd(OffersCronID, "* * * * *", func() { runOffers(app, time.Now()) })
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{Id: "relaisJobs", Func: func(se *core.ServeEvent) error {
		if se.Server != nil {
			se.App.Cron().MustAdd(sessions.PurgeCronID, "*/10 * * * *", func() { purgeSessions(se.App, time.Now()) })
			se.App.Cron().MustAdd(governance.SuspensionsCronID, "*/5 * * * *", func() { runSuspensions(se.App, time.Now()) })
			se.App.Cron().MustAdd(governance.AccessReviewCronID, "0 6 1 1,4,7,10 *", func() { openReviewCampaign(se.App, time.Now()) })
			se.App.Cron().MustAdd(notify.DigestCronID, "0 6 * * *", func() { sendDigests(se.App, time.Now()) })
			se.App.Cron().MustAdd(certificates.ReminderCronID, "30 6 * * *", func() { remindCertificates(se.App, time.Now()) })
		}
		return se.Next()
	}})
}

// runOffers reminds the offers close to their deadline, expires the
// offers past it and offers the ready leads (every minute).
func runOffers(app core.App, now time.Time) {
	if n, err := distribution.RemindOffers(app, now); err != nil {
		app.Logger().Error("offer reminder job failed", "error", err)
	} else if n > 0 {
		app.Logger().Info("offers reminded", "count", n)
	}
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
	if h := distribution.TakeHolds(app); h.N > 0 {
		app.Logger().Info("offers job transactions", "count", h.N, "max_hold", h.Max.String(), "total_hold", h.Total.String())
	}
}

// purgeSessions ends the sessions over a timeout (every ten minutes).
func purgeSessions(app core.App, now time.Time) {
	if n, err := sessions.Purge(app, now); err != nil {
		app.Logger().Error("sessions purge", "error", err)
	} else if n > 0 {
		app.Logger().Debug("sessions purged", "ended", n)
	}
}

// runSuspensions is the automatic suspension (every five minutes).
func runSuspensions(app core.App, now time.Time) {
	rep, err := governance.RunSuspensions(app, now)
	if err != nil {
		app.Logger().Error("automatic suspension", "error", err)
	}
	if !rep.Empty() {
		app.Logger().Info("automatic suspension", "report", rep)
	}
}

// openReviewCampaign opens the access review of the quarter (on the first
// day of each quarter).
func openReviewCampaign(app core.App, now time.Time) {
	review, created, err := governance.OpenReviewCampaign(app, now)
	if err != nil {
		app.Logger().Error("access review campaign", "error", err)
	} else if created {
		app.Logger().Info("access review campaign opened", "review", review.Id, "period", review.GetString("period"))
	}
}

// sendDigests sends the daily digests (every day at 06:00 UTC: 7 or 8 in
// Paris).
func sendDigests(app core.App, now time.Time) {
	if n, err := notify.SendDigests(app, now); err != nil {
		app.Logger().Error("daily digest", "error", err)
	} else if n > 0 {
		app.Logger().Info("daily digests sent", "count", n)
	}
}

// remindCertificates sends the certificate expiry reminders due (every
// day at 06:30 UTC).
func remindCertificates(app core.App, now time.Time) {
	if n, err := certificates.RemindExpiring(app, now); err != nil {
		app.Logger().Error("certificate reminders", "error", err)
	} else if n > 0 {
		app.Logger().Info("certificate reminders sent", "count", n)
	}
}
