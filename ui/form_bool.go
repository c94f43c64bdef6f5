package ui

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// formBool reads the switch field name of a posted form: "true" or
// "false", anything else (a typo, an empty form) a 400, never read as
// false (a deactivation, a protection turned off).
func formBool(e *core.RequestEvent, name string) (bool, error) {
	switch e.Request.FormValue(name) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, &uiError{status: http.StatusBadRequest, msg: "form.invalid"}
}
