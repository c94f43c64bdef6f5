package intake

import (
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/fieldcheck"
)

// IngestJSONBatch ingests a batch whose leads are still JSON: a lead that
// does not decode (a value of the wrong type) fails alone with its field,
// like a lead that does not validate (IngestBatch).
func (it *Intake) IngestJSONBatch(app core.App, actor audit.Actor, creator *core.Record, raws []json.RawMessage) ([]BatchItem, error) {
	leads := make([]IngestInput, len(raws))
	bad := make([]error, len(raws))
	for i, raw := range raws {
		bad[i] = fieldcheck.DecodeJSON(raw, &leads[i])
	}
	return it.ingestBatch(app, actor, creator, leads, bad)
}
