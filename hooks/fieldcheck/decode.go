package fieldcheck

import (
	"encoding/json"
	"errors"
	"reflect"

	"github.com/relais/relais/hooks/domain"
)

// DecodeJSON reads a JSON request body (a lead, a batch, a web form, an
// action's parameters) into v. A value of the wrong type is refused naming its field by
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
