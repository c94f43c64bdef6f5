package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/relais/relais/hooks/access"
)

// relationGuardPriority runs the check before every other Relais request
// hook (the lifecycle, deals and audit hooks run at -1 and 0), so that it
// sees exactly what the client sent and nothing the hooks derive.
const relationGuardPriority = -10

// bindRelationGuard checks the relation ids of every REST create and
// update, in every collection.
func bindRelationGuard(app core.App) {
	guard := func(e *core.RecordRequestEvent) error {
		if err := access.CheckRelations(e.App, e.Auth, e.Record); err != nil {
			return APIError(e.RequestEvent, err)
		}
		return e.Next()
	}
	app.OnRecordCreateRequest().Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relais_relation_guard", Priority: relationGuardPriority, Func: guard})
	app.OnRecordUpdateRequest().Bind(&hook.Handler[*core.RecordRequestEvent]{Id: "relais_relation_guard", Priority: relationGuardPriority, Func: guard})
}
