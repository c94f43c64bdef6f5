package api

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/fieldcheck"
)

// checkRecordBody refuses a record create or update whose body holds a
// value of the wrong type for its field (fieldcheck.Body): PocketBase
// would store "abc" as 0, "not a date" as no date and "maybe" as false.
// The answer is PocketBase's own 400 with `data: {field: {code, message}}`.
func checkRecordBody(e *core.RecordRequestEvent) error {
	// the request info's body already holds the cast values: read the
	// raw one again (PocketBase's router makes the body re-readable)
	raw := map[string]any{}
	if err := e.BindBody(&raw); err != nil {
		return e.BadRequestError("Failed to read the submitted data.", err)
	}
	if err := fieldcheck.Body(e.Collection, raw); err != nil {
		return e.BadRequestError("Failed to validate the submitted data.", err)
	}
	return e.Next()
}
