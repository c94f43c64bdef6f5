package hooks

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Error is a domain error: a stable code, the HTTP status it maps to, a
// message safe to show to the caller (it never contains contact details),
// and optionally the offending field.
type Error struct {
	Code    string
	Status  int
	Message string
	Field   string
}

// Error implements error.
func (e *Error) Error() string { return e.Message }

func errBad(code, field, msg string) *Error {
	return &Error{Code: code, Status: http.StatusBadRequest, Message: msg, Field: field}
}

func errConflict(code, msg string) *Error {
	return &Error{Code: code, Status: http.StatusConflict, Message: msg}
}

func errForbidden(code, msg string) *Error {
	return &Error{Code: code, Status: http.StatusForbidden, Message: msg}
}

// missingAsNotVisible maps a missing record (sql.ErrNoRows) to
// ErrNotVisible and passes any other error on: a database error must reach
// APIError (logged, 500), not pass for a missing record.
func missingAsNotVisible(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotVisible
	}
	return err
}

// APIError converts any error of the domain into PocketBase's API error
// (JSON `{status, message, data}`); unknown errors become a 500 without
// detail.
func APIError(e *core.RequestEvent, err error) error {
	var de *Error
	switch {
	case errors.As(err, &de):
		data := map[string]any{"code": de.Code}
		if de.Field != "" {
			data[de.Field] = map[string]any{"code": de.Code, "message": de.Message}
		}
		return e.JSON(de.Status, map[string]any{"status": de.Status, "message": de.Message, "data": data})
	case errors.Is(err, ErrNotVisible):
		return e.NotFoundError("", nil)
	case errors.Is(err, ErrForbidden):
		return e.ForbiddenError("", nil)
	}
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	e.App.Logger().Error("relais request failed", "path", e.Request.URL.Path, "error", err)
	return e.InternalServerError("", nil)
}
