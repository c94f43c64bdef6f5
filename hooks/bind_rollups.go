package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/reports"
)

// rollupPriority: the rollups' handlers are the only Relais handlers of
// the Execute events of leads and offers; they wrap PocketBase's own SQL
// write (the end of the chain), so that they run in its transaction.
const rollupPriority = 0

// bindRollups keeps the report rollups exact on every create, update and
// delete of leads and offers, inside the write's transaction.
func bindRollups(app core.App) {
	for _, table := range reports.RolledUp {
		app.OnRecordCreateExecute(table).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisRollupCreate_" + table, Priority: rollupPriority, Func: reports.RollupCreate})
		app.OnRecordUpdateExecute(table).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisRollupUpdate_" + table, Priority: rollupPriority, Func: reports.RollupUpdate})
		app.OnRecordDeleteExecute(table).Bind(&hook.Handler[*core.RecordEvent]{Id: "relaisRollupDelete_" + table, Priority: rollupPriority, Func: reports.RollupDelete})
	}
}
