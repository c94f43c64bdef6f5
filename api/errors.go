package api

import (
	"errors"
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/relais/relais/hooks/domain"
)

// HTTPStatus is the HTTP status of a domain error: 400 for invalid input,
// 403 for a forbidden action, 409 for a conflict with the data.
func HTTPStatus(de *domain.Error) int {
	switch de.Kind {
	case domain.KindForbidden:
		return http.StatusForbidden
	case domain.KindConflict:
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// APIError converts any error of the domain into PocketBase's API error
// (JSON `{status, message, data}`); the field errors of a record's
// validation (validation.Errors) are a 400 naming each field; unknown
// errors become a 500 without detail.
func APIError(e *core.RequestEvent, err error) error {
	var de *domain.Error
	var ve validation.Errors
	switch {
	case errors.As(err, &de):
		data := map[string]any{"code": de.Code}
		if de.Field != "" {
			data[de.Field] = map[string]any{"code": de.Code, "message": de.Message}
		}
		status := HTTPStatus(de)
		return e.JSON(status, map[string]any{"status": status, "message": de.Message, "data": data})
	case errors.As(err, &ve):
		return e.BadRequestError("Failed to validate the submitted data.", ve)
	case errors.Is(err, domain.ErrNotVisible):
		return e.NotFoundError("", nil)
	case errors.Is(err, domain.ErrForbidden):
		return e.ForbiddenError("", nil)
	}
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	e.App.Logger().Error("relais request failed", "path", e.Request.URL.Path, "error", err)
	// the cause is kept (never sent): the write gate answers 503 for a
	// database another process holds
	return e.InternalServerError("", err)
}
