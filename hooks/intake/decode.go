package intake

import (
	"encoding/json"
	"errors"
	"reflect"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/audit"
	"github.com/relais/relais/hooks/domain"
)

// DecodeJSON reads a JSON document of the intake (a lead, a batch, a web
// form) into v. A value of the wrong type is refused naming its field by
// its JSON path ("score", "contact.first_name"), an unreadable document
// as a whole; both are domain errors (invalid).
func DecodeJSON(raw []byte, v any) error {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return domain.Invalid("invalid_type", te.Field, te.Field+" must be "+jsonKind(te.Type))
	}
	return domain.Invalid("invalid_json", "", "the body is not the JSON document expected")
}

// jsonKind names the JSON value a Go type reads.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice:
		return "an array"
	}
	return "an object"
}

// IngestJSONBatch ingests a batch whose leads are still JSON: a lead that
// does not decode (a value of the wrong type) fails alone with its field,
// like a lead that does not validate (IngestBatch).
func (it *Intake) IngestJSONBatch(app core.App, actor audit.Actor, creator *core.Record, raws []json.RawMessage) ([]BatchItem, error) {
	leads := make([]IngestInput, len(raws))
	bad := make([]error, len(raws))
	for i, raw := range raws {
		bad[i] = DecodeJSON(raw, &leads[i])
	}
	return it.ingestBatch(app, actor, creator, leads, bad)
}
