package ui

import (
	"errors"

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
