package hooks

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/distribution"
	"github.com/relais/relais/hooks/governance"
)

// bindPartnerLeads withdraws the pending offers of a partner that stops
// being active (suspended, ended by hand or at its contract end) and tells
// the channel managers which of its leads to reassign, in the transaction
// of the change (distribution.PartnerLeft), whatever the write path.
func bindPartnerLeads(app core.App) {
	app.OnRecordUpdate("partners").Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisPartnerLeads", Func: func(e *core.RecordEvent) error {
		left := governance.PartnerLeft(e.Record)
		if !left {
			return e.Next()
		}
		return e.App.RunInTransaction(func(tx core.App) error {
			orig := e.App
			e.App = tx
			defer func() { e.App = orig }()
			if err := e.Next(); err != nil {
				return err
			}
			_, err := distribution.PartnerLeft(tx, e.Record, time.Now())
			return err
		})
	}})
}
