package fieldcheck

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/geo"
)

// AmountFields are the amount fields (euros) of each collection: Record
// keeps them in [0, money.Max].
var AmountFields = map[string][]string{
	"leads":         {"estimated_value", "won_amount"},
	"opportunities": {"amount"},
	"deal_terms":    {"purchase_price"},
	"campaigns":     {"budget"},
	"settings_prm":  {"won_validation_amount"},
}

// PostalFields are the French postal code fields Record checks: in
// collections with a country field, only when the country is France.
var PostalFields = map[string]string{
	"leads":         "postal_code",
	"accounts":      "postal_code",
	"opportunities": "postal_code",
}

// derived are the collections whose texts Relais writes itself from other
// records (a legacy value copied there must not fail the write that copies
// it) or that hold no text a person types.
var derived = []string{"audit_log", "notifications", "relais_sessions"}

// Record checks the fields of a record that are new or changed: texts hold
// clean characters (CleanText), French postal codes have a département,
// amounts lie in [0, money.Max]. Unchanged values are not checked, so that
// a row stored before these checks can still be saved. It returns
// validation.Errors (nil when the record is fine).
func Record(rec *core.Record) error {
	coll := rec.Collection()
	if coll.System || slices.Contains(derived, coll.Name) {
		return nil
	}
	orig := rec.Original()
	changed := func(name string) bool { return rec.IsNew() || rec.Get(name) != orig.Get(name) }
	errs := texts(rec, changed)
	if name, ok := PostalFields[coll.Name]; ok && changed(name) {
		if pc := rec.GetString(name); pc != "" && frenchRecord(rec) {
			if _, _, err := PostalCode(name, pc); err != nil || strings.TrimSpace(pc) != pc || len(pc) != 5 {
				errs[name] = validation.NewError(CodeInvalidPostal, "Must be the 5-digit postal code of a French département.")
			}
		}
	}
	for _, name := range AmountFields[coll.Name] {
		if changed(name) && Amount(name, rec.GetFloat(name)) != nil {
			errs[name] = validation.NewError(CodeOutOfRange, "Must be an amount from 0 to 1000000000.")
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// texts checks the characters of the record's changed texts.
func texts(rec *core.Record, changed func(string) bool) validation.Errors {
	errs := validation.Errors{}
	for _, f := range rec.Collection().Fields {
		switch f.(type) {
		case *core.TextField, *core.EditorField, *core.EmailField, *core.URLField:
			name := f.GetName()
			if name != core.FieldNamePassword && changed(name) && !CleanText(rec.GetString(name)) {
				errs[name] = validation.NewError(CodeInvalidChars, "Control or bidirectional-override characters are not allowed.")
			}
		}
	}
	return errs
}

// frenchRecord reports whether a record's address is French: its country
// field, or France when it has none.
func frenchRecord(rec *core.Record) bool {
	if rec.Collection().Fields.GetByName("country") == nil {
		return true
	}
	return geo.IsFrance(rec.GetString("country"))
}

// Body checks the raw values of a record request body (JSON or form) against
// the types of the collection's fields, before PocketBase casts them: a
// number field takes a number (or a numeric string), a date field a date
// PocketBase can read or "" (which clears it), a bool field a bool or
// "true"/"false"/"1"/"0"; text fields take clean characters. Keys with a
// "+"/"-" modifier are checked as their field. It returns validation.Errors
// (nil when the body is fine).
func Body(coll *core.Collection, body map[string]any) error {
	errs := validation.Errors{}
	for key, raw := range body {
		name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(key, "+"), "+"), "-")
		f := coll.Fields.GetByName(name)
		if f == nil {
			continue
		}
		if err := rawValue(f, raw); err != nil {
			errs[name] = err
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// rawValue checks one raw value against its field's type.
func rawValue(f core.Field, raw any) error {
	switch f.(type) {
	case *core.NumberField:
		if !isNumber(raw) {
			return validation.NewError(CodeInvalidNumber, "Must be a number.")
		}
	case *core.DateField:
		if !isDate(raw) {
			return validation.NewError(CodeInvalidDate, "Must be a date (YYYY-MM-DD HH:MM:SS.sssZ).")
		}
	case *core.BoolField:
		if !isBool(raw) {
			return validation.NewError(CodeInvalidBool, "Must be true or false.")
		}
	case *core.TextField, *core.EditorField, *core.EmailField, *core.URLField:
		if s, ok := raw.(string); ok && !CleanText(s) {
			return validation.NewError(CodeInvalidChars, "Control or bidirectional-override characters are not allowed.")
		}
	}
	return nil
}

func isNumber(raw any) bool {
	switch v := raw.(type) {
	case nil:
		return true
	case float64:
		return !math.IsNaN(v) && !math.IsInf(v, 0)
	case float32, int, int64, int32, uint, uint64, uint32:
		return true
	case json.Number:
		_, err := v.Float64()
		return err == nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return true // a form's empty field: PocketBase stores 0
		}
		n, err := strconv.ParseFloat(s, 64)
		return err == nil && !math.IsNaN(n) && !math.IsInf(n, 0)
	}
	return false
}

func isDate(raw any) bool {
	switch v := raw.(type) {
	case nil, time.Time, types.DateTime:
		return true
	case string:
		if strings.TrimSpace(v) == "" {
			return true
		}
		d, err := types.ParseDateTime(v)
		return err == nil && !d.IsZero()
	}
	return false
}

func isBool(raw any) bool {
	switch v := raw.(type) {
	case nil, bool:
		return true
	case string:
		return slices.Contains([]string{"", "true", "false", "1", "0"}, strings.ToLower(strings.TrimSpace(v)))
	case float64:
		return v == 0 || v == 1
	}
	return false
}

// AsDomain turns the validation.Errors a save returned (PocketBase's field
// validators or Record) into a domain error naming the first field in
// alphabetical order; other errors are returned as they are.
func AsDomain(err error) error {
	var ve validation.Errors
	if !errors.As(err, &ve) || len(ve) == 0 {
		return err
	}
	names := make([]string, 0, len(ve))
	for k := range ve {
		names = append(names, k)
	}
	slices.Sort(names)
	field := names[0]
	code, msg := "invalid_value", ve[field].Error()
	var verr validation.Error
	if errors.As(ve[field], &verr) {
		code = verr.Code()
	}
	return domain.Invalid(code, field, field+": "+msg)
}
