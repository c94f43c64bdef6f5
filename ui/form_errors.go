package ui

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/domain"
)

// formField is the form field that shows a domain error: the field the
// error names, by the record field it names (fields: record field → form
// field), else fallback.
func formField(de *domain.Error, fields map[string]string, fallback string) string {
	if f, ok := fields[de.Field]; ok {
		return f
	}
	return fallback
}

// renamedField returns err with its field renamed from → to when it is a
// domain error on from (a form field that writes another record's field);
// other errors are returned as they are.
func renamedField(err error, from, to string) error {
	var de *domain.Error
	if !errors.As(err, &de) || de.Field != from {
		return err
	}
	return &domain.Error{Code: de.Code, Kind: de.Kind, Message: de.Message, Field: to}
}

// writeOutcome sorts the outcome of a form's write: an error that is not a
// domain refusal is returned as is; a plain post that succeeded is
// redirected to path; in both cases done is true. Otherwise the caller
// re-renders its page, with de the refusal (nil after an htmx success).
func writeOutcome(e *core.RequestEvent, err error, path string) (de *domain.Error, done bool, rerr error) {
	if err != nil && !errors.As(err, &de) {
		return nil, true, err
	}
	if de == nil && !isHX(e) {
		return nil, true, e.Redirect(http.StatusSeeOther, path)
	}
	return de, false, nil
}
