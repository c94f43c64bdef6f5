package api

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/access"
)

// guardRelations refuses a REST create or update that adds to a relation
// field the id of a record the caller may not link
// (access.CheckRelations), before any other Relais hook sees the record.
func guardRelations(e *core.RecordRequestEvent) error {
	if err := access.CheckRelations(e.App, e.Auth, e.Record); err != nil {
		return APIError(e.RequestEvent, err)
	}
	return e.Next()
}
