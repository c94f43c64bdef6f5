package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(addDistributionWaits, dropDistributionWaits)
}

// addDistributionWaits adds the ready leads no partner can take (no rule or
// no candidate: a territory without an active partner, Corse or the DOM in
// the demo): one row per lead, since when it waits and when the
// distribution job tries it again, so that such leads neither block the
// job's batch nor alert their channel managers more than once. Superusers
// only (nil rules): the board reads it through the leads' read path. The
// partial index serves the job's queue of ready leads (its terms are the
// query's own, hooks/distribution/work.go).
func addDistributionWaits(app core.App) error {
	waits := core.NewBaseCollection("distribution_waits")
	waits.Fields.Add(
		rel("lead", leadsID, required, cascade), date("since", required), date("retry_at", required), text("reason", 40),
	)
	waits.Fields.Add(timestamps()...)
	waits.AddIndex("idx_distribution_waits_lead", true, "lead", "")
	waits.AddIndex("idx_distribution_waits_retry", false, "retry_at", "")
	if err := app.Save(waits); err != nil {
		return err
	}
	leads, err := app.FindCollectionByNameOrId("leads")
	if err != nil {
		return err
	}
	leads.AddIndex("idx_leads_ready_queue", false, "created", "status = 'ready' AND held = 0")
	return app.Save(leads)
}

func dropDistributionWaits(app core.App) error {
	leads, err := app.FindCollectionByNameOrId("leads")
	if err != nil {
		return err
	}
	leads.RemoveIndex("idx_leads_ready_queue")
	if err := app.Save(leads); err != nil {
		return err
	}
	waits, err := app.FindCollectionByNameOrId("distribution_waits")
	if err != nil {
		return err
	}
	return app.Delete(waits)
}
