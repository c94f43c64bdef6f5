package api

import (
	"errors"
	"io"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/relais/relais/hooks/domain"
	"github.com/relais/relais/hooks/fieldcheck"
)

// bindBody reads the body of a /api/prm route: JSON through
// fieldcheck.DecodeJSON (a value of the wrong type is refused naming its
// field), a form through PocketBase's binder; an empty body leaves v as it
// is.
func bindBody(e *core.RequestEvent, v any) error {
	if !strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") {
		return e.BindBody(v)
	}
	// the request info first (PocketBase's parse of the body, which the
	// enrich step reads later), then the raw body again (re-readable)
	if _, err := e.RequestInfo(); err != nil {
		return err
	}
	raw, err := io.ReadAll(e.Request.Body)
	if err != nil || len(raw) == 0 {
		return err
	}
	return fieldcheck.DecodeJSON(raw, v)
}

// bodyError is the answer to an unreadable body, as an error (the caller
// returns it; nothing is written yet): a 400 naming the field a domain
// error names (`data: {field: {code, message}}`), else a 400 with msg.
func bodyError(e *core.RequestEvent, err error, msg string) error {
	var de *domain.Error
	if errors.As(err, &de) && de.Field != "" {
		return e.BadRequestError(de.Message, validation.Errors{de.Field: validation.NewError(de.Code, de.Message)})
	}
	return e.BadRequestError(msg, nil)
}
